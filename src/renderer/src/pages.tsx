import type { ReactNode } from 'react'
import { HomeOutlined, ApartmentOutlined, TeamOutlined, SettingOutlined } from '@ant-design/icons'
import type { Mode } from '../../shared/domain'
import { HomePage } from './features/home/HomePage'
import { OrgPage } from './features/org/OrgPage'
import { MembersPage } from './features/members/MembersPage'
import { SettingsPage } from './features/settings/SettingsPage'

/**
 * Every screen of the program, in menu order. A capability adds its entry here; `modes` says whether
 * a township database, a county database or both show it.
 */
export interface PageDef {
  key: string
  label: string
  icon: ReactNode
  modes: Mode[]
  render: (params: Record<string, string>) => ReactNode
}

export const pages: PageDef[] = [
  { key: 'home', label: '首页', icon: <HomeOutlined />, modes: ['township', 'county'], render: () => <HomePage /> },
  { key: 'org', label: '组织机构', icon: <ApartmentOutlined />, modes: ['township'], render: () => <OrgPage /> },
  { key: 'members', label: '成员台账', icon: <TeamOutlined />, modes: ['township'], render: (p) => <MembersPage openId={p.open} /> },
  // registers, checklist, documents, handoff, backups… are added above this line
  { key: 'settings', label: '设置', icon: <SettingOutlined />, modes: ['township', 'county'], render: () => <SettingsPage /> },
]
