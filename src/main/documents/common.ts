import { ApiError } from '../../shared/errors'
import { maskIdNumber } from '../../shared/idNumber'
import type { Township, Village } from '../../shared/org/schema'
import { arDate } from '../../shared/documents/cnText'
import type { Ctx } from '../context'
import { call } from './data'
import { STYLE, type Block } from './format'

export interface DocContext {
  ctx: Ctx
  township: Township
  year: number
  village: Village | null
  fullId: boolean
  today: string
}

export async function docContext(ctx: Ctx, input: { year?: number; villageId?: string; fullId?: boolean }): Promise<DocContext> {
  const township = await call<Township | null>(ctx, 'township.get', {}, '乡镇设置')
  if (!township) throw new ApiError('not_setup', '还没有完成初次设置，请先填写乡镇（街道）信息')
  const today = ctx.today()
  const village = input.villageId ? await call<Village>(ctx, 'villages.get', { id: input.villageId }, '村（社区）') : null
  return { ctx, township, year: input.year ?? Number(today.slice(0, 4)), village, fullId: input.fullId === true, today }
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

export function sexLabel(sex: 'male' | 'female' | undefined): string {
  return sex === 'female' ? '女' : sex === 'male' ? '男' : ''
}
