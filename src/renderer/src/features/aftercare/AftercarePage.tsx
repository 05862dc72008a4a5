import { useEffect, useMemo, useRef, useState } from 'react'
import { App, Button, Card, Input, Select, Space, Switch, Tag, Typography } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import type { ColDef } from 'ag-grid-community'
import { aftercareKindLabels, placements, placementLabels, riskLabels, type AftercarePerson, type Placement } from '../../../../shared/aftercare/schema'
import { invoke } from '../../api'
import { actionsColumn } from '../../components/actionsColumn'
import { RegisterGrid, type GridQuery, type RegisterGridHandle } from '../../components/RegisterGrid'
import { deleteWithUndo } from '../../components/undo'
import { useOrg } from '../../components/useOrg'
import { PersonForm } from './PersonForm'
import { ExportDocButton } from '../documents/ExportDocButton'
import { ExcelButtons } from '../excel/ExcelButtons'

const TEXT_FILTER = { filter: 'agTextColumnFilter', filterParams: { filterOptions: ['contains'], maxNumConditions: 1 } }

export function AftercarePage({ openId }: { openId?: string }) {
  const { message, notification } = App.useApp()
  const org = useOrg()
  const grid = useRef<RegisterGridHandle>(null)
  const [q, setQ] = useState('')
  const [villageId, setVillageId] = useState<string | undefined>()
  const [placement, setPlacement] = useState<Placement | undefined>()
  const [current, setCurrent] = useState(true)
  const [fullId, setFullId] = useState(false)
  const [editing, setEditing] = useState<AftercarePerson | null>(null)
  const [formOpen, setFormOpen] = useState(false)
  const [total, setTotal] = useState(0)

  useEffect(() => {
    if (openId) void invoke('aftercare.people.get', { id: openId }).then((p) => (setEditing(p), setFormOpen(true)))
  }, [openId])

  const refresh = () => grid.current?.refresh()
  const remove = (p: AftercarePerson) =>
    deleteWithUndo({ message, notification }, `帮教对象 ${p.name}`, () => invoke('aftercare.people.delete', { id: p.id }), () => invoke('aftercare.people.restore', { id: p.id }), refresh)

  const open = async (p: AftercarePerson) => {
    setEditing(await invoke('aftercare.people.get', { id: p.id }))
    setFormOpen(true)
  }

  const columns: ColDef<AftercarePerson>[] = useMemo(
    () => [
      { headerName: '姓名', field: 'name', colId: 'name', width: 100, ...TEXT_FILTER },
      { headerName: '身份证号', field: 'idNumber', colId: 'idNumber', width: 190, cellStyle: { fontFamily: 'monospace' }, sortable: false, ...TEXT_FILTER },
      { headerName: '类别', colId: 'kind', width: 120, valueGetter: (p) => (p.data ? aftercareKindLabels[p.data.kind] : '') },
      { headerName: '村（社区）', field: 'villageName', colId: 'villageName', width: 110 },
      { headerName: '罪名', field: 'crime', colId: 'crime', width: 120 },
      { headerName: '释放日期', field: 'releasedOn', colId: 'releasedOn', width: 115 },
      { headerName: '帮教期满', field: 'aftercareUntil', colId: 'aftercareUntil', width: 115 },
      { headerName: '衔接日期', field: 'handoverOn', colId: 'handoverOn', width: 115 },
      {
        headerName: '安置',
        colId: 'placement',
        width: 110,
        cellRenderer: (p: { data?: AftercarePerson }) =>
          p.data ? <Tag color={p.data.placement === 'unplaced' ? 'orange' : 'green'}>{placementLabels[p.data.placement]}</Tag> : null,
      },
      { headerName: '危险性', colId: 'risk', width: 80, valueGetter: (p) => (p.data ? riskLabels[p.data.risk] : '') },
      { headerName: '帮教人员', colId: 'helpers', sortable: false, width: 130, valueGetter: (p) => (p.data ? p.data.helperNames.join('、') : '') },
      { headerName: '最近走访', field: 'lastVisitOn', colId: 'lastVisitOn', width: 115 },
      { headerName: '走访次数', field: 'visitCount', colId: 'visitCount', width: 95 },
      {
        headerName: '情况',
        colId: 'flags',
        sortable: false,
        width: 140,
        cellRenderer: (p: { data?: AftercarePerson }) =>
          p.data ? (
            <Space size={2}>
              {p.data.reoffendedOn && <Tag color="red">重新犯罪</Tag>}
              {p.data.lostContact && <Tag color="red">脱管</Tag>}
            </Space>
          ) : null,
      },
      actionsColumn<AftercarePerson>({
        openLabel: '详情',
        onOpen: (r) => void open(r),
        onDelete: (r) => void remove(r),
        confirmTitle: (r) => `确定删除帮教对象“${r.name}”吗？`,
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  )

  // the screen's own filters, shared by the grid and 导出Excel so the export is exactly this view
  const pageFilters = () => ({
    ...(villageId ? { villageId } : {}),
    ...(placement ? { placement } : {}),
    ...(current ? { current: true } : {}),
  })
  const fetch = (g: GridQuery) =>
    invoke('aftercare.people.list', {
      q: q || undefined,
      offset: g.offset,
      limit: g.limit,
      sort: g.sort,
      fullId,
      filters: { ...g.filters, ...pageFilters() },
    })

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            安置帮教台账
          </Typography.Title>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => (setEditing(null), setFormOpen(true))}>
            新增帮教对象
          </Button>
          <ExcelButtons
            register="aftercare"
            query={() => {
              const g = grid.current?.query()
              return { q: q || undefined, sort: g?.sort, filters: { ...(g?.filters ?? {}), ...pageFilters() }, fullId: fullId || undefined }
            }}
            onImported={refresh}
          />
          <ExportDocButton kind="aftercare" params={() => ({ year: new Date().getFullYear(), villageId, fullId: fullId || undefined })} />
          <Input.Search allowClear placeholder="搜索姓名、身份证号、罪名、村" style={{ width: 240 }} onSearch={setQ} />
          <Select allowClear placeholder="全部村（社区）" style={{ width: 150 }} value={villageId} onChange={setVillageId} options={org.villages.map((v) => ({ value: v.id, label: v.name }))} />
          <Select allowClear placeholder="全部安置情况" style={{ width: 130 }} value={placement} onChange={setPlacement} options={placements.map((p) => ({ value: p, label: placementLabels[p] }))} />
          <Space>
            <Switch checked={current} onChange={setCurrent} />
            <span>仅帮教期内</span>
          </Space>
          <Space>
            <Switch checked={fullId} onChange={setFullId} />
            <span>显示完整证件号</span>
          </Space>
          <Typography.Text type="secondary">共 {total} 人</Typography.Text>
        </Space>
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <RegisterGrid<AftercarePerson> ref={grid} columns={columns} fetch={fetch} onOpen={(p) => void open(p)} reloadKey={`${q}|${villageId}|${placement}|${current}|${fullId}`} onTotal={setTotal} />
      </Card>
      <PersonForm
        open={formOpen}
        person={editing}
        villages={org.villages}
        onClose={() => setFormOpen(false)}
        onSaved={(p) => {
          setEditing(p)
          refresh()
        }}
        onVisitsChanged={refresh}
      />
    </Space>
  )
}
