import { useEffect, useMemo, useRef, useState } from 'react'
import { App, Button, Card, Input, Select, Space, Switch, Tag, Typography } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import type { ColDef } from 'ag-grid-community'
import type { Member, MemberStats } from '../../../../shared/members/schema'
import { roles, roleLabels, type Role } from '../../../../shared/domain'
import { invoke } from '../../api'
import { actionsColumn } from '../../components/actionsColumn'
import { RegisterGrid, type RegisterGridHandle, type GridQuery } from '../../components/RegisterGrid'
import { deleteWithUndo } from '../../components/undo'
import { useOrg } from '../../components/useOrg'
import { MemberForm } from './MemberForm'
import { ExcelButtons } from '../excel/ExcelButtons'
import { ExportDocButton } from '../documents/ExportDocButton'

const TEXT_FILTER = { filter: 'agTextColumnFilter', filterParams: { filterOptions: ['contains'], maxNumConditions: 1 } }

export function MembersPage({ openId }: { openId?: string }) {
  const { message, notification } = App.useApp()
  const org = useOrg()
  const grid = useRef<RegisterGridHandle>(null)
  const [q, setQ] = useState('')
  const [villageId, setVillageId] = useState<string | undefined>()
  const [role, setRole] = useState<Role | undefined>()
  const [fullId, setFullId] = useState(false)
  const [editing, setEditing] = useState<Member | null>(null)
  const [formOpen, setFormOpen] = useState(false)
  const [stats, setStats] = useState<MemberStats | null>(null)
  const [total, setTotal] = useState(0)

  const loadStats = () => void invoke('members.stats', villageId ? { villageId } : {}).then(setStats)
  useEffect(loadStats, [villageId])
  useEffect(() => {
    if (openId) void invoke('members.get', { id: openId }).then((m) => (setEditing(m), setFormOpen(true)))
  }, [openId])

  const refresh = () => {
    grid.current?.refresh()
    loadStats()
  }

  const remove = (m: Member) =>
    deleteWithUndo({ message, notification }, `成员 ${m.name}`, () => invoke('members.delete', { id: m.id }), () => invoke('members.restore', { id: m.id }), refresh)


  const open = async (m: Member) => {
    setEditing(await invoke('members.get', { id: m.id }))
    setFormOpen(true)
  }

  const columns: ColDef<Member>[] = useMemo(
    () => [
      { headerName: '序号', valueGetter: (p) => (p.node?.rowIndex ?? 0) + 1, width: 72, sortable: false },
      { headerName: '姓名', field: 'name', colId: 'name', width: 110, ...TEXT_FILTER },
      { headerName: '身份证号', field: 'idNumber', colId: 'idNumber', width: 190, cellStyle: { fontFamily: 'monospace' }, ...TEXT_FILTER },
      { headerName: '性别', valueGetter: (p) => (p.data ? (p.data.sex === 'male' ? '男' : '女') : ''), width: 70, sortable: false },
      { headerName: '出生日期', field: 'birthDate', width: 120, sortable: false },
      { headerName: '联系电话', field: 'phone', colId: 'phone', width: 140, ...TEXT_FILTER },
      { headerName: '所属村（社区）', field: 'villageName', colId: 'villageName', width: 140 },
      {
        headerName: '职务/角色',
        colId: 'roles',
        sortable: false,
        flex: 1,
        minWidth: 200,
        valueGetter: (p) => (p.data ? p.data.roles.map((r) => roleLabels[r]).join('、') : ''),
      },
      { headerName: '加入日期', field: 'joinedOn', colId: 'joinedOn', width: 120 },
      { headerName: '离队日期', field: 'leftOn', colId: 'leftOn', width: 120 },
      actionsColumn<Member>({
        openLabel: '修改',
        onOpen: (r) => void open(r),
        onDelete: (r) => void remove(r),
        confirmTitle: (r) => `确定删除成员“${r.name}”吗？`,
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  )

  const fetch = (g: GridQuery) =>
    invoke('members.list', {
      q: q || undefined,
      offset: g.offset,
      limit: g.limit,
      sort: g.sort,
      fullId,
      filters: { ...g.filters, ...(villageId ? { villageId } : {}), ...(role ? { role } : {}) },
    })

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            成员台账
          </Typography.Title>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => (setEditing(null), setFormOpen(true))}>
            新增成员
          </Button>
          <ExcelButtons
            register="members"
            query={() => {
              const g = grid.current?.query()
              return { q: q || undefined, sort: g?.sort, filters: { ...(g?.filters ?? {}), ...(villageId ? { villageId } : {}), ...(role ? { role } : {}) }, fullId: fullId || undefined }
            }}
            onImported={refresh}
          />
          <ExportDocButton kind="members" params={() => ({ year: new Date().getFullYear(), villageId, fullId: fullId || undefined })} />
          <Input.Search allowClear placeholder="搜索姓名、身份证号、电话、村" style={{ width: 260 }} onSearch={setQ} />
          <Select allowClear placeholder="全部村（社区）" style={{ width: 160 }} value={villageId} onChange={setVillageId} options={org.villages.map((v) => ({ value: v.id, label: v.name }))} />
          <Select allowClear placeholder="全部职务" style={{ width: 190 }} value={role} onChange={setRole} options={roles.map((r) => ({ value: r, label: roleLabels[r] }))} />
          <Space>
            <Switch checked={fullId} onChange={setFullId} />
            <span>显示完整证件号</span>
          </Space>
          <Typography.Text type="secondary">共 {total} 人</Typography.Text>
        </Space>
      </Card>
      {stats && (
        <Card size="small" title={`在岗 ${stats.active} 人（登记 ${stats.total} 人）`}>
          <Space wrap size={[4, 6]}>
            {stats.byRole
              .filter((r) => r.count > 0)
              .map((r) => (
                <Tag key={r.role} color="red" style={{ cursor: 'pointer' }} onClick={() => setRole(r.role)}>
                  {roleLabels[r.role]} {r.count}
                </Tag>
              ))}
            <span style={{ width: 12 }} />
            {stats.byVillage.map((v) => (
              <Tag key={v.villageId ?? 'none'}>
                {v.villageName} {v.count}
              </Tag>
            ))}
          </Space>
        </Card>
      )}
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <RegisterGrid<Member> ref={grid} columns={columns} fetch={fetch} onOpen={(m) => void open(m)} reloadKey={`${q}|${villageId}|${role}|${fullId}`} onTotal={setTotal} />
      </Card>
      <MemberForm
        open={formOpen}
        member={editing}
        villages={org.villages}
        grids={org.grids}
        units={org.units}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false)
          refresh()
        }}
      />
    </Space>
  )
}
