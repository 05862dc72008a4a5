import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type * as SheetJS from '@e965/xlsx'
import { ApiError } from '../../shared/errors'
import { ensurePrivateFile } from '../fs/private'

/**
 * Old .xls workbooks (Excel 97-2003, still common in township offices) read through SheetJS (the
 * 0.20 line as republished on the registry; not 0.18.5, which has known vulnerabilities) and written
 * once as an .xlsx into a private temporary file, which the program's own streaming reader then reads
 * with all its limits (sizes, ratios, cell lengths) as if the clerk had saved it as .xlsx. SheetJS
 * reads the whole file at once, so the .xls itself is limited in size first; formulas, styles and
 * HTML are not read.
 */
export const XLS_MAX_BYTES = 30 * 1024 * 1024
/** rows per sheet read from an .xls (Excel 97-2003 itself stops at 65,536) */
const XLS_MAX_ROWS = 65_536

const DAMAGED = '文件已损坏或不是Excel文件'

export async function xlsToXlsx(path: string): Promise<{ file: string; dispose: () => void }> {
  const size = statSync(path).size
  if (size > XLS_MAX_BYTES) throw new ApiError('invalid_input', `这个 .xls 文件超过 ${XLS_MAX_BYTES / 1024 / 1024} MB，请在 Excel 或 WPS 中另存为 .xlsx 后再导入`, 'file')
  // loaded for the first .xls only: a quarter of a second that every other file (and the import's reader thread) is spared
  const XLSX: typeof SheetJS = await import('@e965/xlsx')
  let book: SheetJS.WorkBook
  try {
    book = XLSX.read(readFileSync(path), { type: 'buffer', dense: true, cellFormula: false, cellHTML: false, cellStyles: false, sheetRows: XLS_MAX_ROWS, WTF: false })
  } catch (e) {
    const msg = e instanceof Error ? e.message : ''
    if (/password|encrypt/i.test(msg)) throw new ApiError('invalid_input', '这个文件设置了打开密码，请在 Excel 或 WPS 中取消密码后再导入', 'file')
    throw new ApiError('invalid_input', `${DAMAGED}（旧版 .xls 无法读取）。请用 Excel 或 WPS 打开确认后另存为 .xlsx 再导入`, 'file')
  }
  if (!book.SheetNames.length) throw new ApiError('invalid_input', `${DAMAGED}（没有工作表）`, 'file')
  const file = join(tmpdir(), `pingan-xls-${randomUUID()}.xlsx`)
  ensurePrivateFile(file)
  writeFileSync(file, XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer)
  return { file, dispose: () => rmSync(file, { force: true }) }
}
