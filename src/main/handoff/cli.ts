import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ApiError } from '../../shared/errors'
import type { ExportResult, ImportReport } from '../../shared/handoff/schema'
import { openApp, type App } from '../app'
import { opt, requireOpt, type Args } from '../cli/args'
import { scheduleSearchIndex } from '../db/search'

/**
 * `package export --data-dir D --out DIR [--full] [--passphrase-file F]`     → { "file", "rows" }
 * `package import --data-dir D FILE… [--passphrase-file F] [--dry-run] [--confirm-rekey]` → the preview or the result
 *   (--confirm-rekey: the sender of a package signed by a new key has a new PC; the audit trail records it)
 * `package standards --data-dir D --out DIR [--set ID,ID] [--passphrase-file F]` (county) → { "file", "rows" }
 */
function passphraseFrom(args: Args): string | undefined {
  const f = opt(args, 'passphrase-file')
  if (f === undefined) {
    if (args.opts.get('passphrase-file') === true) throw new ApiError('invalid_input', '缺少参数 --passphrase-file 的文件名', 'passphrase-file')
    return undefined
  }
  let text: string
  try {
    text = readFileSync(resolve(f), 'utf8')
  } catch {
    throw new ApiError('invalid_input', `读不到口令文件「${f}」`, 'passphrase-file')
  }
  const p = text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '')
  if (p === '') throw new ApiError('invalid_input', '口令文件是空的', 'passphrase-file')
  return p
}

async function call<T>(app: App, method: string, input: unknown): Promise<T> {
  const r = await app.invoke(method, input)
  if (!r.ok) throw r.error
  return r.data as T
}

async function withApp<T>(args: Args, fn: (app: App) => Promise<T>, writer = true): Promise<T> {
  const app = openApp(requireOpt(args, 'data-dir', '数据目录'), { writer })
  try {
    const out = await fn(app)
    // rows a county import loaded in bulk join the search index before the command ends
    if (writer) await scheduleSearchIndex(app.ctx.db)
    return out
  } finally {
    app.close()
  }
}

export async function packageCommand(args: Args): Promise<unknown> {
  const sub = args.positional[1]
  switch (sub) {
    case 'export': {
      const dir = resolve(requireOpt(args, 'out', '保存数据包的文件夹'))
      const passphrase = passphraseFrom(args)
      return withApp(args, async (app) => {
        const r = await call<ExportResult>(app, 'package.export', { dir, full: args.opts.get('full') === true, ...(passphrase ? { passphrase } : {}) })
        return { file: r.file, rows: r.rows }
      })
    }
    case 'standards': {
      const dir = resolve(requireOpt(args, 'out', '保存数据包的文件夹'))
      const passphrase = passphraseFrom(args)
      const sets = opt(args, 'set')
      return withApp(args, async (app) => {
        const r = await call<ExportResult>(app, 'package.exportStandards', {
          dir,
          ...(sets ? { setIds: sets.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
          ...(passphrase ? { passphrase } : {}),
        })
        return { file: r.file, rows: r.rows }
      })
    }
    case 'import': {
      const files = args.positional.slice(2).map((f) => resolve(f))
      if (files.length === 0) throw new ApiError('invalid_input', '请在命令后写上要导入的数据包文件', 'files')
      const passphrase = passphraseFrom(args)
      const dryRun = args.opts.get('dry-run') === true
      const confirmRekey = args.opts.get('confirm-rekey') === true
      const method = dryRun ? 'package.preview' : 'package.import'
      return withApp(
        args,
        (app) =>
          call<ImportReport>(app, method, { files, ...(passphrase ? { passphrase } : {}), ...(confirmRekey ? { confirmRekey } : {}) }).catch((e: unknown) => {
            // the screen's checkbox is this option on the command line
            const err = e as { field?: string; message?: string }
            if (err.field === 'confirmRekey') throw { ...err, message: `${err.message ?? ''}（命令行导入时，核对指纹后加 --confirm-rekey）` }
            throw e
          }),
        !dryRun,
      )
    }
    default:
      throw new ApiError('invalid_input', `不认识的 package 子命令：${sub ?? '（空）'}。可用：export、import、standards`, 'command')
  }
}
