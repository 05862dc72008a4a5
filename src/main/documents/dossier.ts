import { unitKindLabels, villageKindLabels } from '../../shared/domain'
import type { Grid, Unit, Village } from '../../shared/org/schema'
import { criterionStatusLabels, type Evaluation, type SetInfo } from '../../shared/checklist/schema'
import type { Rates } from '../../shared/stats/rates'
import { cnDate, h1No, h2No, percent } from '../../shared/documents/cnText'
import { readSettings } from '../settings/store'
import { call, has, listAll } from './data'
import { auditForDossier } from '../audit/queries'
import { auditActionLabels } from '../../shared/audit/schema'
import { layout, pack, STYLE, type Block, type FontSet, type LaidSection, type SectionSpec, type TableSpec } from './format'
import type { DocContext } from './common'
import { aftercarePeople, aftercareTable, hazardsTable, mediationTable, membersTable, patrolsTable, visitsTable } from './registers'

/**
 * 迎检档案: cover, table of contents with page numbers, then one section per register and the
 * checklist results (the hazards register after them), each on a new page, numbered "— N —" from
 * the first section on. The program lays out every page itself (format/layout.ts), so the contents
 * print the pages a reader finds.
 */
interface Part {
  title: string
  anchor: string
  sub: { title: string; anchor: string }[]
  /** contents entries of further parts laid out in the same Word section (followedBy) */
  also?: { title: string; anchor: string; level: 1 | 2 }[]
  spec: SectionSpec
}

/**
 * `next` on the pages after `part`, in the same Word section: a new page and its own entry in the
 * contents, while the file keeps the sections it has always had (cover, contents, one per part).
 */
function followedBy(part: Part, next: Part): Part {
  return {
    ...part,
    also: [...(part.also ?? []), { title: next.title, anchor: next.anchor, level: 1 }, ...next.sub.map((s) => ({ ...s, level: 2 as const })), ...(next.also ?? [])],
    spec: { ...part.spec, blocks: [...part.spec.blocks, { t: 'break' }, ...next.spec.blocks] },
  }
}

async function orgPart(d: DocContext): Promise<Part> {
  const villages = await listAll<Village>(d.ctx, 'villages.list', {}, '村（社区）')
  const grids = await listAll<Grid>(d.ctx, 'grids.list', {}, '网格')
  const units = await listAll<Unit>(d.ctx, 'units.list', {}, '单位')
  const vname = new Map(villages.map((v) => [v.id, v.name]))
  const villageTable: TableSpec = {
    numbered: true,
    columns: [
      { title: '序号', width: 5 },
      { title: '村（社区）', width: 14 },
      { title: '类型', width: 6 },
      { title: '户数', width: 8 },
      { title: '人口', width: 8 },
      { title: '网格数', width: 7 },
      { title: '网格', width: 52, align: 'left' },
    ],
    rows: villages.map((v) => {
      const gs = grids.filter((g) => g.villageId === v.id)
      return [v.name, villageKindLabels[v.kind], String(v.households), String(v.population), String(gs.length), gs.map((g) => `${g.name}（${g.households}户）`).join('、')]
    }),
  }
  const unitTable: TableSpec = {
    numbered: true,
    columns: [
      { title: '序号', width: 6 },
      { title: '单位名称', width: 40, align: 'left' },
      { title: '类型', width: 16 },
      { title: '所在村（社区）', width: 22 },
      { title: '人数', width: 16 },
    ],
    rows: units.map((u) => [u.name, unitKindLabels[u.kind] ?? u.kind, u.villageId ? (vname.get(u.villageId) ?? '') : '', String(u.headcount)]),
  }
  const members = await membersTable(d)
  const title = `${h1No(1)}组织机构与成员`
  const sub = [
    { title: `${h2No(1)}村（社区）与网格`, anchor: 'org-villages' },
    { title: `${h2No(2)}单位`, anchor: 'org-units' },
    { title: `${h2No(3)}成员花名册`, anchor: 'org-members' },
  ]
  const blocks: Block[] = [
    { t: 'p', text: title, style: STYLE.regSection, anchor: 'org' },
    {
      t: 'p',
      text: `全${d.township.name.endsWith('镇') || d.township.name.endsWith('乡') ? '乡镇' : '街道'}共有村（社区）${villages.length}个、网格${grids.length}个、单位${units.length}个，${d.year}年在册成员${members.count}人。`,
      style: STYLE.regBody,
    },
    { t: 'p', text: sub[0]!.title, style: STYLE.regH2, anchor: sub[0]!.anchor, keepNext: true },
    { t: 'table', spec: villageTable },
    { t: 'p', text: sub[1]!.title, style: { ...STYLE.regH2, before: 120 }, anchor: sub[1]!.anchor, keepNext: true },
    { t: 'table', spec: unitTable },
    { t: 'p', text: sub[2]!.title, style: { ...STYLE.regH2, before: 120 }, anchor: sub[2]!.anchor, keepNext: true },
    { t: 'table', spec: members.spec },
  ]
  return { title, anchor: 'org', sub, spec: { orientation: 'landscape', page: 'register', pageNumbers: true, restartAt: 1, blocks } }
}

async function rates(d: DocContext): Promise<Rates | null> {
  if (!has('stats.rates')) return null
  return call<Rates>(d.ctx, 'stats.rates', { year: d.year }, '统计')
}

async function patrolPart(d: DocContext): Promise<Part> {
  const t = await patrolsTable(d)
  const title = `${h1No(2)}巡逻记录台账`
  const withFindings = t.spec.rows.filter((r) => r[7] !== '无').length
  return {
    title,
    anchor: 'patrols',
    sub: [],
    spec: {
      orientation: 'landscape', page: 'register',
      pageNumbers: true,
      blocks: [
        { t: 'p', text: title, style: STYLE.regSection, anchor: 'patrols' },
        { t: 'p', text: `${d.year}年共开展巡逻${t.count}次，其中发现问题并处理${withFindings}次。`, style: STYLE.regBody },
        { t: 'table', spec: t.spec },
      ],
    },
  }
}

async function mediationPart(d: DocContext, r: Rates | null): Promise<Part> {
  const t = await mediationTable(d)
  const title = `${h1No(3)}矛盾纠纷排查调处台账`
  const summary = r
    ? `${d.year}年受理矛盾纠纷${r.counts.casesReceived}件，调解成功${r.counts.casesSuccess}件，调解率${percent(r.mediationRate)}，调解成功率${percent(r.mediationSuccessRate)}，协议履行率${percent(r.mediationFulfillmentRate)}。`
    : `${d.year}年受理矛盾纠纷${t.count}件。`
  return {
    title,
    anchor: 'mediation',
    sub: [],
    spec: {
      orientation: 'landscape', page: 'register',
      pageNumbers: true,
      blocks: [
        { t: 'p', text: title, style: STYLE.regSection, anchor: 'mediation' },
        { t: 'p', text: summary, style: STYLE.regBody },
        { t: 'table', spec: t.spec },
      ],
    },
  }
}

async function aftercarePart(d: DocContext, r: Rates | null): Promise<Part> {
  const people = await aftercarePeople(d)
  const t = await aftercareTable(d, people)
  const v = await visitsTable(d)
  const title = `${h1No(4)}安置帮教`
  const sub = [
    { title: `${h2No(1)}帮教对象花名册`, anchor: 'aftercare-people' },
    { title: `${h2No(2)}帮教走访记录`, anchor: 'aftercare-visits' },
  ]
  const summary = r
    ? `${d.year}年在帮教期内的帮教对象${r.counts.underAftercare}人，帮教率${percent(r.aftercareRate)}，安置率${percent(r.placementRate)}，重新犯罪率${percent(r.recidivismRate, 2)}；全年走访${v.count}次。`
    : `${d.year}年在帮教期内的帮教对象${t.count}人，全年走访${v.count}次。`
  return {
    title,
    anchor: 'aftercare',
    sub,
    spec: {
      orientation: 'landscape', page: 'register',
      pageNumbers: true,
      blocks: [
        { t: 'p', text: title, style: STYLE.regSection, anchor: 'aftercare' },
        { t: 'p', text: summary, style: STYLE.regBody },
        { t: 'p', text: sub[0]!.title, style: STYLE.regH2, anchor: sub[0]!.anchor, keepNext: true },
        { t: 'table', spec: t.spec },
        { t: 'p', text: sub[1]!.title, style: { ...STYLE.regH2, before: 120 }, anchor: sub[1]!.anchor, keepNext: true },
        { t: 'table', spec: v.spec },
      ],
    },
  }
}

/**
 * 安全隐患排查整改台账, with the year's 整改率 and 按期整改率 (stats.rates). It comes after the checklist
 * results as 六, so the first five sections keep their numbers.
 */
async function hazardsPart(d: DocContext, r: Rates | null): Promise<Part> {
  const t = await hazardsTable(d)
  const title = `${h1No(6)}安全隐患排查整改台账`
  const summary = r
    ? `${d.year}年排查发现安全隐患${r.counts.hazardsFound}条，已整改销号${r.counts.hazardsClosed}条，整改率${percent(r.hazardRectificationRate)}，按期整改率${percent(r.hazardOnTimeRate)}。`
    : `${d.year}年排查发现安全隐患${t.count}条，已整改销号${t.hazards.filter((h) => h.status === 'closed').length}条。`
  return {
    title,
    anchor: 'hazards',
    sub: [],
    spec: {
      orientation: 'landscape',
      page: 'register',
      pageNumbers: true,
      blocks: [
        { t: 'p', text: title, style: STYLE.regSection, anchor: 'hazards' },
        { t: 'p', text: summary, style: STYLE.regBody },
        { t: 'table', spec: t.spec },
      ],
    },
  }
}

async function checklistPart(d: DocContext): Promise<Part> {
  const title = `${h1No(5)}创建标准自查结果`
  const blocks: Block[] = [{ t: 'p', text: title, style: STYLE.regSection, anchor: 'checklist' }]
  const sub: Part['sub'] = []
  if (!has('checklist.evaluate')) {
    blocks.push({ t: 'p', text: '（本机尚未安装创建标准自查功能。）', style: STYLE.regBody })
  } else {
    const sets = await call<SetInfo[]>(d.ctx, 'checklist.sets', {}, '创建标准自查')
    let n = 0
    for (const set of sets) {
      const ev = await call<Evaluation>(d.ctx, 'checklist.evaluate', { setId: set.id, year: d.year }, '创建标准自查')
      n++
      const anchor = `checklist-${set.id}`
      const subTitle = `${h2No(n)}${set.title}`
      sub.push({ title: subTitle, anchor })
      blocks.push({ t: 'p', text: subTitle, style: { ...STYLE.regH2, before: n > 1 ? 120 : 0 }, anchor, keepNext: true })
      blocks.push({
        t: 'p',
        text: `共有创建对象${ev.overall.total}个，参加创建${ev.overall.participating}个，达标${ev.overall.met}个，未达标${ev.overall.unmet}个，待核实${ev.overall.unknown}个；创建率${percent(ev.overall.creationRate)}，达标率${percent(ev.overall.passRate)}。`,
        style: STYLE.regBody,
      })
      blocks.push({
        t: 'table',
        spec: {
          columns: [
            { title: '创建对象类别', width: 20, align: 'left' },
            { title: '对象数', width: 9 },
            { title: '参加创建', width: 9 },
            { title: '达标', width: 9 },
            { title: '未达标', width: 9 },
            { title: '待核实', width: 9 },
            { title: '未开展', width: 9 },
            { title: '创建率', width: 13 },
            { title: '达标率', width: 13 },
          ],
          rows: [...ev.rollups, ev.overall].map((r) => [
            r.kind === 'overall' ? '合计' : r.label,
            String(r.total),
            String(r.participating),
            String(r.met),
            String(r.unmet),
            String(r.unknown),
            String(r.notStarted),
            percent(r.creationRate),
            percent(r.passRate),
          ]),
        },
      })
      const byTarget = new Map<string, { met: number; unmet: number; unknown: number }>()
      for (const r of ev.results) {
        const c = byTarget.get(r.targetId) ?? { met: 0, unmet: 0, unknown: 0 }
        c[r.status]++
        byTarget.set(r.targetId, c)
      }
      const kindLabel = new Map(ev.kinds.map((k) => [k.kind, k.label]))
      blocks.push({
        t: 'table',
        spec: {
          numbered: true,
          columns: [
            { title: '序号', width: 6 },
            { title: '创建对象', width: 26, align: 'left' },
            { title: '类别', width: 16 },
            { title: '所在村（社区）', width: 16 },
            { title: '自查结果', width: 10 },
            { title: '达标项', width: 9 },
            { title: '未达标项', width: 9 },
            { title: '待核实项', width: 9 },
          ],
          rows: ev.targets.map((t) => {
            const c = byTarget.get(t.id) ?? { met: 0, unmet: 0, unknown: 0 }
            const st = ev.targetStatus[t.id]
            return [t.name, kindLabel.get(t.kind) ?? t.kind, t.villageName ?? '', st ? criterionStatusLabels[st] : '', String(c.met), String(c.unmet), String(c.unknown)]
          }),
        },
      })
    }
  }
  return { title, anchor: 'checklist', sub, spec: { orientation: 'landscape', page: 'register', pageNumbers: true, blocks } }
}

/** 附录: the year's audit trail — who changed what — for an inspector who asks how the registers were kept. */
function auditPart(d: DocContext): Part {
  const entries = auditForDossier(d.ctx, { from: `${d.year}-01-01`, to: `${d.year}-12-31` })
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '（空）' : typeof v === 'string' ? v : JSON.stringify(v))
  const title = '附录\u3000操作记录'
  return {
    title,
    anchor: 'audit',
    sub: [],
    spec: {
      orientation: 'landscape',
      page: 'register',
      pageNumbers: true,
      blocks: [
        { t: 'p', text: title, style: STYLE.regSection, anchor: 'audit' },
        { t: 'p', text: `${d.year}年共记录新增、修改、删除、恢复操作${entries.length}次（身份证号已打码）。`, style: STYLE.regBody },
        {
          t: 'table',
          spec: {
            numbered: true,
            columns: [
              { title: '序号', width: 6 },
              { title: '时间', width: 15 },
              { title: '操作员', width: 9 },
              { title: '台账', width: 10 },
              { title: '记录', width: 14, align: 'left' },
              { title: '操作', width: 6 },
              { title: '修改内容', width: 40, align: 'left' },
            ],
            rows: entries.map((e) => [
              e.at.slice(0, 16).replace('T', ' '),
              e.operator,
              e.tableLabel,
              e.recordLabel,
              auditActionLabels[e.action],
              e.action === 'update' ? e.changes.map((c) => `${c.label}：${show(c.old)} → ${show(c.new)}`).join('；') : '',
            ]),
          },
        },
      ],
    },
  }
}

export interface DossierResult {
  buffer: Buffer
  pages: number
  /** TOC entries with the page numbers printed */
  toc: { title: string; page: number; level: 1 | 2 }[]
}

export async function dossier(d: DocContext, fonts: FontSet, options: { audit?: boolean } = {}): Promise<DossierResult> {
  const r = await rates(d)
  const parts = [await orgPart(d), await patrolPart(d), await mediationPart(d, r), await aftercarePart(d, r), followedBy(await checklistPart(d), await hazardsPart(d, r))]
  if (options.audit) parts.push(auditPart(d))
  const laid = layout(
    parts.map((p) => p.spec),
    fonts,
  )
  const toc: DossierResult['toc'] = []
  let start = 1
  parts.forEach((p, i) => {
    const sec = laid[i]!
    toc.push({ title: p.title, page: start + (sec.anchors.get(p.anchor) ?? 0), level: 1 })
    for (const s of p.sub) toc.push({ title: s.title, page: start + (sec.anchors.get(s.anchor) ?? 0), level: 2 })
    for (const a of p.also ?? []) toc.push({ title: a.title, page: start + (sec.anchors.get(a.anchor) ?? 0), level: a.level })
    start += sec.pages
  })

  const settings = readSettings(d.ctx)
  const line = (label: string, value: string): Block => ({
    t: 'p',
    text: [{ text: `${label}：`, font: 'hei' }, { text: value }],
    style: { font: 'body', size: 16, line: 700, align: 'left', indent: 2600 },
  })
  const cover: SectionSpec = {
    orientation: 'portrait',
    pageNumbers: false,
    blocks: [
      { t: 'space', lines: 3 },
      { t: 'p', text: d.township.name, style: { font: 'title', size: 26, line: 900, align: 'center' } },
      { t: 'p', text: '平安创建迎检档案', style: { font: 'title', size: 36, line: 1100, align: 'center' } },
      { t: 'p', text: `（${d.year}年度）`, style: { font: 'kai', size: 18, line: 700, align: 'center' } },
      { t: 'space', lines: 5 },
      line('立卷单位', `${d.township.name}综治办`),
      line('年\u3000\u3000度', `${d.year}年`),
      line('保管期限', '长期'),
      line('立 卷 人', settings.operator || '\u3000'.repeat(6)),
      line('立卷日期', cnDate(d.today)),
    ],
  }
  const tocSpec: SectionSpec = {
    orientation: 'portrait',
    pageNumbers: false,
    blocks: [
      { t: 'p', text: '目\u3000\u3000录', style: { ...STYLE.title, after: 400 } },
      ...toc.map(
        (e): Block => ({
          t: 'p',
          tocTab: true,
          text: `${e.title}\t${e.page}`,
          style: e.level === 1 ? { font: 'hei', size: 16, line: 640, align: 'left' } : { font: 'kai', size: 16, line: 580, align: 'left', indent: 640 },
        }),
      ),
    ],
  }
  const front = layout([cover, tocSpec], fonts)
  // page 1 must fall on an odd (right-hand) page: keep the front matter to an even number of pages
  if ((front[0]!.pages + front[1]!.pages) % 2 === 1) {
    tocSpec.blocks.push({ t: 'break' })
    front[1] = layout([tocSpec], fonts)[0]!
  }
  const all: LaidSection[] = [...front, ...laid]
  const buffer = await pack(all, fonts, { title: `${d.township.name}${d.year}年平安创建迎检档案`, creator: d.township.name })
  return { buffer, pages: all.reduce((a, s) => a + s.pages, 0), toc }
}
