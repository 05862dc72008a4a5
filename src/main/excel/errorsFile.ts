import ExcelJS from 'exceljs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cellText } from '../../shared/excel/cells'
import type { SheetRow } from './reader'
import { ensurePrivateFile } from '../fs/private'

/**
 * The rejected rows, written as they are found (streaming), with the sheet's own header, the row's
 * original number and a 错误原因 column, every cell as text so a fixed number stays whole.
 */
export class ErrorsFile {
  finished = false
  private constructor(
    readonly path: string,
    private readonly tmp: string | null,
    private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter,
    private readonly ws: ExcelJS.Worksheet,
    private readonly width: number,
  ) {}

  static async create(path: string | undefined, headers: Record<number, string>): Promise<ErrorsFile> {
    const tmp = path ? null : mkdtempSync(join(tmpdir(), 'pingan-errors-'))
    const file = path ?? join(tmp!, '错误行.xlsx')
    // the rejected rows carry 身份证号: the clerk's account only (--errors-out or the temp folder, any umask)
    ensurePrivateFile(file)
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
    const ws = wb.addWorksheet('错误行', { views: [{ state: 'frozen', ySplit: 1 }] })
    const width = Math.max(0, ...Object.keys(headers).map(Number))
    ws.columns = [
      ...Array.from({ length: width }, (_, i) => ({ width: Math.min(30, Math.max(10, (headers[i + 1]?.length ?? 4) * 2 + 4)) })),
      { width: 8 },
      { width: 60 },
    ]
    const head = ws.addRow([...Array.from({ length: width }, (_, i) => headers[i + 1] ?? ''), '原行号', '错误原因'])
    head.font = { bold: true }
    head.commit()
    return new ErrorsFile(file, tmp, wb, ws, width)
  }

  add(r: SheetRow, reason: string): void {
    const cells = Array.from({ length: Math.max(this.width, r.cells.length) }, (_, i) => cellText(r.cells[i] ?? null)).slice(0, this.width)
    const row = this.ws.addRow([...cells, r.row, reason])
    for (let c = 1; c <= this.width; c++) row.getCell(c).numFmt = '@'
    row.getCell(this.width + 2).font = { color: { argb: 'FFC00000' } }
    row.commit()
  }

  async finish(): Promise<string> {
    this.ws.commit()
    await this.wb.commit()
    this.finished = true
    return this.path
  }

  async abort(): Promise<void> {
    try {
      await this.finish()
    } catch {
      /* nothing to keep */
    }
    this.cleanup()
  }

  cleanup(): void {
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true })
  }
}
