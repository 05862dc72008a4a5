import { useCallback, useEffect, useMemo, useState } from 'react'
import { Layout, Menu, Result, Spin, Typography, Button } from 'antd'
import type { Township } from '../../shared/org/schema'
import { invoke } from './api'
import { NavContext, TownshipContext, type Nav } from './nav'
import { pages } from './pages'
import { SetupPage } from './features/setup/SetupPage'
import type { RecoveryStatus } from '../../shared/recovery/schema'
import { RecoveryScreen } from './features/recovery/RecoveryScreen'
import { IntegrityWatch } from './features/recovery/IntegrityWatch'
import { OperatorPicker } from './features/audit/OperatorPicker'

export function App() {
  const [township, setTownship] = useState<Township | null | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)
  const [page, setPage] = useState('home')
  const [params, setParams] = useState<Record<string, string>>({})
  // a database that would not open: the recovery screen instead of the program
  const [recovery, setRecovery] = useState<RecoveryStatus | null>(null)
  // the operator is asked for at the start of work, not right after the first set-up
  const [startedSetUp, setStartedSetUp] = useState(false)

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
    () => ({ page, params, go: (p, prm = {}) => (setPage(p), setParams(prm)) }),
    [page, params],
  )

  if (error)
    return <Result status="error" title="无法连接到平安台账" subTitle={error} extra={<Button onClick={() => location.reload()}>重试</Button>} />
  if (recovery) return <RecoveryScreen status={recovery} onDone={() => location.reload()} />
  if (township === undefined) return <Spin fullscreen tip="正在打开…" />
  if (township === null) return <SetupPage onDone={setTownship} />

  const visible = pages.filter((p) => p.modes.includes(township.mode))
  const current = visible.find((p) => p.key === page) ?? visible[0]!
  return (
    <TownshipContext.Provider value={township}>
      <NavContext.Provider value={nav}>
        <Layout style={{ minHeight: '100vh' }}>
          <Layout.Sider width={190} theme="light" style={{ borderRight: '1px solid #eee' }}>
            <div style={{ padding: '16px 16px 8px' }}>
              <Typography.Title level={4} style={{ margin: 0, color: '#b7312c' }}>
                平安台账
              </Typography.Title>
              <Typography.Text type="secondary">
                {township.mode === 'county' ? `${township.county}（县区汇总）` : township.name}
              </Typography.Text>
            </div>
            <OperatorPicker askAtStart={startedSetUp} />
            <Menu
              mode="inline"
              selectedKeys={[current.key]}
              items={visible.map((p) => ({ key: p.key, icon: p.icon, label: p.label }))}
              onClick={(e) => nav.go(e.key)}
            />
          </Layout.Sider>
          <Layout.Content style={{ padding: 20, background: '#f5f6f8', minWidth: 0 }}>
            <IntegrityWatch />
            {current.render(params)}
          </Layout.Content>
        </Layout>
      </NavContext.Provider>
    </TownshipContext.Provider>
  )
}
