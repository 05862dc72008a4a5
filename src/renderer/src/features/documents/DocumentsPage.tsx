import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { Alert, App, Button, Card, Col, Progress, Row, Select, Space, Spin, Switch, Tag, Typography } from 'antd'
import { FileWordOutlined } from '@ant-design/icons'
import {
  documentCatalog,
  documentParamLabels,
  type DocumentKind,
  type DocumentKindInfo,
  type DocumentParam,
} from '../../../../shared/documents/schema'
import type { MediationCase } from '../../../../shared/mediation/schema'
import type { AftercarePerson } from '../../../../shared/aftercare/schema'
import type { ChecklistTarget, SetInfo } from '../../../../shared/checklist/schema'
import { invoke } from '../../api'
import { useOrg } from '../../components/useOrg'
import { exportDoc, type DocParams } from './ExportDocButton'

const GROUPS: { group: DocumentKindInfo['group']; title: string; hint: string }[] = [
  { group: '台账', title: '台账', hint: '横向表格，表头每页重复，可直接打印装订' },
  { group: '案卷', title: '案卷', hint: '一案一卷、一人一档' },
  { group: '自查与申报', title: '自查与申报', hint: '按创建标准自查的结果，以及“十大平安”申报材料' },
  { group: '迎检', title: '迎检档案', hint: '封面、目录（带页码）和全部台账，一个文件' },
]

const accepts = (info: DocumentKindInfo, p: DocumentParam) => info.required.includes(p) || info.optional.includes(p)

/** a searchable picker over a list API: typing searches the server, at most 50 shown */
function useSearch<T>(method: 'mediation.list' | 'aftercare.people.list', sort: string) {
  const [q, setQ] = useState('')
  const [rows, setRows] = useState<T[]>([])
  const [loading, setLoading] = useState(false)
  useEffect(() => {
    let live = true
    setLoading(true)
    const t = setTimeout(() => {
      void invoke(method, { q: q || undefined, limit: 50, sort: [{ field: sort, dir: 'desc' }] } as never)
        .then((r) => live && setRows((r as unknown as { rows: T[] }).rows))
        .catch(() => live && setRows([]))
        .finally(() => live && setLoading(false))
    }, 250)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [q, method, sort])
  return { rows, loading, search: setQ }
}

/**
 * 文书打印: every Word document the program writes, grouped, each with the options it takes and a
 * 生成并下载 button. The dossier of a big township takes seconds: a progress bar says so meanwhile.
 */
export function DocumentsPage() {
  const { message } = App.useApp()
  const org = useOrg()
  const thisYear = new Date().getFullYear()
  const [year, setYear] = useState(thisYear)
  const [villageId, setVillageId] = useState<string | undefined>()
  const [fullId, setFullId] = useState(false)
  const [withAudit, setWithAudit] = useState(false)
  const [caseId, setCaseId] = useState<string | undefined>()
  const [personId, setPersonId] = useState<string | undefined>()
  const [sets, setSets] = useState<SetInfo[]>([])
  const [setId, setSetId] = useState<string | undefined>()
  const [targets, setTargets] = useState<ChecklistTarget[]>([])
  const [targetId, setTargetId] = useState<string | undefined>()
  const [busy, setBusy] = useState<DocumentKind | null>(null)
  const [percent, setPercent] = useState(0)
  const [last, setLast] = useState<{ fileName: string; pages: number } | null>(null)

  const cases = useSearch<MediationCase>('mediation.list', 'receivedOn')
  const people = useSearch<AftercarePerson>('aftercare.people.list', 'releasedOn')

  useEffect(() => {
    void invoke('checklist.sets', {})
      .then((s) => {
        setSets(s)
        setSetId((cur) => cur ?? s.find((x) => x.id === 'shida-2020')?.id ?? s[0]?.id)
      })
      .catch(() => setSets([]))
  }, [])
  useEffect(() => {
    if (!setId) return
    let live = true
    void invoke('checklist.evaluate', { setId, year })
      .then((ev) => {
        if (!live) return
        setTargets(ev.targets)
        setTargetId((cur) => (cur && ev.targets.some((t) => t.id === cur) ? cur : undefined))
      })
      .catch(() => live && setTargets([]))
    return () => {
      live = false
    }
  }, [setId, year])

  // the bar creeps towards 95 % while the program works; it cannot know how far along it is
  useEffect(() => {
    if (!busy) return
    setPercent(5)
    const t = setInterval(() => setPercent((p) => Math.min(95, p + Math.max(1, Math.round((95 - p) / 12)))), 400)
    return () => clearInterval(t)
  }, [busy])

  const years = useMemo(() => Array.from({ length: 8 }, (_, i) => thisYear + 1 - i), [thisYear])

  const paramsFor = (info: DocumentKindInfo): DocParams => {
    const all: DocParams = { year, villageId, fullId: fullId || undefined, audit: withAudit || undefined, caseId, personId, setId, targetId }
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(all)) if (v !== undefined && accepts(info, k as DocumentParam)) out[k] = v
    return out as DocParams
  }

  const missing = (info: DocumentKindInfo): string | null => {
    const p = paramsFor(info) as Record<string, unknown>
    const need = info.required.filter((r) => p[r] === undefined)
    return need.length ? `请先选择${need.map((r) => documentParamLabels[r]).join('、')}` : null
  }

  const generate = async (info: DocumentKindInfo) => {
    setBusy(info.kind)
    setLast(null)
    try {
      const r = await exportDoc(info.kind, paramsFor(info))
      setPercent(100)
      setLast({ fileName: r.fileName, pages: r.pages })
      message.success(`已生成 ${r.fileName}（${r.pages}页）`)
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(null)
    }
  }

  const options = (info: DocumentKindInfo) => {
    const out: ReactNode[] = []
    if (accepts(info, 'audit'))
      out.push(
        <Space key="audit">
          <Switch size="small" checked={withAudit} onChange={setWithAudit} aria-label="附录：当年操作记录" />
          附录：当年操作记录
        </Space>,
      )
    if (accepts(info, 'caseId'))
      out.push(
        <Select
          key="case"
          showSearch
          allowClear
          placeholder="选择矛盾纠纷案件（可输入编号或当事人搜索）"
          style={{ width: 380 }}
          value={caseId}
          onChange={setCaseId}
          onSearch={cases.search}
          filterOption={false}
          loading={cases.loading}
          options={cases.rows.map((c) => ({ value: c.id, label: `${c.caseNo}\u3000${c.category}\u3000${c.parties.map((p) => p.name).join('、')}` }))}
        />,
      )
    if (accepts(info, 'personId'))
      out.push(
        <Select
          key="person"
          showSearch
          allowClear
          placeholder="选择帮教对象（可输入姓名搜索）"
          style={{ width: 320 }}
          value={personId}
          onChange={setPersonId}
          onSearch={people.search}
          filterOption={false}
          loading={people.loading}
          options={people.rows.map((p) => ({ value: p.id, label: `${p.name}\u3000${p.villageName ?? ''}\u3000${p.releasedOn ?? ''}` }))}
        />,
      )
    if (accepts(info, 'setId'))
      out.push(
        <Select
          key="set"
          placeholder="选择创建标准"
          style={{ width: 300 }}
          value={setId}
          onChange={setSetId}
          options={sets.map((s) => ({ value: s.id, label: s.title }))}
        />,
      )
    if (accepts(info, 'targetId'))
      out.push(
        <Select
          key="target"
          showSearch
          allowClear
          placeholder="选择创建对象"
          style={{ width: 260 }}
          value={targetId}
          onChange={setTargetId}
          optionFilterProp="label"
          options={targets.map((t) => ({ value: t.id, label: t.villageName && t.villageName !== t.name ? `${t.name}（${t.villageName}）` : t.name }))}
        />,
      )
    return out
  }

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap size={16} align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            文书打印
          </Typography.Title>
          <Space>
            年度
            <Select aria-label="年度" value={year} onChange={setYear} style={{ width: 110 }} options={years.map((y) => ({ value: y, label: `${y}年` }))} />
          </Space>
          <Space>
            村（社区）
            <Select
              aria-label="村（社区）"
              allowClear
              placeholder="全乡镇（街道）"
              value={villageId}
              onChange={setVillageId}
              style={{ width: 180 }}
              options={org.villages.map((v) => ({ value: v.id, label: v.name }))}
            />
          </Space>
          <Space>
            <Switch checked={fullId} onChange={setFullId} aria-label="显示完整证件号" />
            显示完整证件号
          </Space>
          <Typography.Text type="secondary">生成的是Word文档（.docx），用Word或WPS打开后打印。</Typography.Text>
        </Space>
        {fullId && <Alert style={{ marginTop: 8 }} type="warning" showIcon message="文档中将印出完整身份证号，请妥善保管，不要外传。" />}
        {busy && (
          <div style={{ marginTop: 8 }}>
            <Progress percent={percent} status="active" size="small" format={() => '正在生成…'} />
          </div>
        )}
        {last && !busy && (
          <Typography.Text type="success" style={{ display: 'block', marginTop: 8 }}>
            已生成 {last.fileName}，共{last.pages}页，已保存到下载文件夹。
          </Typography.Text>
        )}
      </Card>
      {GROUPS.map((g) => (
        <Card key={g.group} data-group={g.title} size="small" title={g.title} extra={<Typography.Text type="secondary">{g.hint}</Typography.Text>}>
          <Row gutter={[12, 12]}>
            {documentCatalog
              .filter((d) => d.group === g.group)
              .map((info) => {
                const why = missing(info)
                return (
                  <Col key={info.kind} xs={24} xl={12}>
                    <Spin spinning={busy === info.kind} tip="正在生成…">
                      <Card size="small" type="inner" data-kind={info.kind} title={<Space><FileWordOutlined />{info.label}</Space>}>
                        <Space direction="vertical" size={8} style={{ width: '100%' }}>
                          <Typography.Text type="secondary">{info.description}</Typography.Text>
                          <Space wrap size={[6, 6]}>
                            {[...info.required, ...info.optional]
                              .filter((p) => p === 'year' || p === 'villageId' || p === 'fullId')
                              .map((p) => (
                                <Tag key={p}>
                                  {p === 'year' ? `${year}年` : p === 'villageId' ? (org.villages.find((v) => v.id === villageId)?.name ?? '全乡镇（街道）') : fullId ? '完整证件号' : '证件号打码'}
                                </Tag>
                              ))}
                          </Space>
                          {options(info).length > 0 && <Space wrap>{options(info)}</Space>}
                          <Space>
                            <Button type="primary" icon={<FileWordOutlined />} disabled={!!why || (busy !== null && busy !== info.kind)} loading={busy === info.kind} onClick={() => void generate(info)}>
                              生成并下载
                            </Button>
                            {why && <Typography.Text type="secondary">{why}</Typography.Text>}
                          </Space>
                        </Space>
                      </Card>
                    </Spin>
                  </Col>
                )
              })}
          </Row>
        </Card>
      ))}
    </Space>
  )
}
