import { unitKindLabels, villageKindLabels } from '../../shared/domain'
import type { Grid, Unit, Village } from '../../shared/org/schema'
import { criterionStatusLabels, type Evaluation, type SetInfo } from '../../shared/checklist/schema'
import type { Rates } from '../../shared/stats/rates'
import { arDate, h1No, h2No, naturalCompare, percent } from '../../shared/documents/cnText'
import { auditActionLabels } from '../../shared/audit/schema'
import { entryChangesText } from '../../shared/audit/format'
import { readSettings } from '../settings/store'
import { auditForDossier } from '../audit/queries'
import { call, has, listAll } from './data'
import { layout, pack, STYLE, type Block, type Cell, type FontSet, type LaidSection, type SectionSpec, type TableSpec, type TocEntry } from './format'
import { signedTable, type DocContext } from './common'
import { aftercareTable, hazardsTable, mediationTable, membersTable, patrolsTable, visitsTable } from './registers'

/**
 * 迎检档案: cover, 目录, then one section per register (组织与成员, 巡逻, 调解, 帮教, 安全隐患), the
 * checklist results of the township's own standard sets, and on request the year's audit trail; each
 * section on a new page, numbered "— N —" from the first section on. The registers' rows flow across
 * pages; the 目录 is a TOC field over the heading-styled section titles whose cached entries carry the
 * pages the program laid out (format/layout.ts).
 */
interface Part {
  title: string
  anchor: string
  sub: { title: string; anchor: string }[]
  spec: SectionSpec
}

const registerSection = (blocks: Block[], restartAt?: number): SectionSpec => ({
  orientation: 'landscape',
  page: 'register',
  pageNumbers: true,
  ...(restartAt ? { restartAt } : {}),
  blocks,
})

const sectionTitle = (text: string, anchor: string): Block => ({ t: 'p', text, style: STYLE.regSection, anchor, heading: 1, keepNext: true })
const subTitle = (text: string, anchor: string, first: boolean): Block => ({
  t: 'p',
  text,
  style: first ? STYLE.regH2 : { ...STYLE.regH2, before: 120 },
  anchor,
  heading: 2,
  keepNext: true,
})

const bold = (text: string): Cell => ({ text, bold: true })
/** the 合计 row under a numbered table: its label across the 序号 and name columns */
const totalsLabel: Cell = { text: '合计', span: 2, bold: true }

async function orgPart(d: DocContext): Promise<Part> {
  const villages = (await listAll<Village>(d.ctx, 'villages.list', {}, '村（社区）')).sort((a, b) => naturalCompare(a.name, b.name))
  const grids = await listAll<Grid>(d.ctx, 'grids.list', {}, '网格')
  const units = await listAll<Unit>(d.ctx, 'units.list', {}, '单位')
  const vname = new Map(villages.map((v) => [v.id, v.name]))
  const gridsOf = (v: Village) => grids.filter((g) => g.villageId === v.id).sort((a, b) => naturalCompare(a.name, b.name))
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
      const gs = gridsOf(v)
      return [v.name, villageKindLabels[v.kind], String(v.households), String(v.population), String(gs.length), gs.map((g) => `${g.name}（${g.households}户）`).join('、')]
    }),
    totals: [
      [
        totalsLabel,
        bold(''),
        bold(String(villages.reduce((a, v) => a + v.households, 0))),
        bold(String(villages.reduce((a, v) => a + v.population, 0))),
        bold(String(grids.filter((g) => vname.has(g.villageId)).length)),
        bold(''),
      ],
    ],
  }
  const sortedUnits = [...units].sort((a, b) => naturalCompare(a.villageId ? (vname.get(a.villageId) ?? '') : '', b.villageId ? (vname.get(b.villageId) ?? '') : '') || naturalCompare(a.name, b.name))
  const unitTable: TableSpec = {
    numbered: true,
    columns: [
      { title: '序号', width: 6 },
      { title: '单位名称', width: 40, align: 'left' },
      { title: '类型', width: 16 },
      { title: '所在村（社区）', width: 22 },
      { title: '人数', width: 16 },
    ],
    rows: sortedUnits.map((u) => [u.name, unitKindLabels[u.kind] ?? u.kind, u.villageId ? (vname.get(u.villageId) ?? '') : '', String(u.headcount)]),
    totals: [[totalsLabel, bold(''), bold(''), bold(String(units.reduce((a, u) => a + u.headcount, 0)))]],
  }
  const members = await membersTable(d)
  const title = `${h1No(1)}组织机构与成员`
  const sub = [
    { title: `${h2No(1)}村（社区）与网格`, anchor: 'org-villages' },
    { title: `${h2No(2)}单位`, anchor: 'org-units' },
    { title: `${h2No(3)}成员花名册`, anchor: 'org-members' },
  ]
  const kind = d.township.name.endsWith('镇') || d.township.name.endsWith('乡') ? '乡镇' : '街道'
  const blocks: Block[] = [
    sectionTitle(title, 'org'),
    {
      t: 'p',
      text: `全${kind}共有村（社区）${villages.length}个、网格${grids.length}个、单位${units.length}个，${d.year}年在册成员${members.count}人。`,
      style: STYLE.regBody,
      box: true,
    },
    subTitle(sub[0]!.title, sub[0]!.anchor, true),
    { t: 'table', spec: villageTable },
    subTitle(sub[1]!.title, sub[1]!.anchor, false),
    { t: 'table', spec: unitTable },
    subTitle(sub[2]!.title, sub[2]!.anchor, false),
    { t: 'table', spec: signedTable(d, members.spec) },
  ]
  return { title, anchor: 'org', sub, spec: registerSection(blocks, 1) }
}

async function rates(d: DocContext): Promise<Rates | null> {
  if (!has('stats.rates')) return null
  return call<Rates>(d.ctx, 'stats.rates', { year: d.year }, '统计')
}

async function patrolPart(d: DocContext, n: number): Promise<Part> {
  const t = await patrolsTable(d)
  const title = `${h1No(n)}巡逻记录台账`
  const withFindings = t.spec.rows.filter((r) => r[7] !== '无').length
  return {
    title,
    anchor: 'patrols',
    sub: [],
    spec: registerSection([
      sectionTitle(title, 'patrols'),
      { t: 'p', text: `${d.year}年共开展巡逻${t.count}次，其中发现问题并处理${withFindings}次。`, style: STYLE.regBody, box: true },
      { t: 'table', spec: signedTable(d, t.spec) },
    ]),
  }
}

async function mediationPart(d: DocContext, r: Rates | null, n: number): Promise<Part> {
  const t = await mediationTable(d)
  const title = `${h1No(n)}矛盾纠纷排查调处台账`
  const summary = r
    ? `${d.year}年受理矛盾纠纷${r.counts.casesReceived}件，调解成功${r.counts.casesSuccess}件，调解率${percent(r.mediationRate)}，调解成功率${percent(r.mediationSuccessRate)}，协议履行率${percent(r.mediationFulfillmentRate)}。`
    : `${d.year}年受理矛盾纠纷${t.count}件。`
  return {
    title,
    anchor: 'mediation',
    sub: [],
    spec: registerSection([sectionTitle(title, 'mediation'), { t: 'p', text: summary, style: STYLE.regBody, box: true }, { t: 'table', spec: signedTable(d, t.spec) }]),
  }
}

async function aftercarePart(d: DocContext, r: Rates | null, n: number): Promise<Part> {
  const t = await aftercareTable(d)
  const v = await visitsTable(d)
  const title = `${h1No(n)}安置帮教`
  const sub = [
    { title: `${h2No(1)}帮教对象花名册`, anchor: 'aftercare-people' },
    { title: `${h2No(2)}帮教走访记录`, anchor: 'aftercare-visits' },
  ]
  const summary = r
    ? `${d.year}年在帮教期内的帮教对象${r.counts.underAftercare}人，帮教率${percent(r.aftercareRate)}，安置率${percent(r.placementRate)}，重新犯罪率${percent(r.recidivismRate)}；全年走访${v.count}次。`
    : `${d.year}年在帮教期内的帮教对象${t.count}人，全年走访${v.count}次。`
  return {
    title,
    anchor: 'aftercare',
    sub,
    spec: registerSection([
      sectionTitle(title, 'aftercare'),
      { t: 'p', text: summary, style: STYLE.regBody, box: true },
      subTitle(sub[0]!.title, sub[0]!.anchor, true),
      { t: 'table', spec: signedTable(d, t.spec) },
      subTitle(sub[1]!.title, sub[1]!.anchor, false),
      { t: 'table', spec: signedTable(d, v.spec) },
    ]),
  }
}

/** 安全隐患排查整改台账, beside the other registers, with the year's 整改率 and 按期整改率 (stats.rates) */
async function hazardsPart(d: DocContext, r: Rates | null, n: number): Promise<Part> {
  const t = await hazardsTable(d)
  const title = `${h1No(n)}安全隐患排查整改台账`
  const summary = r
    ? `${d.year}年排查发现安全隐患${r.counts.hazardsFound}条，已整改销号${r.counts.hazardsClosed}条，整改率${percent(r.hazardRectificationRate)}，按期整改率${percent(r.hazardOnTimeRate)}。`
    : `${d.year}年排查发现安全隐患${t.count}条，已整改销号${t.hazards.filter((h) => h.status === 'closed').length}条。`
  return {
    title,
    anchor: 'hazards',
    sub: [],
    spec: registerSection([sectionTitle(title, 'hazards'), { t: 'p', text: summary, style: STYLE.regBody, box: true }, { t: 'table', spec: signedTable(d, t.spec) }]),
  }
}

/** a target's place in the list: 未开展 when it has no answer yet, else the status of its criteria */
type Standing = 'met' | 'unmet' | 'unknown' | 'na' | 'notStarted'
const standingLabels: Record<Standing, string> = { ...criterionStatusLabels, notStarted: '未开展自查' }

/**
 * One set's results. The summary, the roll-up and the list below it are counted from the same rows:
 * a target counts as 参加创建 when it has answers, and the list says 未开展自查 for the others, so
 * the sentence, the 合计 and the list agree; 合计 adds up every row of the roll-up (总体目标 too).
 */
function setBlocks(ev: Evaluation, n: number, anchor: string, title: string): Block[] {
  const byTarget = new Map<string, Record<'met' | 'unmet' | 'unknown' | 'na', number>>()
  for (const r of ev.results) {
    const c = byTarget.get(r.targetId) ?? { met: 0, unmet: 0, unknown: 0, na: 0 }
    c[r.status]++
    byTarget.set(r.targetId, c)
  }
  const participating = new Set(ev.results.filter((r) => r.entry !== null).map((r) => r.targetId))
  const standing = (id: string): Standing => (participating.has(id) ? (ev.targetStatus[id] ?? 'unknown') : 'notStarted')
  const rows = ev.rollups.map((k) => {
    const ts = ev.targets.filter((t) => t.kind === k.kind)
    const count = (s: Standing) => ts.filter((t) => standing(t.id) === s).length
    const joined = ts.length - count('notStarted')
    const rated = joined - count('na')
    return { label: k.label, total: ts.length, joined, met: count('met'), unmet: count('unmet'), unknown: count('unknown'), na: count('na'), notStarted: count('notStarted'), rated }
  })
  const sum = (f: (x: (typeof rows)[number]) => number) => rows.reduce((a, x) => a + f(x), 0)
  const total = { label: '合计', total: sum((x) => x.total), joined: sum((x) => x.joined), met: sum((x) => x.met), unmet: sum((x) => x.unmet), unknown: sum((x) => x.unknown), na: sum((x) => x.na), notStarted: sum((x) => x.notStarted), rated: sum((x) => x.rated) }
  const rate = (a: number, b: number) => (b === 0 ? null : a / b)
  const line = (x: typeof total, strong: boolean): Cell[] =>
    [x.label, String(x.total), String(x.joined), String(x.met), String(x.unmet), String(x.unknown), String(x.na), String(x.notStarted), percent(rate(x.joined, x.total)), percent(rate(x.met, x.rated))].map((text) => ({
      text,
      ...(strong ? { bold: true } : {}),
    }))
  const kindLabel = new Map(ev.kinds.map((k) => [k.kind, k.label]))
  const targets = [...ev.targets].sort((a, b) => ev.kinds.findIndex((k) => k.kind === a.kind) - ev.kinds.findIndex((k) => k.kind === b.kind) || naturalCompare(a.villageName ?? '', b.villageName ?? '') || naturalCompare(a.name, b.name))
  return [
    subTitle(title, anchor, n === 1),
    {
      t: 'p',
      text: `共有创建对象${total.total}个，参加创建${total.joined}个（达标${total.met}个、未达标${total.unmet}个、待核实${total.unknown}个、不适用${total.na}个），未开展自查${total.notStarted}个；创建率${percent(rate(total.joined, total.total))}，达标率${percent(rate(total.met, total.rated))}。`,
      style: STYLE.regBody,
      box: true,
    },
    {
      t: 'table',
      spec: {
        columns: [
          { title: '创建对象类别', width: 20, align: 'left' },
          { title: '对象数', width: 9 },
          { title: '参加创建', width: 9 },
          { title: '达标', width: 9 },
          { title: '未达标', width: 9 },
          { title: '待核实', width: 9 },
          { title: '不适用', width: 9 },
          { title: '未开展', width: 9 },
          { title: '创建率', width: 11 },
          { title: '达标率', width: 11 },
        ],
        rows: rows.map((x) => line({ ...x }, false)),
        totals: [line(total, true)],
      },
    },
    {
      t: 'table',
      spec: {
        numbered: true,
        columns: [
          { title: '序号', width: 6 },
          { title: '创建对象', width: 24, align: 'left' },
          { title: '类别', width: 14 },
          { title: '所在村（社区）', width: 14 },
          { title: '自查结果', width: 10 },
          { title: '达标项', width: 8 },
          { title: '未达标项', width: 8 },
          { title: '待核实项', width: 8 },
          { title: '不适用项', width: 8 },
        ],
        rows: targets.map((t) => {
          const c = byTarget.get(t.id) ?? { met: 0, unmet: 0, unknown: 0, na: 0 }
          const s = standing(t.id)
          return [t.name, kindLabel.get(t.kind) ?? t.kind, t.villageName ?? '', standingLabels[s], String(c.met), String(c.unmet), String(c.unknown), String(c.na)]
        }),
      },
    },
  ]
}

async function checklistPart(d: DocContext, n: number): Promise<Part> {
  const title = `${h1No(n)}创建标准自查结果`
  const blocks: Block[] = [sectionTitle(title, 'checklist')]
  const sub: Part['sub'] = []
  if (!has('checklist.evaluate')) {
    blocks.push({ t: 'p', text: '（本机尚未安装创建标准自查功能。）', style: STYLE.regBody, box: true })
  } else {
    // only the township's own standards (设置 → 适用的创建标准)
    const sets = await call<SetInfo[]>(d.ctx, 'checklist.sets', {}, '创建标准自查')
    if (sets.length === 0) blocks.push({ t: 'p', text: '本乡镇（街道）尚未选择适用的创建标准。', style: STYLE.regBody, box: true })
    let k = 0
    for (const set of sets) {
      const ev = await call<Evaluation>(d.ctx, 'checklist.evaluate', { setId: set.id, year: d.year }, '创建标准自查')
      k++
      const anchor = `checklist-${set.id}`
      const subTitle = `${h2No(k)}${set.title}`
      sub.push({ title: subTitle, anchor })
      blocks.push(...setBlocks(ev, k, anchor, subTitle))
    }
  }
  return { title, anchor: 'checklist', sub, spec: registerSection(blocks) }
}

/** 附录: the year's audit trail in human terms — the same text as the 操作记录 screen (audit/describe.ts). */
function auditPart(d: DocContext): Part {
  const entries = auditForDossier(d.ctx, { from: `${d.year}-01-01`, to: `${d.year}-12-31` })
  const title = '附录\u3000操作记录'
  return {
    title,
    anchor: 'audit',
    sub: [],
    spec: registerSection([
      sectionTitle(title, 'audit'),
      { t: 'p', text: `${d.year}年共记录新增、修改、删除、恢复操作${entries.length}次（身份证号已打码）。`, style: STYLE.regBody, box: true },
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
            { title: '修改内容（原值 → 新值）', width: 40, align: 'left' },
          ],
          rows: entries.map((e) => [
            e.atText,
            e.operator,
            e.tableLabel,
            e.recordLabel,
            auditActionLabels[e.action],
            entryChangesText(e),
          ]),
        },
      },
    ]),
  }
}

export interface DossierResult {
  buffer: Buffer
  pages: number
  /** TOC entries with the page numbers printed */
  toc: TocEntry[]
  /** the laid-out sections (cover, contents, parts): predicted pages and fill */
  sections: LaidSection[]
}

export async function dossier(d: DocContext, fonts: FontSet, options: { audit?: boolean } = {}): Promise<DossierResult> {
  const r = await rates(d)
  const parts = [await orgPart(d), await patrolPart(d, 2), await mediationPart(d, r, 3), await aftercarePart(d, r, 4), await hazardsPart(d, r, 5), await checklistPart(d, 6)]
  if (options.audit) parts.push(auditPart(d))
  const laid = layout(
    parts.map((p) => p.spec),
    fonts,
  )
  const toc: TocEntry[] = []
  let start = 1
  parts.forEach((p, i) => {
    const sec = laid[i]!
    toc.push({ title: p.title, page: start + (sec.anchors.get(p.anchor) ?? 0), level: 1 })
    for (const s of p.sub) toc.push({ title: s.title, page: start + (sec.anchors.get(s.anchor) ?? 0), level: 2 })
    start += sec.pages
  })

  const settings = readSettings(d.ctx)
  // labels four characters wide (立 卷 人 spaced with en spaces), so the colons line up
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
      line('保管期限', settings.retention),
      line('立\u2002卷\u2002人', settings.operator || '\u3000'.repeat(6)),
      line('立卷日期', arDate(d.today)),
    ],
  }
  const tocSpec: SectionSpec = {
    orientation: 'portrait',
    pageNumbers: false,
    blocks: [
      { t: 'p', text: '目\u3000\u3000录', style: { ...STYLE.title, after: 400 } },
      { t: 'toc', entries: toc },
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
  return { buffer, pages: all.reduce((a, s) => a + s.pages, 0), toc, sections: all }
}
