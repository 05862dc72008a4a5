import type { ReactNode } from 'react'
import { HomeOutlined, ApartmentOutlined, TeamOutlined, SettingOutlined } from '@ant-design/icons'
import type { Mode } from '../../shared/domain'
import { HomePage } from './features/home/HomePage'
import { OrgPage } from './features/org/OrgPage'
import { MembersPage } from './features/members/MembersPage'
import { SettingsPage } from './features/settings/SettingsPage'
import { CheckSquareOutlined } from '@ant-design/icons'
import { ChecklistPage } from './features/checklist/ChecklistPage'
import { DashboardOutlined, SafetyOutlined, SolutionOutlined, HeartOutlined } from '@ant-design/icons'
import { DashboardPage } from './features/dashboard/DashboardPage'
import { PatrolsPage } from './features/patrols/PatrolsPage'
import { MediationPage } from './features/mediation/MediationPage'
import { AftercarePage } from './features/aftercare/AftercarePage'
import { AlertOutlined } from '@ant-design/icons'
import { HazardsPage } from './features/hazards/HazardsPage'
import { UsbOutlined, ClusterOutlined } from '@ant-design/icons'
import { HandoffPage } from './features/handoff/HandoffPage'
import { CountyPage } from './features/handoff/CountyPage'
import { HistoryOutlined, SaveOutlined } from '@ant-design/icons'
import { BackupPage } from './features/backup/BackupPage'
import { AuditPage } from './features/audit/AuditPage'
import { PrinterOutlined } from '@ant-design/icons'
import { DocumentsPage } from './features/documents/DocumentsPage'

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
  { key: 'dashboard', label: '工作台', icon: <DashboardOutlined />, modes: ['township'], render: () => <DashboardPage /> },
  { key: 'patrols', label: '巡逻台账', icon: <SafetyOutlined />, modes: ['township'], render: (p) => <PatrolsPage openId={p.open} /> },
  { key: 'mediation', label: '矛盾纠纷台账', icon: <SolutionOutlined />, modes: ['township'], render: (p) => <MediationPage openId={p.open} /> },
  { key: 'aftercare', label: '安置帮教台账', icon: <HeartOutlined />, modes: ['township'], render: (p) => <AftercarePage openId={p.open} /> },
  { key: 'hazards', label: '安全隐患', icon: <AlertOutlined />, modes: ['township'], render: (p) => <HazardsPage openId={p.open} /> },
  { key: 'checklist', label: '创建自查', icon: <CheckSquareOutlined />, modes: ['township'], render: () => <ChecklistPage /> },
  { key: 'handoff', label: '数据报送', icon: <UsbOutlined />, modes: ['township'], render: () => <HandoffPage /> },
  { key: 'county', label: '县区汇总', icon: <ClusterOutlined />, modes: ['county'], render: () => <CountyPage /> },
  { key: 'audit', label: '操作记录', icon: <HistoryOutlined />, modes: ['township', 'county'], render: (p) => <AuditPage recordId={p.recordId} /> },
  { key: 'backup', label: '备份恢复', icon: <SaveOutlined />, modes: ['township', 'county'], render: () => <BackupPage /> },
  { key: 'documents', label: '文书打印', icon: <PrinterOutlined />, modes: ['township'], render: () => <DocumentsPage /> },
  // registers, checklist, documents, handoff, backups… are added above this line
  { key: 'settings', label: '设置', icon: <SettingOutlined />, modes: ['township', 'county'], render: () => <SettingsPage /> },
]
