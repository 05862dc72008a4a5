import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { App, Button, Card, Empty, Modal, Select, Space, Spin, Table, Tabs, Tooltip, Typography } from 'antd'
import { HomeOutlined, ImportOutlined } from '@ant-design/icons'
import dayjs from 'dayjs'
import type { Criterion } from '../../../../shared/checklist/catalog'
import type { ChecklistTarget, CriterionResult, Evaluation, Rollup, SetInfo } from '../../../../shared/checklist/schema'
import { ApiCallError, invoke } from '../../api'
import { ExportDocButton } from '../documents/ExportDocButton'
import { CellDrawer } from './CellDrawer'
import { FamiliesDrawer } from './FamiliesDrawer'
import { StatusTag, pct } from './status'
import { StandardSetsQuestion } from './StandardSetsQuestion'
import { SelfCheckTextsButton } from './SelfCheckTextsButton'

const thisYear = dayjs().year()
const years = Array.from({ length: 6 }, (_, i) => thisYear - i)

/** 创建自查: a set and a year → targets × criteria, each cell 达标 / 未达标 / 待核实. */
export function ChecklistPage() {
  const { message } = App.useApp()
  const [sets, setSets] = useState<SetInfo[]>([])
  const [setId, setSetId] = useState<string | undefined>()
  const [year, setYear] = useState(thisYear)
  const [criteria, setCriteria] = useState<Criterion[]>([])
  const [ev, setEv] = useState<Evaluation | null>(null)
  const [loading, setLoading] = useState(false)
  const [kind, setKind] = useState<string | undefined>()
  const [cell, setCell] = useState<{ targetId: string; criterionId: string } | null>(null)
  const [familiesOpen, setFamiliesOpen] = useState(false)
  const [importErrors, setImportErrors] = useState<string[] | null>(null)
  const fileRef = useRef<HTMLInputElement>(null)

  const loadSets = useCallback(
    () =>
      invoke('checklist.sets', {}).then((s) => {
        setSets(s)
        setSetId((cur) => cur ?? s[0]?.id)
        return s
      }),
    [],
  )
  useEffect(() => void loadSets(), [loadSets])

  const reload = useCallback(() => {
    if (!setId) return
    setLoading(true)
    invoke('checklist.evaluate', { setId, year })
      .then(setEv)
      .catch((e: Error) => message.error(e.message))
      .finally(() => setLoading(false))
  }, [setId, year, message])
  useEffect(reload, [reload])
  useEffect(() => {
    if (setId) void invoke('checklist.criteria', { setId }).then(setCriteria)
  }, [setId])

  // keep the chosen tab when the set still has it
  useEffect(() => {
    if (ev && !ev.kinds.some((k) => k.kind === kind)) setKind(ev.kinds[0]?.kind)
  }, [ev, kind])

  const byId = useMemo(() => new Map(criteria.map((c) => [c.id, c])), [criteria])
  const cells = useMemo(() => {
    const m = new Map<string, CriterionResult>()
    for (const r of ev?.results ?? []) m.set(`${r.targetId}|${r.criterionId}`, r)
    return m
  }, [ev])

  const onImport = async (file: File) => {
    try {
      const r = await invoke('checklist.importSet', { json: await file.text() })
      message.success(r.message)
      await loadSets()
      setSetId(r.set.id)
    } catch (e) {
      const lines = e instanceof ApiCallError ? e.message.split('\n') : [String(e)]
      setImportErrors(lines)
    }
  }

  const current = ev?.kinds.find((k) => k.kind === kind)
  const targets = ev && current ? ev.targets.filter((t) => t.kind === current.kind) : []

  const columns = current
    ? [
        {
          title: '创建对象',
          key: 'target',
          fixed: 'left' as const,
          width: 190,
          render: (_: unknown, t: ChecklistTarget) => (
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{t.name}</Typography.Text>
              {t.villageName && t.villageName !== t.name ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t.villageName}</Typography.Text> : null}
              {setId ? (
                <Space size={8}>
                  <ExportDocButton kind="self-check" params={{ setId, targetId: t.id, year }} label="自查报告" type="link" size="small" style={{ padding: 0, height: 'auto' }} />
                  <SelfCheckTextsButton targetId={t.id} targetName={t.name} year={year} />
                </Space>
              ) : null}
            </Space>
          ),
        },
        {
          title: '总体',
          key: 'overall',
          fixed: 'left' as const,
          width: 90,
          render: (_: unknown, t: ChecklistTarget) => (ev ? <StatusTag status={ev.targetStatus[t.id] ?? 'unknown'} /> : null),
        },
        ...current.criterionIds.map((cid) => {
          const c = byId.get(cid)
          const head = c ? (c.target === 'common' ? `共${c.n}` : String(c.n)) : cid
          return {
            title: (
              <Tooltip title={c ? `${c.title ?? ''}${c.title ? '：' : ''}${c.text}` : cid} styles={{ root: { maxWidth: 520 } }}>
                <span data-criterion={cid}>{head}</span>
              </Tooltip>
            ),
            key: cid,
            width: 92,
            align: 'center' as const,
            render: (_: unknown, t: ChecklistTarget) => {
              const r = cells.get(`${t.id}|${cid}`)
              if (!r) return <Typography.Text type="secondary">—</Typography.Text>
              return (
                <Button
                  type="text"
                  size="small"
                  data-cell={`${t.id}|${cid}`}
                  data-status={r.status}
                  aria-label={`${t.name} ${c?.target === 'common' ? `共性标准第${c.n}条` : `第${head}条`}`}
                  onClick={() => setCell({ targetId: t.id, criterionId: cid })}
                  style={{ padding: 0 }}
                >
                  <StatusTag status={r.status} notApplicable={r.notApplicable} />
                </Button>
              )
            },
          }
        }),
      ]
    : []

  const rollupRows: Rollup[] = ev ? [...ev.rollups, ev.overall] : []
  const set = sets.find((s) => s.id === setId)

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      {/* issue 14: which standard sets apply, asked while none is chosen */}
      <StandardSetsQuestion
        onChosen={() => {
          setSetId(undefined)
          void loadSets()
        }}
      />
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            创建自查
          </Typography.Title>
          <span>标准集</span>
          <Select
            style={{ width: 340 }}
            value={setId}
            onChange={setSetId}
            aria-label="标准集"
            data-testid="set-select"
            options={sets.map((s) => ({ value: s.id, label: `${s.title}${s.origin === 'imported' ? '（导入）' : ''}` }))}
          />
          <span>年度</span>
          <Select style={{ width: 110 }} value={year} onChange={setYear} aria-label="年度" data-testid="year-select" options={years.map((y) => ({ value: y, label: `${y}年` }))} />
          <Button icon={<ImportOutlined />} onClick={() => fileRef.current?.click()}>
            导入县里下发的标准集
          </Button>
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            data-testid="import-set-file"
            style={{ display: 'none' }}
            onChange={(e) => {
              const f = e.target.files?.[0]
              e.target.value = ''
              if (f) void onImport(f)
            }}
          />
          <Button icon={<HomeOutlined />} onClick={() => setFamiliesOpen(true)}>
            平安家庭申报
          </Button>
        </Space>
        {set ? (
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
            依据：{set.source}
            {set.origin === 'imported' ? `（${set.importedAt?.slice(0, 10) ?? ''}导入${set.replacesShipped ? '，替换程序自带版本' : ''}）` : ''}。点击格子查看标准原文、指标数据和计入的记录，并填写确认结果或调查数值。
          </Typography.Paragraph>
        ) : null}
      </Card>

      <Card size="small" title={`${year}年创建率与达标率`}>
        <Table<Rollup>
          size="small"
          pagination={false}
          rowKey="kind"
          dataSource={rollupRows}
          data-testid="rollups"
          columns={[
            { title: '创建对象', dataIndex: 'label', render: (v: string, r) => (r.kind === 'overall' ? <b>{v}</b> : v) },
            { title: '对象数', dataIndex: 'total', width: 80 },
            { title: '参加自查', dataIndex: 'participating', width: 90 },
            { title: '达标', dataIndex: 'met', width: 70 },
            { title: '未达标', dataIndex: 'unmet', width: 80 },
            { title: '待核实', dataIndex: 'unknown', width: 80 },
            { title: '不适用', dataIndex: 'notApplicable', width: 80 },
            { title: '未开始', dataIndex: 'notStarted', width: 80 },
            { title: '创建率', dataIndex: 'creationRate', width: 90, render: pct },
            { title: '达标率', dataIndex: 'passRate', width: 90, render: pct },
          ]}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          创建率 = 参加自查的对象 / 全部对象；达标率 = 适用的标准全部达标的对象 / 参加自查的对象（各条均不适用的对象单列为“不适用”，不计入达标率）。标为不适用的标准不算达标，也不算未达标。“总体目标”不计入全部创建对象。
        </Typography.Text>
      </Card>

      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        {ev ? (
          <>
            <Tabs activeKey={current?.kind} onChange={setKind} items={ev.kinds.map((k) => ({ key: k.kind, label: `${k.label}（${ev.targets.filter((t) => t.kind === k.kind).length}）` }))} />
            <Spin spinning={loading}>
              {targets.length === 0 ? (
                <Empty
                  description={
                    current?.kind === 'family'
                      ? '还没有申报平安家庭。点击上方“平安家庭申报”添加。'
                      : '本乡镇（街道）没有这类创建对象。可在“组织机构”中添加村（社区）、网格和单位。'
                  }
                />
              ) : (
                <Table<ChecklistTarget>
                  size="small"
                  rowKey="id"
                  bordered
                  dataSource={targets}
                  columns={columns}
                  scroll={{ x: 'max-content' }}
                  pagination={targets.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                  data-testid="matrix"
                />
              )}
            </Spin>
          </>
        ) : (
          <Spin style={{ margin: 40 }} />
        )}
      </Card>

      {cell && setId ? (
        <CellDrawer
          setId={setId}
          year={year}
          targetId={cell.targetId}
          criterion={byId.get(cell.criterionId) ?? null}
          onClose={() => setCell(null)}
          onSaved={reload}
        />
      ) : null}
      <FamiliesDrawer open={familiesOpen} onClose={() => (setFamiliesOpen(false), reload())} />
      <Modal
        open={importErrors !== null}
        title="标准集文件未导入"
        onCancel={() => setImportErrors(null)}
        onOk={() => setImportErrors(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText="知道了"
        width={720}
      >
        <Typography.Paragraph strong>{importErrors?.[0]}</Typography.Paragraph>
        <ol style={{ maxHeight: 400, overflow: 'auto', paddingLeft: 24 }} data-testid="import-errors">
          {importErrors?.slice(1).map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ol>
        <Typography.Text type="secondary">请把这些问题告诉下发文件的县综治办，改正后重新导入。现有的标准集没有任何改动。</Typography.Text>
      </Modal>
    </Space>
  )
}
