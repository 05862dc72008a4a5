import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ApiError } from '../../shared/errors'
import { documentExportInput, documentKinds } from '../../shared/documents/schema'
import { describeIssue } from '../../shared/validation'
import { openApp } from '../app'
import { intOpt, opt, requireOpt, type Args } from '../cli/args'
import { exportDocument } from './export'

/**
 * `export KIND --data-dir D --out FILE.docx [--year Y] [--village ID] [--target ID] [--set ID]
 *  [--case ID] [--person ID] [--full-id]`: writes one Word document and prints where it went.
 */
export async function exportWordCommand(args: Args): Promise<unknown> {
  const kind = args.positional[1]
  if (!kind || !(documentKinds as readonly string[]).includes(kind))
    throw new ApiError('invalid_input', `请指定文书种类：export ${documentKinds.join('|')} --out 文件.docx`, 'kind')
  const out = requireOpt(args, 'out', '输出文件')
  const raw = {
    kind,
    year: intOpt(args, 'year', '年度'),
    villageId: opt(args, 'village'),
    targetId: opt(args, 'target'),
    setId: opt(args, 'set'),
    caseId: opt(args, 'case'),
    personId: opt(args, 'person'),
    fullId: args.opts.get('full-id') === true ? true : undefined,
    audit: args.opts.get('audit') === true ? true : undefined,
  }
  const parsed = documentExportInput.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)))
  if (!parsed.success) {
    const d = describeIssue(parsed.error.issues[0]!, {})
    throw new ApiError('invalid_input', d.message, d.field)
  }
  const app = openApp(requireOpt(args, 'data-dir', '数据目录'))
  try {
    const t0 = Date.now()
    const r = await exportDocument(app.ctx, parsed.data)
    const file = resolve(out)
    writeFileSync(file, r.buffer)
    return { file, fileName: r.fileName, pages: r.pages, bytes: r.buffer.length, ms: Date.now() - t0 }
  } finally {
    app.close()
  }
}
