import { excelRegisterLabels, type ExcelRegister } from '../../shared/excel/columns'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { readTownship } from '../org/township'

/**
 * An exported register's sheet title and file name, said the way the Word documents say them
 * (大托铺街道新塘村_2026年_巡逻记录台账.xlsx beside 大托铺街道_2026年_巡逻记录台账.docx): the village
 * the view was filtered to is part of both, so two villages' files never look alike.
 */
export function exportNaming(ctx: Ctx, register: ExcelRegister, year: number | undefined, villageId: unknown): { title: string; fileName: string; township: string } {
  const township = readTownship(ctx)?.name ?? ''
  const village =
    typeof villageId === 'string' && villageId ? ((prepared(ctx.db, 'SELECT name FROM villages WHERE id = ?').get(villageId) as { name: string } | undefined)?.name ?? '') : ''
  const y = year ?? Number(ctx.today().slice(0, 4))
  const label = excelRegisterLabels[register]
  const scope = `${township}${village}`
  const safe = (s: string) => s.replace(/[\\/:*?"<>|\r\n\t]/g, '').trim()
  return {
    title: `${scope}${label}（${y}年）`,
    fileName: `${[scope, `${y}年`, label].map(safe).filter(Boolean).join('_')}.xlsx`,
    township,
  }
}
