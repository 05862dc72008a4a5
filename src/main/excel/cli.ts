import { existsSync } from 'node:fs'
import { resolve, basename } from 'node:path'
import { ApiError } from '../../shared/errors'
import { excelRegisters, type ExcelRegister } from '../../shared/excel/columns'
import { excelExportInput } from '../../shared/excel/schema'
import { describeIssue } from '../../shared/validation'
import { openApp } from '../app'
import { intOpt, opt, requireOpt, type Args } from '../cli/args'
import { exportRegister } from './export'
import { importFile } from './import'
import { scheduleSearchIndex } from '../db/search'

/**
 * `import excel --register R --data-dir D FILE [--sheet NAME] [--header-row N] [--village NAME] [--agreement-form 口头|书面] [--dry-run] [--skip-bad] [--errors-out FILE.xlsx]`
 * (--village: the village of every row, for a sheet without a village column; --agreement-form: the 协议形式
 * of its successful cases when it has no such column, 口头 unless said; .xls read like .xlsx)
 * prints { imported, rejected: [{ row, column, message }], warnings }; with bad rows and no --skip-bad
 * nothing is imported and the same report goes to stderr with exit code 2.
 * `export excel --register R --data-dir D --out FILE.xlsx [--year Y] [--village ID] [--full-id]`: 身份证号
 * masked unless --full-id, as on screen and in Word.
 */
function registerOpt(args: Args): ExcelRegister {
  const r = requireOpt(args, 'register', `台账：${excelRegisters.join('、')}`)
  if (!(excelRegisters as readonly string[]).includes(r))
    throw new ApiError('invalid_input', `不认识的台账：${r}。可选：${excelRegisters.join('、')}`, 'register')
  return r as ExcelRegister
}

/** --agreement-form 口头|书面 (or oral|written) */
function agreementFormOpt(args: Args): { agreementForm?: 'oral' | 'written' } {
  const v = opt(args, 'agreement-form')
  if (v === undefined) return {}
  const form = ({ 口头: 'oral', 口头协议: 'oral', oral: 'oral', 书面: 'written', 书面协议: 'written', written: 'written' } as const)[v as 'oral']
  if (!form) throw new ApiError('invalid_input', `--agreement-form「${v}」应为“口头”或“书面”`, 'agreementForm')
  return { agreementForm: form }
}

export async function importExcelCommand(args: Args): Promise<unknown> {
  if (args.positional[1] !== 'excel') throw new ApiError('invalid_input', `用法：import excel --register ${excelRegisters.join('|')} --data-dir 目录 文件.xlsx`, 'command')
  const register = registerOpt(args)
  const file = args.positional[2]
  if (!file) throw new ApiError('invalid_input', '缺少要导入的文件', 'file')
  if (!existsSync(file)) throw new ApiError('not_found', `找不到文件：${file}`, 'file')
  const headerRow = intOpt(args, 'header-row', '表头所在行')
  const errorsOut = opt(args, 'errors-out')
  const app = openApp(requireOpt(args, 'data-dir', '数据目录'), { writer: args.opts.get('dry-run') !== true })
  try {
    const r = await importFile(app.ctx, {
      register,
      path: resolve(file),
      fileName: basename(file),
      ...(opt(args, 'sheet') ? { sheet: opt(args, 'sheet')! } : {}),
      ...(headerRow ? { headerRow } : {}),
      // an old village ledger without a 村（社区） column: its village for every row
      ...(opt(args, 'village') ? { village: opt(args, 'village')! } : {}),
      ...agreementFormOpt(args),
      skipBad: args.opts.get('skip-bad') === true,
      dryRun: args.opts.get('dry-run') === true,
      ...(errorsOut ? { errorsPath: resolve(errorsOut) } : {}),
    })
    const out = {
      imported: r.dryRun ? (r.wouldImport ?? r.imported) : r.imported,
      rejected: r.rejected.map((e) => ({ row: e.row, column: e.column, message: e.message })),
      warnings: r.warnings,
    }
    // the imported rows join the search index before the command ends (the window does it in the background)
    if (r.batchId) await scheduleSearchIndex(app.ctx.db)
    if (r.rejectedRows > 0 && args.opts.get('skip-bad') !== true) {
      throw { code: 'invalid_input', message: `有${r.rejectedRows}行不符合要求，未导入任何数据（可加 --skip-bad 只导入正确的行）`, ...out, imported: 0 }
    }
    return out
  } finally {
    app.close()
  }
}

export async function exportExcelCommand(args: Args): Promise<unknown> {
  const register = registerOpt(args)
  const out = requireOpt(args, 'out', '输出文件 .xlsx')
  const parsed = excelExportInput.safeParse({
    register,
    ...(opt(args, 'year') !== undefined ? { year: intOpt(args, 'year', '年份') } : {}),
    ...(opt(args, 'village') ? { villageId: opt(args, 'village') } : {}),
    ...(args.opts.get('full-id') === true ? { fullId: true } : {}),
  })
  if (!parsed.success) {
    const d = describeIssue(parsed.error.issues[0]!, { year: '年份', villageId: '村（社区）' })
    throw new ApiError('invalid_input', d.message, d.field)
  }
  const app = openApp(requireOpt(args, 'data-dir', '数据目录'))
  try {
    const r = await exportRegister(app.ctx, parsed.data, resolve(out))
    return { out: resolve(out), rows: r.rows }
  } finally {
    app.close()
  }
}
