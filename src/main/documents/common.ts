import { ApiError } from '../../shared/errors'
import { unitKindLabels } from '../../shared/domain'
import { maskIdNumber } from '../../shared/idNumber'
import type { Grid, Township, Unit, Village } from '../../shared/org/schema'
import type { WordFormat } from '../../shared/registers/define'
import { arDate } from '../../shared/documents/cnText'
import { readSettings } from '../settings/store'
import type { Ctx } from '../context'
import { call, listAll } from './data'
import { STYLE, type Block, type TableSpec } from './format'

export interface DocContext {
  ctx: Ctx
  township: Township
  year: number
  village: Village | null
  fullId: boolean
  today: string
  /**
   * How the registers' Word columns read a record in this document: dates as 2026年3月5日, ID numbers
   * masked unless the document was asked for in full, grids and units by name. Built on first use and
   * shared by every table of the document (the dossier's sections read the org lists once).
   */
  wordFormat: () => Promise<WordFormat>
}

export async function docContext(ctx: Ctx, input: { year?: number; villageId?: string; fullId?: boolean }): Promise<DocContext> {
  const township = await call<Township | null>(ctx, 'township.get', {}, '乡镇设置')
  if (!township) throw new ApiError('not_setup', '还没有完成初次设置，请先填写乡镇（街道）信息')
  const today = ctx.today()
  const village = input.villageId ? await call<Village>(ctx, 'villages.get', { id: input.villageId }, '村（社区）') : null
  const fullId = input.fullId === true
  let format: Promise<WordFormat> | undefined
  const wordFormat = () => (format ??= buildWordFormat(ctx, fullId))
  return { ctx, township, year: input.year ?? Number(today.slice(0, 4)), village, fullId, today, wordFormat }
}

async function buildWordFormat(ctx: Ctx, fullId: boolean): Promise<WordFormat> {
  const grids = new Map((await listAll<Grid>(ctx, 'grids.list', {}, '网格')).map((g) => [g.id, g.name]))
  const units = new Map((await listAll<Unit>(ctx, 'units.list', {}, '单位')).map((u) => [u.id, u]))
  return {
    date: arDate,
    id: (v) => (!v ? '' : fullId ? v : maskIdNumber(v)),
    gridName: (id) => (id ? (grids.get(id) ?? '') : ''),
    // a unit with its kind, as the member roll has always printed it: 大托中心小学（学校）
    unitName: (id) => {
      const u = id ? units.get(id) : undefined
      return u ? `${u.name}（${unitKindLabels[u.kind]}）` : ''
    },
  }
}

/** 大托铺街道 or 大托铺街道新塘村 */
export function scopeName(d: DocContext): string {
  return d.township.name + (d.village?.name ?? '')
}

export function yearRange(year: number): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${year}-12-31` }
}

export function idShown(d: DocContext, id: string | null | undefined): string {
  if (!id) return ''
  return d.fullId ? id : maskIdNumber(id)
}

/** A file name that says what it is and is safe on Windows: 大托铺街道_2026年_矛盾纠纷排查调处台账.docx */
export function fileName(...parts: string[]): string {
  const clean = parts
    .filter((p) => p !== '')
    .map((p) => p.replace(/[\\/:*?"<>|\r\n\t]/g, '').trim())
    .join('_')
  return `${clean}.docx`
}

/** the register's title and its 填报单位/时间 line */
export function registerHead(d: DocContext, title: string, count: string): Block[] {
  const unit = `${d.township.name}${d.village ? d.village.name : ''}综治办`
  return [
    { t: 'p', text: title, style: STYLE.regTitle },
    {
      t: 'p',
      text: `填报单位：${unit}（盖章）\u3000\u3000\u3000\u3000填报时间：${arDate(d.today)}\u3000\u3000\u3000\u3000${count}`,
      style: STYLE.regMeta,
    },
  ]
}

/**
 * 填表人 (the operator in 设置), 审核人 and 负责人 under a register table: written with the table's last
 * two rows as one row that does not split, so it never stands alone on a page.
 */
export function signedTable(d: DocContext, spec: TableSpec): TableSpec {
  const operator = readSettings(d.ctx).operator.trim()
  const blank = '\u3000'.repeat(6)
  const text = `填表人：${operator || blank}\u3000\u3000\u3000\u3000审核人：${blank}\u3000\u3000\u3000\u3000负责人：${blank}`
  return { ...spec, keepEnd: 2, closing: { spans: [{ text }], look: STYLE.regSign } }
}

/**
 * A signature block: the last paragraphs before it and its own lines travel together (keepNext on
 * each but the last), so the date or the signatures never stand alone on a page.
 */
export function keepTogether(blocks: Block[]): Block[] {
  return blocks.map((b, i) => (i === blocks.length - 1 || (b.t !== 'p' && b.t !== 'space') ? b : { ...b, keepNext: true }))
}

export function sexLabel(sex: 'male' | 'female' | undefined): string {
  return sex === 'female' ? '女' : sex === 'male' ? '男' : ''
}
