import { readFileSync, rmSync, mkdtempSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tmpdir } from 'node:os'
import { ApiError } from '../../shared/errors'
import type { ImportBatch } from '../../shared/excel/schema'
import type { ExcelRegister } from '../../shared/excel/columns'
import type { HandlerMap } from '../api/handlers-type'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { exportRegister, writeTemplate } from './export'
import { importFile, inspectFile } from './import'
import { prewarmReader } from './offThread'
import { getProgress } from './progress'
import { registerDefs } from './registers'
import { withUpload } from './upload'

/** A generated file read back as base64: written in a temp folder (mkdtemp: 0700, the writers make the file 0600), then removed. */
async function toBase64(write: (file: string) => Promise<unknown>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-xlsx-'))
  try {
    const file = join(dir, 'out.xlsx')
    await write(file)
    return readFileSync(file).toString('base64')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Undoes an import as a whole: every record it created is deleted through its register's own delete. */
export function undoImport(ctx: Ctx, batchId: string): { batchId: string; removed: number } {
  return ctx.db.transaction(() => {
    const b = prepared(ctx.db, 'SELECT register, undoneAt, fromRowid, toRowid FROM import_batches WHERE id = ?').get(batchId) as
      | { register: ExcelRegister; undoneAt: string | null; fromRowid: number | null; toRowid: number | null }
      | undefined
    if (!b) throw new ApiError('not_found', '找不到这次导入记录', 'batchId')
    if (b.undoneAt) throw new ApiError('conflict', '这次导入已经撤销过了', 'batchId')
    const def = registerDefs[b.register]
    // the batch's rows: a rowid range (imports since issue 15) or a list (earlier imports)
    const ids = (
      b.fromRowid !== null && b.toRowid !== null
        ? prepared(ctx.db, `SELECT id AS recordId FROM "${def.table}" WHERE rowid BETWEEN ? AND ? ORDER BY rowid DESC`).all(b.fromRowid, b.toRowid)
        : prepared(ctx.db, 'SELECT recordId FROM import_batch_records WHERE batchId = ? ORDER BY rowid DESC').all(batchId)
    ) as { recordId: string }[]
    const live = prepared(ctx.db, `SELECT deletedAt FROM "${def.table}" WHERE id = ?`)
    let removed = 0
    for (const { recordId } of ids) {
      const row = live.get(recordId) as { deletedAt: string | null } | undefined
      if (!row || row.deletedAt) continue
      def.handler('remove')({ id: recordId } as never, ctx)
      removed++
    }
    prepared(ctx.db, 'UPDATE import_batches SET undoneAt = ? WHERE id = ?').run(ctx.now(), batchId)
    return { batchId, removed }
  })()
}

export const excelHandlers: HandlerMap<
  'excel.inspect' | 'excel.import' | 'excel.progress' | 'excel.imports' | 'excel.undoImport' | 'excel.export' | 'excel.template'
> = {
  'excel.inspect': (input, ctx) =>
    withUpload(ctx, input, (up) => {
      // the import that usually follows reads on a thread of its own: its code loads meanwhile
      void prewarmReader()
      return inspectFile(ctx, {
        register: input.register,
        path: up.path,
        fileName: up.fileName,
        fileId: up.fileId,
        ...(input.sheet ? { sheet: input.sheet } : {}),
        ...(input.headerRow ? { headerRow: input.headerRow } : {}),
        ...(input.mapping ? { mapping: input.mapping } : {}),
        ...(input.previewRows ? { previewRows: input.previewRows } : {}),
        ...(input.village ? { village: input.village } : {}),
        ...(input.agreementForm ? { agreementForm: input.agreementForm } : {}),
      })
    }),
  'excel.import': (input, ctx) =>
    withUpload(ctx, input, async (up) => {
      const out = await importFile(ctx, {
        register: input.register,
        path: up.path,
        fileName: up.fileName,
        ...(input.sheet ? { sheet: input.sheet } : {}),
        ...(input.headerRow ? { headerRow: input.headerRow } : {}),
        ...(input.mapping ? { mapping: input.mapping } : {}),
        ...(input.village ? { village: input.village } : {}),
        ...(input.agreementForm ? { agreementForm: input.agreementForm } : {}),
        skipBad: input.skipBad === true,
        dryRun: input.dryRun === true,
        ...(input.jobId ? { jobId: input.jobId } : {}),
      })
      const { errorsPath, ...report } = out
      if (errorsPath) {
        // the rejected rows go back in the answer; their temporary folder goes whatever happens
        try {
          report.errorsFileBase64 = readFileSync(errorsPath).toString('base64')
          report.errorsFileName = `${up.fileName.replace(/\.[^.]*$/, '')}_错误行.xlsx`
        } finally {
          rmSync(dirname(errorsPath), { recursive: true, force: true })
        }
      }
      return report
    }),
  'excel.progress': (input) => getProgress(input.jobId),
  'excel.imports': (_input, ctx) =>
    prepared(ctx.db, 'SELECT id, createdAt, register, fileName, sheet, imported, rejected, operator, undoneAt FROM import_batches ORDER BY createdAt DESC LIMIT 100').all() as ImportBatch[],
  'excel.undoImport': (input, ctx) => undoImport(ctx, input.batchId),
  'excel.export': async (input, ctx) => {
    let info = { rows: 0, fileName: '' }
    const base64 = await toBase64(async (file) => (info = await exportRegister(ctx, input, file)))
    return { fileName: info.fileName, base64, rows: info.rows }
  },
  'excel.template': async (input, ctx) => {
    let fileName = ''
    const base64 = await toBase64(async (file) => (fileName = (await writeTemplate(ctx, input.register, file)).fileName))
    return { fileName, base64, rows: 1 }
  },
}
