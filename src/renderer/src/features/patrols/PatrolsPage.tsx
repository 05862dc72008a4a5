import { useEffect, useMemo, useRef, useState } from 'react'
import { App, Button, Card, DatePicker, Input, Select, Space, Tag, Typography } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import type { ColDef } from 'ag-grid-community'
import type { Dayjs } from 'dayjs'
import { patrolModes, patrolModeLabels, type Patrol, type PatrolMonthly, type PatrolTeamSize } from '../../../../shared/patrols/schema'
import { invoke } from '../../api'
import { actionsColumn } from '../../components/actionsColumn'
import { RegisterGrid, type GridQuery, type RegisterGridHandle } from '../../components/RegisterGrid'
import { deleteWithUndo } from '../../components/undo'
import { useOrg } from '../../components/useOrg'
import { PatrolForm } from './PatrolForm'
import { ExportDocButton } from '../documents/ExportDocButton'
import { ExcelButtons } from '../excel/ExcelButtons'

const TEXT_FILTER = { filter: 'agTextColumnFilter', filterParams: { filterOptions: ['contains'], maxNumConditions: 1 } }

export function PatrolsPage({ openId }: { openId?: string }) {
  const { message, notification } = App.useApp()
  const org = useOrg()
  const grid = useRef<RegisterGridHandle>(null)
  const [q, setQ] = useState('')
  const [villageId, setVillageId] = useState<string | undefined>()
  const [mode, setMode] = useState<string | undefined>()
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null)
  const [editing, setEditing] = useState<Patrol | null>(null)
  const [formOpen, setFormOpen] = useState(false)
  const [total, setTotal] = useState(0)
  const [team, setTeam] = useState<PatrolTeamSize | null>(null)
  const [monthly, setMonthly] = useState<PatrolMonthly | null>(null)
  const year = new Date().getFullYear()

  const loadStats = () => {
    void invoke('patrols.teamSize', villageId ? { villageId } : {}).then(setTeam)
    void invoke('patrols.monthly', { year, ...(villageId ? { villageId } : {}) }).then(setMonthly)
  }
  useEffect(loadStats, [villageId, year])
  useEffect(() => {
    if (openId) void invoke('patrols.get', { id: openId }).then((p) => (setEditing(p), setFormOpen(true)))
  }, [openId])

  const refresh = () => {
    grid.current?.refresh()
    loadStats()
  }
  const remove = (p: Patrol) =>
    deleteWithUndo({ message, notification }, `巡逻记录（${p.date} ${p.villageName ?? ''}）`, () => invoke('patrols.delete', { id: p.id }), () => invoke('patrols.restore', { id: p.id }), refresh)

  const open = async (p: Patrol) => {
    setEditing(await invoke('patrols.get', { id: p.id }))
    setFormOpen(true)
  }

  const columns: ColDef<Patrol>[] = useMemo(
    () => [
      { headerName: '序号', valueGetter: (p) => (p.node?.rowIndex ?? 0) + 1, width: 80, sortable: false },
      { headerName: '巡逻日期', field: 'date', colId: 'date', width: 120 },
      {
        headerName: '时间',
        colId: 'startTime',
        width: 150,
        cellRenderer: (p: { data?: Patrol }) =>
          p.data ? (
            <span>
              {p.data.startTime}—{p.data.endTime} {p.data.overnight && <Tag color="purple">跨夜</Tag>}
            </span>
          ) : null,
      },
      { headerName: '村（社区）', field: 'villageName', width: 120, sortable: false },
      { headerName: '方式', colId: 'mode', width: 100, valueGetter: (p) => (p.data ? patrolModeLabels[p.data.mode] : '') },
      { headerName: '带队人', field: 'leaderName', width: 100, sortable: false },
      { headerName: '参加人员', colId: 'members', sortable: false, width: 200, valueGetter: (p) => (p.data ? p.data.memberNames.join('、') : '') },
      { headerName: '巡逻路线', field: 'route', colId: 'route', sortable: false, width: 200, ...TEXT_FILTER },
      { headerName: '发现问题', field: 'findings', colId: 'findings', sortable: false, flex: 1, minWidth: 180, ...TEXT_FILTER },
      { headerName: '处理情况', field: 'handling', sortable: false, width: 180 },
      actionsColumn<Patrol>({
        openLabel: '修改',
        onOpen: (r) => void open(r),
        onDelete: (r) => void remove(r),
        confirmTitle: (r) => `确定删除 ${r.date} 的这条巡逻记录吗？`,
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  )

  const dateFrom = range?.[0]?.format('YYYY-MM-DD')
  const dateTo = range?.[1]?.format('YYYY-MM-DD')
  // the screen's own filters, shared by the grid and 导出Excel so the export is exactly this view
  const pageFilters = () => ({
    ...(villageId ? { villageId } : {}),
    ...(mode ? { mode: mode as Patrol['mode'] } : {}),
    ...(dateFrom ? { dateFrom } : {}),
    ...(dateTo ? { dateTo } : {}),
  })
  const fetch = (g: GridQuery) =>
    invoke('patrols.list', {
      q: q || undefined,
      offset: g.offset,
      limit: g.limit,
      sort: g.sort,
      filters: { ...g.filters, ...pageFilters() },
    })

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            巡逻台账
          </Typography.Title>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => (setEditing(null), setFormOpen(true))}>
            登记巡逻
          </Button>
          <ExcelButtons
            register="patrols"
            query={() => {
              const g = grid.current?.query()
              return { q: q || undefined, sort: g?.sort, filters: { ...(g?.filters ?? {}), ...pageFilters() } }
            }}
            onImported={refresh}
          />
          <ExportDocButton kind="patrols" params={() => ({ year, villageId })} />
          <Input.Search allowClear placeholder="搜索路线、发现问题、村" style={{ width: 240 }} onSearch={setQ} />
          <Select allowClear placeholder="全部村（社区）" style={{ width: 160 }} value={villageId} onChange={setVillageId} options={org.villages.map((v) => ({ value: v.id, label: v.name }))} />
          <Select allowClear placeholder="全部方式" style={{ width: 120 }} value={mode} onChange={setMode} options={patrolModes.map((m) => ({ value: m, label: patrolModeLabels[m] }))} />
          <DatePicker.RangePicker allowEmpty={[true, true]} value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} />
          <Typography.Text type="secondary">共 {total.toLocaleString()} 条</Typography.Text>
        </Space>
      </Card>
      {team && monthly && (
        <Card size="small" title={`${year}年巡逻 ${monthly.total} 次；在岗巡防队员 ${team.total} 人`}>
          <Space wrap size={[4, 6]}>
            {team.rows.map((r) => {
              const m = monthly.rows.find((x) => x.villageId === r.villageId)
              return (
                <Tag
                  key={r.villageId}
                  color={r.short ? 'orange' : undefined}
                  title={`专职 ${r.fulltime} 人，兼职 ${r.parttime} 人${r.minimum ? `（创建标准要求不少于 ${r.minimum} 人）` : ''}；${year}年各月巡逻：${m?.months.join('、') ?? ''}`}
                >
                  {r.villageName}：队员 {r.total} 人{r.short ? `（应不少于 ${r.minimum} 人）` : ''}，本年巡逻 {m?.total ?? 0} 次
                </Tag>
              )
            })}
          </Space>
        </Card>
      )}
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <RegisterGrid<Patrol> ref={grid} columns={columns} fetch={fetch} onOpen={(p) => void open(p)} reloadKey={`${q}|${villageId}|${mode}|${dateFrom}|${dateTo}`} onTotal={setTotal} />
      </Card>
      <PatrolForm
        open={formOpen}
        patrol={editing}
        villages={org.villages}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false)
          refresh()
        }}
      />
    </Space>
  )
}
