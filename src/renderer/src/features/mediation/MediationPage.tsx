import { useEffect, useMemo, useRef, useState } from 'react'
import { App, Button, Card, Input, Select, Space, Tag, Typography } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import type { ColDef } from 'ag-grid-community'
import {
  caseCategories,
  caseSourceLabels,
  caseStatuses,
  caseStatusLabels,
  fulfillmentLabels,
  type CaseStatus,
  type MediationCase,
} from '../../../../shared/mediation/schema'
import { invoke } from '../../api'
import { actionsColumn } from '../../components/actionsColumn'
import { RegisterGrid, type GridQuery, type RegisterGridHandle } from '../../components/RegisterGrid'
import { deleteWithUndo } from '../../components/undo'
import { useOrg } from '../../components/useOrg'
import { CaseForm } from './CaseForm'
import { ExportDocButton } from '../documents/ExportDocButton'
import { ExcelButtons } from '../excel/ExcelButtons'

const TEXT_FILTER = { filter: 'agTextColumnFilter', filterParams: { filterOptions: ['contains'], maxNumConditions: 1 } }
const statusColor: Record<CaseStatus, string> = { pending: 'orange', mediating: 'blue', success: 'green', failed: 'red', referred: 'default' }

export function MediationPage({ openId }: { openId?: string }) {
  const { message, notification } = App.useApp()
  const org = useOrg()
  const grid = useRef<RegisterGridHandle>(null)
  const [q, setQ] = useState('')
  const [villageId, setVillageId] = useState<string | undefined>()
  const [status, setStatus] = useState<CaseStatus | undefined>()
  const [category, setCategory] = useState<string | undefined>()
  const [year, setYear] = useState<number | undefined>()
  const [editing, setEditing] = useState<MediationCase | null>(null)
  const [formOpen, setFormOpen] = useState(false)
  const [total, setTotal] = useState(0)

  useEffect(() => {
    if (openId) void invoke('mediation.get', { id: openId }).then((c) => (setEditing(c), setFormOpen(true)))
  }, [openId])

  const refresh = () => grid.current?.refresh()
  const remove = (c: MediationCase) =>
    deleteWithUndo({ message, notification }, `案件 ${c.caseNo}`, () => invoke('mediation.delete', { id: c.id }), () => invoke('mediation.restore', { id: c.id }), refresh)

  const open = async (c: MediationCase) => {
    setEditing(await invoke('mediation.get', { id: c.id }))
    setFormOpen(true)
  }

  const columns: ColDef<MediationCase>[] = useMemo(
    () => [
      { headerName: '案件编号', field: 'caseNo', colId: 'caseNo', width: 200, ...TEXT_FILTER },
      { headerName: '受理日期', field: 'receivedOn', colId: 'receivedOn', width: 115 },
      { headerName: '来源', colId: 'source', width: 80, valueGetter: (p) => (p.data ? caseSourceLabels[p.data.source] : '') },
      { headerName: '类型', field: 'category', colId: 'category', width: 110 },
      { headerName: '村（社区）', field: 'villageName', colId: 'villageName', width: 110 },
      { headerName: '申请人', field: 'applicantNames', width: 110, sortable: false },
      { headerName: '被申请人', field: 'respondentNames', width: 110, sortable: false },
      { headerName: '纠纷简要情况', field: 'summary', colId: 'summary', sortable: false, flex: 1, minWidth: 200, ...TEXT_FILTER },
      { headerName: '调解员', colId: 'mediators', sortable: false, width: 110, valueGetter: (p) => (p.data ? p.data.mediatorNames.join('、') : '') },
      {
        headerName: '状态',
        colId: 'status',
        width: 110,
        cellRenderer: (p: { data?: MediationCase }) => (p.data ? <Tag color={statusColor[p.data.status]}>{caseStatusLabels[p.data.status]}</Tag> : null),
      },
      { headerName: '结案日期', field: 'closedOn', colId: 'closedOn', width: 115 },
      { headerName: '履行', colId: 'fulfillment', width: 95, valueGetter: (p) => (p.data?.fulfillment ? fulfillmentLabels[p.data.fulfillment] : '') },
      { headerName: '回访', colId: 'followUps', width: 70, sortable: false, valueGetter: (p) => (p.data ? p.data.followUps.length || '' : '') },
      actionsColumn<MediationCase>({
        openLabel: '办理',
        onOpen: (r) => void open(r),
        onDelete: (r) => void remove(r),
        confirmTitle: (r) => `确定删除案件“${r.caseNo}”吗？`,
        confirmHint: '编号不会再次使用；删除后可在提示中撤销。',
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  )

  // the screen's own filters, shared by the grid and 导出Excel so the export is exactly this view
  const pageFilters = () => ({
    ...(villageId ? { villageId } : {}),
    ...(status ? { status } : {}),
    ...(category ? { category: category as MediationCase['category'] } : {}),
    ...(year ? { year } : {}),
  })
  const fetch = (g: GridQuery) =>
    invoke('mediation.list', {
      q: q || undefined,
      offset: g.offset,
      limit: g.limit,
      sort: g.sort,
      filters: { ...g.filters, ...pageFilters() },
    })
  const thisYear = new Date().getFullYear()

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            矛盾纠纷排查调处台账
          </Typography.Title>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => (setEditing(null), setFormOpen(true))}>
            登记纠纷
          </Button>
          <ExcelButtons
            register="mediation"
            query={() => {
              const g = grid.current?.query()
              return { q: q || undefined, sort: g?.sort, filters: { ...(g?.filters ?? {}), ...pageFilters() } }
            }}
            onImported={refresh}
          />
          <ExportDocButton kind="mediation" params={() => ({ year: year ?? thisYear, villageId })} />
          <Input.Search allowClear placeholder="搜索编号、当事人、情况、村" style={{ width: 240 }} onSearch={setQ} />
          <Select allowClear placeholder="全部年度" style={{ width: 110 }} value={year} onChange={setYear} options={[0, 1, 2, 3, 4].map((i) => ({ value: thisYear - i, label: `${thisYear - i}年` }))} />
          <Select allowClear placeholder="全部村（社区）" style={{ width: 150 }} value={villageId} onChange={setVillageId} options={org.villages.map((v) => ({ value: v.id, label: v.name }))} />
          <Select allowClear placeholder="全部状态" style={{ width: 120 }} value={status} onChange={setStatus} options={caseStatuses.map((s) => ({ value: s, label: caseStatusLabels[s] }))} />
          <Select allowClear placeholder="全部类型" style={{ width: 130 }} value={category} onChange={setCategory} options={caseCategories.map((c) => ({ value: c, label: c }))} />
          <Typography.Text type="secondary">共 {total.toLocaleString()} 件</Typography.Text>
        </Space>
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <RegisterGrid<MediationCase> ref={grid} columns={columns} fetch={fetch} onOpen={(c) => void open(c)} reloadKey={`${q}|${villageId}|${status}|${category}|${year}`} onTotal={setTotal} />
      </Card>
      <CaseForm
        open={formOpen}
        kase={editing}
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
