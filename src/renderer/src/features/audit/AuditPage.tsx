import { useEffect, useMemo, useState } from 'react'
import { Button, Card, DatePicker, Input, Select, Space, Tag, Typography } from 'antd'
import type { ColDef } from 'ag-grid-community'
import type { Dayjs } from 'dayjs'
import { auditActionLabels, auditActions, type AuditAction, type AuditEntry, type AuditFilters } from '../../../../shared/audit/schema'
// the one text of an entry's changes, shared with the dossier's appendix
import { changesText } from '../../../../shared/audit/format'
import { invoke } from '../../api'
import { RegisterGrid, type GridQuery } from '../../components/RegisterGrid'

const actionColors: Record<AuditAction, string> = { create: 'green', update: 'blue', delete: 'red', restore: 'orange' }

/** 操作记录: who changed what and when, filtered by register, operator, record, action and dates. */
export function AuditPage({ recordId: initialRecord }: { recordId?: string }) {
  const [filters, setFilters] = useState<AuditFilters>({ operators: [], tables: [] })
  const [tableName, setTableName] = useState<string | undefined>()
  const [operator, setOperator] = useState<string | undefined>()
  const [action, setAction] = useState<AuditAction | undefined>()
  const [recordId, setRecordId] = useState(initialRecord ?? '')
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null)
  const [total, setTotal] = useState(0)

  useEffect(() => {
    void invoke('audit.filters', {}).then(setFilters)
  }, [])

  const columns: ColDef<AuditEntry>[] = useMemo(
    () => [
      // local time as the main side wrote it (atText), the same as the dossier's appendix
      { headerName: '时间', field: 'atText', width: 170, sortable: false },
      { headerName: '操作员', field: 'operator', width: 100, sortable: false },
      { headerName: '台账', field: 'tableLabel', width: 120, sortable: false },
      { headerName: '记录', field: 'recordLabel', width: 150, sortable: false, tooltipField: 'recordLabel' },
      {
        headerName: '操作',
        field: 'action',
        width: 90,
        sortable: false,
        cellRenderer: (p: { value?: AuditAction }) => (p.value ? <Tag color={actionColors[p.value]}>{auditActionLabels[p.value]}</Tag> : null),
      },
      {
        headerName: '变更内容（原值 → 新值）',
        colId: 'changes',
        flex: 1,
        minWidth: 320,
        sortable: false,
        valueGetter: (p) => (p.data ? changesText(p.data.changes) : ''),
        tooltipValueGetter: (p) => (p.data ? changesText(p.data.changes) : ''),
      },
    ],
    [],
  )

  const from = range?.[0]?.format('YYYY-MM-DD')
  const to = range?.[1]?.format('YYYY-MM-DD')
  const fetch = (g: GridQuery) =>
    invoke('audit.list', {
      offset: g.offset,
      limit: Math.min(g.limit, 1000),
      ...(tableName ? { tableName } : {}),
      ...(operator ? { operator } : {}),
      ...(action ? { action } : {}),
      ...(recordId.trim() ? { recordId: recordId.trim() } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    })

  return (
    <div className="register-page">
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            操作记录
          </Typography.Title>
          <Select allowClear placeholder="全部台账" style={{ width: 150 }} value={tableName} onChange={setTableName} options={filters.tables.map((t) => ({ value: t.name, label: t.label }))} />
          <Select allowClear placeholder="全部操作员" style={{ width: 140 }} value={operator} onChange={setOperator} options={filters.operators.map((o) => ({ value: o, label: o }))} />
          <Select allowClear placeholder="全部操作" style={{ width: 110 }} value={action} onChange={setAction} options={auditActions.map((a) => ({ value: a, label: auditActionLabels[a] }))} />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} placeholder={['开始日期', '结束日期']} />
          <Input.Search allowClear placeholder="记录编号" style={{ width: 220 }} defaultValue={recordId} onSearch={setRecordId} />
          {(tableName || operator || action || recordId || range) && (
            <Button
              onClick={() => {
                setTableName(undefined)
                setOperator(undefined)
                setAction(undefined)
                setRecordId('')
                setRange(null)
              }}
            >
              清除筛选
            </Button>
          )}
          <Typography.Text type="secondary">共 {total} 条</Typography.Text>
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          每次新增、修改、删除、恢复记录都会记下时间、操作员和改动的内容（身份证号只显示前6位和后4位）。
        </Typography.Paragraph>
      </Card>
      <Card size="small" className="register-grid" styles={{ body: { padding: 0 } }}>
        <RegisterGrid<AuditEntry>
          height="100%"
          columns={columns}
          fetch={fetch}
          reloadKey={`${tableName}|${operator}|${action}|${recordId}|${from}|${to}`}
          onTotal={setTotal}
          emptyText={tableName || operator || action || recordId || range ? '没有符合条件的操作记录。可以点“清除筛选”再看。' : '还没有操作记录。在各台账中新增、修改或删除记录后，这里会记下是谁、在什么时候、改了什么。'}
        />
      </Card>
    </div>
  )
}
