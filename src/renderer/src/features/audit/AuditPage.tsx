import { useEffect, useMemo, useState } from 'react'
import { Button, Card, DatePicker, Input, Select, Space, Tag, Typography } from 'antd'
import type { ColDef } from 'ag-grid-community'
import type { Dayjs } from 'dayjs'
import { auditActionLabels, auditActions, type AuditAction, type AuditChange, type AuditEntry, type AuditFilters } from '../../../../shared/audit/schema'
import { invoke } from '../../api'
import { RegisterGrid, type GridQuery } from '../../components/RegisterGrid'
import { formatTime } from '../backup/format'

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '（空）'
  if (typeof v === 'string') return v.length > 60 ? v.slice(0, 60) + '…' : v
  return JSON.stringify(v).slice(0, 60)
}

export function changesText(changes: AuditChange[]): string {
  return changes.map((c) => `${c.label}：${show(c.old)} → ${show(c.new)}`).join('；')
}

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
      { headerName: '时间', field: 'at', width: 180, sortable: false, valueFormatter: (p) => (p.value ? formatTime(p.value as string) : '') },
      { headerName: '操作员', field: 'operator', width: 110, sortable: false },
      { headerName: '台账', field: 'tableLabel', width: 120, sortable: false },
      { headerName: '记录', field: 'recordLabel', width: 150, sortable: false, tooltipField: 'recordId' },
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
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
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
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <RegisterGrid<AuditEntry> columns={columns} fetch={fetch} reloadKey={`${tableName}|${operator}|${action}|${recordId}|${from}|${to}`} onTotal={setTotal} />
      </Card>
    </Space>
  )
}
