import { ApiError } from '../../shared/errors'
import type { CountyChecklist, CountySummaryRow } from '../../shared/handoff/schema'
import type { Rates } from '../../shared/stats/rates'
import { arDate, percent } from '../../shared/documents/cnText'
import { readSettings } from '../settings/store'
import type { Ctx } from '../context'
import { YearData, evaluateSet } from '../checklist/evaluate'
import { getSet } from '../checklist/sets'
import { prepared } from '../db/query'
import { requireTownship } from '../org/township'
import { computeRates } from '../stats/rates'
import { STYLE, fontsFor, renderDocument, type SectionSpec } from '../documents/format'

/**
 * County figures over the imported townships: rates per township and county-wide, checklist roll-ups
 * per township, and the one-table county summary document.
 */
function requireCounty(ctx: Ctx) {
  const t = requireTownship(ctx)
  if (t.mode !== 'county') throw new ApiError('conflict', '只有县区模式的数据库有县区汇总', 'mode')
  return t
}

function townships(ctx: Ctx): { code: string; name: string; lastSeq: number; lastPackageAt: string | null }[] {
  return prepared(ctx.db, 'SELECT code, name, lastSeq, lastPackageAt FROM townships ORDER BY code').all() as {
    code: string
    name: string
    lastSeq: number
    lastPackageAt: string | null
  }[]
}

class Rollback {
  constructor(readonly value: unknown) {}
}

/**
 * The checklist engine evaluates "this installation's township". For each imported township the
 * county's township row is set to that township inside a transaction that is always rolled back,
 * so the engine sees exactly that township's registers and answers and nothing is written.
 */
export function countyChecklist(ctx: Ctx, setId: string, year: number): CountyChecklist {
  const county = requireCounty(ctx)
  const set = getSet(ctx, setId)
  const rows: CountyChecklist['rows'] = []
  for (const t of townships(ctx)) {
    try {
      ctx.db.transaction(() => {
        prepared(ctx.db, "UPDATE township SET code = ?, name = ?, mode = 'township' WHERE id = 1").run(t.code, t.name)
        const e = evaluateSet(new YearData(ctx, year), set)
        throw new Rollback({ township: t.code, name: t.name, overall: e.overall, rollups: e.rollups })
      })()
    } catch (e) {
      if (!(e instanceof Rollback)) throw e
      rows.push(e.value as CountyChecklist['rows'][number])
    }
  }
  if (requireTownship(ctx).code !== county.code) throw new Error('county row not restored')
  return { setId: set.id, title: set.title, year, rows }
}

export function countySummary(ctx: Ctx, year: number, setId?: string): CountySummaryRow[] {
  requireCounty(ctx)
  const pass = setId ? new Map(countyChecklist(ctx, setId, year).rows.map((r) => [r.township, r.overall.passRate])) : null
  const all = computeRates(ctx, { year })
  const per = townships(ctx).map((t) => ({ ...rateRow(computeRates(ctx, { year, township: t.code })), township: t.code, name: t.name, lastSeq: t.lastSeq, lastPackageAt: t.lastPackageAt, passRate: pass?.get(t.code) ?? null }))
  const participating = pass ? [...pass.values()].filter((v): v is number => v !== null) : []
  return [
    ...per,
    { ...rateRow(all), township: null, name: '全县（区）', lastSeq: null, lastPackageAt: null, passRate: participating.length ? participating.reduce((a, b) => a + b, 0) / participating.length : null },
  ]
}

function rateRow(r: Rates) {
  return {
    mediationRate: r.mediationRate,
    mediationSuccessRate: r.mediationSuccessRate,
    mediationFulfillmentRate: r.mediationFulfillmentRate,
    aftercareRate: r.aftercareRate,
    placementRate: r.placementRate,
    recidivismRate: r.recidivismRate,
  }
}

/** 全区 for a 区, 全县 for a 县, 全市 for a county-level 市, 全旗 for a 旗: the county named as itself */
export function wholeCounty(county: string): string {
  const last = county.slice(-1)
  return ['区', '县', '市', '旗'].includes(last) ? `全${last}` : '全县（区）'
}

/**
 * 平安创建情况汇总表: one landscape table, a row per township and the county's own row, each rate
 * beside the counts behind it (受理件数, 帮教人数), rates as an official writes them, the 填表人 line
 * kept with the last rows (issue 14).
 */
export async function countySummaryDoc(ctx: Ctx, year: number, setId?: string): Promise<{ fileName: string; base64: string; pages: number }> {
  const county = requireCounty(ctx)
  const rows = countySummary(ctx, year, setId)
  const title = `${county.county}${year}年平安创建情况汇总表`
  const setTitle = setId ? getSet(ctx, setId).title : null
  const today = ctx.today()
  const whole = wholeCounty(county.county)
  const counts = (code: string | null) => computeRates(ctx, { year, ...(code ? { township: code } : {}) }).counts
  const operator = readSettings(ctx).operator.trim()
  const blank = '\u3000'.repeat(6)
  const section: SectionSpec = {
    orientation: 'landscape',
    page: 'register',
    pageNumbers: true,
    blocks: [
      { t: 'p', text: title, style: STYLE.regTitle },
      {
        t: 'p',
        text: `填报单位：${county.county}综治中心（盖章）\u3000\u3000填报时间：${arDate(today)}\u3000\u3000${setTitle ? `达标率依据：${setTitle}` : '达标率：未选标准'}`,
        style: STYLE.regMeta,
      },
      {
        t: 'table',
        spec: {
          kind: 'register',
          numbered: true,
          columns: [
            { title: '序号', width: 4 },
            { title: '乡镇（街道）', width: 12, align: 'left' },
            { title: '最新报送', width: 10 },
            { title: '受理纠纷（件）', width: 7 },
            { title: '调解率', width: 6 },
            { title: '调解成功率', width: 7 },
            { title: '协议履行率', width: 7 },
            { title: '帮教人数（人）', width: 7 },
            { title: '帮教率', width: 6 },
            { title: '安置率', width: 6 },
            { title: '重新犯罪率', width: 7 },
            { title: '达标率', width: 6 },
          ],
          rows: rows.map((r) => {
            const c = counts(r.township)
            return [
              r.township === null ? whole : r.name,
              r.lastSeq ? `第${r.lastSeq}号 ${arDate(r.lastPackageAt?.slice(0, 10))}` : r.township === null ? '—' : '未报送',
              String(c.casesReceived),
              percent(r.mediationRate),
              percent(r.mediationSuccessRate),
              percent(r.mediationFulfillmentRate),
              String(c.underAftercare),
              percent(r.aftercareRate),
              percent(r.placementRate),
              percent(r.recidivismRate),
              percent(r.passRate),
            ]
          }),
          keepEnd: 2,
          closing: { spans: [{ text: `填表人：${operator || blank}\u3000\u3000\u3000\u3000审核人：${blank}\u3000\u3000\u3000\u3000负责人：${blank}` }], look: STYLE.regSign },
        },
      },
    ],
  }
  const doc = await renderDocument([section], fontsFor(ctx), { title, creator: county.county })
  return { fileName: `${county.county}_${year}年_平安创建情况汇总表.docx`, base64: doc.buffer.toString('base64'), pages: doc.pages }
}
