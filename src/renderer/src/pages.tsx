import { lazy, type ReactNode } from 'react'
import {
  AlertOutlined,
  ApartmentOutlined,
  CheckSquareOutlined,
  ClusterOutlined,
  DashboardOutlined,
  HeartOutlined,
  HistoryOutlined,
  PrinterOutlined,
  QuestionCircleOutlined,
  SafetyOutlined,
  SaveOutlined,
  SettingOutlined,
  SolutionOutlined,
  TeamOutlined,
  UsbOutlined,
} from '@ant-design/icons'
import type { Mode } from '../../shared/domain'
// the first screen is part of the entry script: drawn in the program's first render, not after a chunk
// has been fetched and a suspended render retried (its charts and tables come later, StartPage.tsx)
import { StartPage } from './features/home/StartPage'

/**
 * Every screen of the program, in menu order. A capability adds its entry here; `modes` says whether
 * a township database, a county database or both show it. Each page is its own chunk, loaded the
 * first time it is opened, so the first screen does not wait for the grid, the charts or the forms
 * of the others.
 */
export interface PageDef {
  key: string
  label: string
  icon: ReactNode
  modes: Mode[]
  render: (params: Record<string, string>) => ReactNode
  /** other keys that open this page (an older name: 'dashboard' is the start page now) */
  aliases?: string[]
}

const CountyHome = lazy(() => import('./features/home/HomePage').then((m) => ({ default: m.HomePage })))
const OrgPage = lazy(() => import('./features/org/OrgPage').then((m) => ({ default: m.OrgPage })))
const MembersPage = lazy(() => import('./features/members/MembersPage').then((m) => ({ default: m.MembersPage })))
const PatrolsPage = lazy(() => import('./features/patrols/PatrolsPage').then((m) => ({ default: m.PatrolsPage })))
const MediationPage = lazy(() => import('./features/mediation/MediationPage').then((m) => ({ default: m.MediationPage })))
const AftercarePage = lazy(() => import('./features/aftercare/AftercarePage').then((m) => ({ default: m.AftercarePage })))
const HazardsPage = lazy(() => import('./features/hazards/HazardsPage').then((m) => ({ default: m.HazardsPage })))
const ChecklistPage = lazy(() => import('./features/checklist/ChecklistPage').then((m) => ({ default: m.ChecklistPage })))
const HandoffPage = lazy(() => import('./features/handoff/HandoffPage').then((m) => ({ default: m.HandoffPage })))
const CountyPage = lazy(() => import('./features/handoff/CountyPage').then((m) => ({ default: m.CountyPage })))
const AuditPage = lazy(() => import('./features/audit/AuditPage').then((m) => ({ default: m.AuditPage })))
const BackupPage = lazy(() => import('./features/backup/BackupPage').then((m) => ({ default: m.BackupPage })))
const DocumentsPage = lazy(() => import('./features/documents/DocumentsPage').then((m) => ({ default: m.DocumentsPage })))
const SettingsPage = lazy(() => import('./features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })))
const HelpPage = lazy(() => import('./features/help/HelpPage').then((m) => ({ default: m.HelpPage })))

/** a register opened from the start page or the search: the record to open and the filters to set */
const reg = (p: Record<string, string>) => ({ openId: p.open, filter: p.filter })

export const pages: PageDef[] = [
  { key: 'home', label: '工作台', icon: <DashboardOutlined />, modes: ['township'], render: () => <StartPage />, aliases: ['dashboard'] },
  { key: 'countyHome', label: '首页', icon: <DashboardOutlined />, modes: ['county'], render: () => <CountyHome />, aliases: ['home', 'dashboard'] },
  { key: 'members', label: '成员台账', icon: <TeamOutlined />, modes: ['township'], render: (p) => <MembersPage {...reg(p)} /> },
  { key: 'patrols', label: '巡逻台账', icon: <SafetyOutlined />, modes: ['township'], render: (p) => <PatrolsPage {...reg(p)} /> },
  { key: 'mediation', label: '矛盾纠纷台账', icon: <SolutionOutlined />, modes: ['township'], render: (p) => <MediationPage {...reg(p)} /> },
  { key: 'aftercare', label: '安置帮教台账', icon: <HeartOutlined />, modes: ['township'], render: (p) => <AftercarePage {...reg(p)} /> },
  { key: 'hazards', label: '安全隐患', icon: <AlertOutlined />, modes: ['township'], render: (p) => <HazardsPage {...reg(p)} /> },
  { key: 'checklist', label: '创建自查', icon: <CheckSquareOutlined />, modes: ['township'], render: () => <ChecklistPage /> },
  { key: 'documents', label: '文书打印', icon: <PrinterOutlined />, modes: ['township'], render: () => <DocumentsPage /> },
  { key: 'handoff', label: '数据报送', icon: <UsbOutlined />, modes: ['township'], render: () => <HandoffPage /> },
  { key: 'county', label: '县区汇总', icon: <ClusterOutlined />, modes: ['county'], render: () => <CountyPage /> },
  { key: 'org', label: '组织机构', icon: <ApartmentOutlined />, modes: ['township'], render: () => <OrgPage /> },
  { key: 'audit', label: '操作记录', icon: <HistoryOutlined />, modes: ['township', 'county'], render: (p) => <AuditPage recordId={p.recordId} /> },
  { key: 'backup', label: '备份恢复', icon: <SaveOutlined />, modes: ['township', 'county'], render: () => <BackupPage /> },
  // registers, checklist, documents, handoff, backups… are added above this line
  { key: 'settings', label: '设置', icon: <SettingOutlined />, modes: ['township', 'county'], render: () => <SettingsPage /> },
  { key: 'help', label: '使用说明', icon: <QuestionCircleOutlined />, modes: ['township', 'county'], render: (p) => <HelpPage topic={p.topic} /> },
]

/** The page a key (or one of its aliases) names among those the database's mode shows. */
export function findPage(visible: PageDef[], key: string): PageDef | undefined {
  return visible.find((p) => p.key === key) ?? visible.find((p) => p.aliases?.includes(key))
}
