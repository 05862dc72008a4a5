import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react'
import { Layout, Menu, Spin, Typography, Button, Tooltip } from 'antd'
import { QuestionCircleOutlined } from '@ant-design/icons'
import type { Township } from '../../shared/org/schema'
import { invoke } from './api'
import { NavContext, TownshipContext, type Nav } from './nav'
import { findPage, pages } from './pages'
import type { RecoveryStatus } from '../../shared/recovery/schema'
import { IntegrityWatch } from './features/recovery/IntegrityWatch'
import { useFirstScreenPainted } from './firstScreen'
import './layout.css'

// met once (the first set-up) or rarely (a damaged database): loaded only then
const SetupPage = lazy(() => import('./features/setup/SetupPage').then((m) => ({ default: m.SetupPage })))
const RecoveryScreen = lazy(() => import('./features/recovery/RecoveryScreen').then((m) => ({ default: m.RecoveryScreen })))
// the same plain text index.html shows before the script runs: nothing of antd to style before the first screen
const opening = <div className="app-opening">正在打开平安台账…</div>

// the top bar's search and the operator's dialog come once the first screen is painted (firstScreen.ts)
const GlobalSearch = lazy(() => import('./features/search/GlobalSearch').then((m) => ({ default: m.GlobalSearch })))
const OperatorPicker = lazy(() => import('./features/audit/OperatorPicker').then((m) => ({ default: m.OperatorPicker })))

export function App() {
  const [township, setTownship] = useState<Township | null | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)
  const [page, setPage] = useState('home')
  const [params, setParams] = useState<Record<string, string>>({})
  // a new visit to a page (the same page opened again from the search or a chart) mounts it afresh
  const [visit, setVisit] = useState(0)
  // a database that would not open: the recovery screen instead of the program
  const [recovery, setRecovery] = useState<RecoveryStatus | null>(null)
  // the operator is asked for at the start of work, not right after the first set-up
  const [startedSetUp, setStartedSetUp] = useState(false)
  const painted = useFirstScreenPainted()

  const load = useCallback(() => {
    invoke('recovery.status', {})
      .then((s) => {
        setRecovery(s.problem ? s : null)
        if (s.problem) return
        return invoke('township.get', {}).then((t) => (setStartedSetUp(t !== null), setTownship(t)))
      })
      .catch((e: Error) => setError(e.message))
  }, [])
  useEffect(load, [load])

  const nav: Nav = useMemo(
    () => ({ page, params, go: (p, prm = {}) => (setPage(p), setParams(prm), setVisit((v) => v + 1)) }),
    [page, params],
  )

  if (error)
    return (
      <div style={{ textAlign: 'center', paddingTop: 120 }}>
        <Typography.Title level={3}>无法连接到平安台账</Typography.Title>
        <Typography.Paragraph type="secondary" data-testid="connect-error">
          {error}
        </Typography.Paragraph>
        <Button onClick={() => location.reload()}>重试</Button>
      </div>
    )
  if (recovery)
    return (
      <Suspense fallback={opening}>
        <RecoveryScreen status={recovery} onDone={() => location.reload()} />
      </Suspense>
    )
  if (township === undefined) return opening
  if (township === null)
    return (
      <Suspense fallback={opening}>
        <SetupPage onDone={setTownship} />
      </Suspense>
    )

  const visible = pages.filter((p) => p.modes.includes(township.mode))
  const current = findPage(visible, page) ?? visible[0]!
  return (
    <TownshipContext.Provider value={township}>
      <NavContext.Provider value={nav}>
        {/* the window's height exactly: the menu stays put, each page scrolls (or fills) its own area */}
        <Layout className="app-shell">
          <Layout.Sider width={180} theme="light" className="app-sider">
            <div style={{ padding: '12px 16px 4px' }}>
              <Typography.Title level={4} style={{ margin: 0, color: '#b7312c' }}>
                平安台账
              </Typography.Title>
              {/* cut by CSS, not by antd's ellipsis, which measures the page while it is first laid out */}
              <div className="app-township" title={township.mode === 'county' ? `${township.county}（县区汇总）` : township.name}>
                {township.mode === 'county' ? `${township.county}（县区汇总）` : township.name}
              </div>
            </div>
            {painted ? (
              <Suspense fallback={<div style={{ height: 30 }} />}>
                <OperatorPicker askAtStart={startedSetUp} />
              </Suspense>
            ) : (
              <div style={{ height: 30 }} />
            )}
            <Menu
              mode="inline"
              className="app-menu"
              selectedKeys={[current.key]}
              items={visible.map((p) => ({ key: p.key, icon: p.icon, label: p.label }))}
              onClick={(e) => nav.go(e.key)}
            />
          </Layout.Sider>
          <Layout className="app-main">
            <div className="app-topbar">
              {township.mode === 'township' &&
                (painted ? (
                  <Suspense fallback={<div style={{ width: 360 }} />}>
                    <GlobalSearch />
                  </Suspense>
                ) : (
                  <div style={{ width: 360 }} />
                ))}
              <span style={{ flex: 1 }} />
              <Tooltip title="常见工作的做法和快捷键">
                <Button type="text" icon={<QuestionCircleOutlined />} onClick={() => nav.go('help')}>
                  使用说明
                </Button>
              </Tooltip>
            </div>
            <Layout.Content className="app-content" data-page={current.key}>
              <IntegrityWatch />
              <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} tip="正在打开…"><span /></Spin>}>
                <div key={`${current.key}-${visit}`} className="app-page">
                  {current.render(params)}
                </div>
              </Suspense>
            </Layout.Content>
          </Layout>
        </Layout>
      </NavContext.Provider>
    </TownshipContext.Provider>
  )
}
