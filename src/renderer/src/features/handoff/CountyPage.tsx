import { useCallback, useEffect, useMemo, useState } from 'react'
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography } from 'antd'
import type { ColDef } from 'ag-grid-community'
import type { CountyColumn, CountySummaryRow, CountyTownship, HandoffHistory } from '../../../../shared/handoff/schema'
import { formatRate, rateLabels, type RateName } from '../../../../shared/stats/rates'
import { recordTableLabels, recordTables } from '../../../../shared/registers'
import { ApiCallError, downloadBase64, invoke } from '../../api'
import { showApiError, clearApiError } from '../../components/apiForm'
import { RegisterGrid } from '../../components/RegisterGrid'
import { ImportPanel } from './ImportPanel'
import { PathPicker } from '../../components/PathPicker'
import { ExportHistory, download, when } from './HandoffPage'

// every record table a package carries, by the registry's names (a new register shows up here by itself)
const registers = recordTables.map((t) => ({ value: t, label: recordTableLabels[t] }))

function Townships({ rows }: { rows: CountyTownship[] }) {
  return (
    <Table<CountyTownship>
      size="small"
      rowKey="code"
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: '还没有导入任何乡镇的数据包' }}
      columns={[
        { title: '区划代码', dataIndex: 'code', width: 130 },
        { title: '乡镇（街道）', dataIndex: 'name' },
        { title: '最新数据包', width: 100, render: (_, t) => `第 ${t.lastSeq} 号` },
        { title: '导出时间', width: 170, render: (_, t) => when(t.lastPackageAt) },
        { title: '导入时间', width: 170, render: (_, t) => when(t.lastImportedAt) },
        { title: '已导入包数', dataIndex: 'packages', width: 100, align: 'right' },
        {
          title: '缺包',
          render: (_, t) => (t.missing.length ? <Tag color="red">缺第 {t.missing.slice(0, 8).join('、')}{t.missing.length > 8 ? ' 等' : ''} 号</Tag> : <Tag color="green">无</Tag>),
        },
        { title: '成员', width: 80, align: 'right', render: (_, t) => t.counts.members ?? 0 },
        { title: '巡逻', width: 90, align: 'right', render: (_, t) => t.counts.patrols ?? 0 },
        { title: '纠纷', width: 80, align: 'right', render: (_, t) => t.counts.mediation_cases ?? 0 },
        { title: '帮教对象', width: 90, align: 'right', render: (_, t) => t.counts.aftercare_people ?? 0 },
      ]}
    />
  )
}

function Records({ towns }: { towns: CountyTownship[] }) {
  const [table, setTable] = useState('members')
  const [township, setTownship] = useState<string | undefined>(undefined)
  const [q, setQ] = useState('')
  const [columns, setColumns] = useState<CountyColumn[]>([])
  const [total, setTotal] = useState(0)
  const names = useMemo(() => new Map(towns.map((t) => [t.code, t.name])), [towns])
  const colDefs: ColDef<Record<string, unknown> & { id: string }>[] = useMemo(
    () =>
      columns
        .filter((c) => !['createdAt', 'deletedAt'].includes(c.field))
        .map((c) => ({
          field: c.field,
          headerName: c.label,
          ...(c.field === 'township' ? { valueFormatter: (p: { value: unknown }) => names.get(String(p.value)) ?? String(p.value ?? '') } : {}),
        })),
    [columns, names],
  )
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select aria-label="台账" value={table} options={registers} onChange={setTable} style={{ width: 180 }} />
        <Select
          aria-label="乡镇"
          allowClear
          placeholder="全部乡镇"
          value={township}
          onChange={setTownship}
          options={towns.map((t) => ({ value: t.code, label: t.name }))}
          style={{ width: 200 }}
        />
        <Input.Search aria-label="查询" placeholder="名称、编号、内容…" allowClear onSearch={setQ} style={{ width: 260 }} />
        <Typography.Text type="secondary">共 {total} 条（只读）</Typography.Text>
      </Space>
      <RegisterGrid<Record<string, unknown> & { id: string }>
        key={table}
        columns={colDefs}
        reloadKey={`${table}|${township ?? ''}|${q}`}
        onTotal={setTotal}
        fetch={async (p) => {
          const r = await invoke('county.records', { table, ...(township ? { township } : {}), ...(q ? { q } : {}), sort: p.sort, offset: p.offset, limit: Math.min(p.limit, 1000) })
          if (columns.length === 0 || columns.map((c) => c.field).join() !== r.columns.map((c) => c.field).join()) setColumns(r.columns)
          return { rows: r.rows as (Record<string, unknown> & { id: string })[], total: r.total }
        }}
      />
    </Space>
  )
}

const rateNames = Object.keys(rateLabels) as RateName[]

/** rates per township and county-wide, 达标率 of a chosen standard set, and the summary Word file */
function CountyRates({ towns }: { towns: CountyTownship[] }) {
  const { message } = App.useApp()
  const [year, setYear] = useState(new Date().getFullYear())
  const [setId, setSetId] = useState<string | undefined>(undefined)
  const [sets, setSets] = useState<{ value: string; label: string }[]>([])
  const [rows, setRows] = useState<CountySummaryRow[]>([])
  const [loading, setLoading] = useState(false)
  useEffect(() => {
    void invoke('checklist.sets', {}).then((s) => setSets(s.map((x) => ({ value: x.id, label: x.title }))))
  }, [])
  const load = useCallback(async () => {
    setLoading(true)
    try {
      setRows(await invoke('county.summary', { year, ...(setId ? { setId } : {}) }))
    } catch (e) {
      message.error(e instanceof ApiCallError ? e.message : '计算失败')
    } finally {
      setLoading(false)
    }
  }, [year, setId, message])
  useEffect(() => {
    void load()
  }, [load, towns])
  const word = async () => {
    try {
      const f = await invoke('county.summaryDoc', { year, ...(setId ? { setId } : {}) })
      downloadBase64(f.fileName, f.base64, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    } catch (e) {
      message.error(e instanceof ApiCallError ? e.message : '生成失败')
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        年份 <InputNumber aria-label="年份" min={1990} max={2200} value={year} onChange={(v) => v && setYear(v)} />
        达标率依据
        <Select aria-label="标准集" allowClear placeholder="选择标准集" value={setId} onChange={setSetId} options={sets} style={{ width: 320 }} />
        <Button onClick={() => void word()}>生成汇总表（Word）</Button>
      </Space>
      <Table<CountySummaryRow>
        size="small"
        loading={loading}
        rowKey={(r) => r.township ?? 'all'}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '乡镇（街道）', dataIndex: 'name' },
          ...rateNames.map((n) => ({ title: rateLabels[n], align: 'right' as const, render: (_: unknown, r: CountySummaryRow) => formatRate(r[n]) })),
          { title: '达标率', align: 'right' as const, render: (_: unknown, r: CountySummaryRow) => (setId ? formatRate(r.passRate) : '—') },
        ]}
      />
    </Space>
  )
}

function SendStandards({ history, onDone }: { history: HandoffHistory | null; onDone: () => void }) {
  const { message } = App.useApp()
  const [form] = Form.useForm<{ dir: string; setIds?: string[]; passphrase?: string }>()
  const [sets, setSets] = useState<{ value: string; label: string }[]>([])
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void invoke('checklist.sets', {}).then((s) => setSets(s.map((x) => ({ value: x.id, label: `${x.title}${x.origin === 'imported' ? '（县里导入）' : ''}` }))))
  }, [])
  const submit = async (v: { dir: string; setIds?: string[]; passphrase?: string }) => {
    setBusy(true)
    try {
      const r = await invoke('package.exportStandards', { dir: v.dir, ...(v.setIds?.length ? { setIds: v.setIds } : {}), ...(v.passphrase ? { passphrase: v.passphrase } : {}) })
      message.success(`标准包已写入：${r.file}`)
      onDone()
    } catch (e) {
      showApiError(form, e, message.error, ['dir', 'setIds', 'passphrase'])
    } finally {
      setBusy(false)
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" onFinish={submit} style={{ maxWidth: 640 }}>
        <Form.Item name="dir" label="保存到文件夹（U盘）" rules={[{ required: true, message: '请选择保存数据包的U盘或文件夹' }]}>
          <PathPicker kind="folder" title="选择保存标准包的U盘或文件夹" />
        </Form.Item>
        <Form.Item name="setIds" label="下发的标准集" extra="不选则下发县里导入的全部标准集">
          <Select mode="multiple" options={sets} allowClear />
        </Form.Item>
        <Form.Item name="passphrase" label="口令（可选）">
          <Input.Password autoComplete="new-password" style={{ width: 300 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          生成标准包
        </Button>
      </Form>
      <ExportHistory rows={(history?.exports ?? []).filter((x) => x.kind === 'standards')} onDownload={(id) => void download(id, message.error)} />
    </Space>
  )
}

/** 县区汇总: townships and their packages, import, read-only registers, county-wide rates, standards out. */
export function CountyPage() {
  const [towns, setTowns] = useState<CountyTownship[]>([])
  const [history, setHistory] = useState<HandoffHistory | null>(null)
  const load = useCallback(async () => {
    setTowns(await invoke('county.townships', {}))
    setHistory(await invoke('package.history', {}))
  }, [])
  useEffect(() => {
    void load()
  }, [load])
  return (
    <Card title="县区汇总">
      <Tabs
        items={[
          { key: 'towns', label: '乡镇报送情况', children: <Townships rows={towns} /> },
          {
            key: 'import',
            label: '导入数据包',
            children: (
              <ImportPanel
                hint="选择乡镇报送的数据包（可一次多个）。先预览：显示每个乡镇、序号，各台账新增、修改、删除的条数和发现的问题；确认后一次性导入，任何一个文件有问题则全部不导入。每个数据包都核对乡镇的签名，每条记录都按乡镇填表的规则核对。"
                onDone={() => void load()}
              />
            ),
          },
          { key: 'records', label: '台账查询', children: <Records towns={towns} /> },
          { key: 'rates', label: '全县指标与汇总表', children: <CountyRates towns={towns} /> },
          { key: 'standards', label: '下发创建标准', children: <SendStandards history={history} onDone={() => void load()} /> },
        ]}
      />
    </Card>
  )
}
