import { ApiError, type ApiErrorData } from '../shared/errors'
import { openApp, type App } from './app'
import { intOpt, opt, parseArgs, requireOpt, type Args } from './cli/args'
import { DbOpenError } from './db/connection'
import { runDemo } from './demo/demo'
import { exportWordCommand } from './documents/cli'
import { exportExcelCommand, importExcelCommand } from './excel/cli'
import { packageCommand } from './handoff/cli'
import { writesOf } from './backup/auto'
import { privateUmask } from './fs/private'

/**
 * Command-line entry over the same dispatcher. Prints only the result on stdout, so county scripts
 * can read it; an error is printed as `{ code, message, field? }` JSON on stderr with exit code 2.
 */
type Command = (args: Args) => Promise<unknown>

const FLAGS = new Set(['full', 'dry-run', 'skip-bad', 'full-id', 'audit', 'confirm-rekey'])

/** A command that may write takes the data folder's writer lock (refused while the desktop program or browser mode runs). */
function withApp<T>(args: Args, fn: (app: App) => Promise<T> | T, writer = true): Promise<T> {
  const app = openApp(requireOpt(args, 'data-dir', '数据目录'), { writer })
  return Promise.resolve(fn(app)).finally(() => app.close())
}

async function unwrap(app: App, method: string, input: unknown): Promise<unknown> {
  const r = await app.invoke(method, input)
  if (!r.ok) throw r.error
  return r.data
}

export const commands: Record<string, Command> = {
  init: (args) =>
    withApp(args, (app) =>
      unwrap(app, 'township.setup', {
        mode: opt(args, 'mode') ?? 'township',
        name: opt(args, 'township'),
        code: requireOpt(args, 'code', '区划代码'),
        county: requireOpt(args, 'county', '县（区）名称'),
        ...(opt(args, 'county-code') ? { countyCode: opt(args, 'county-code') } : {}),
      }),
    ),
  call: (args) => {
    const [, method, json] = args.positional
    if (!method) throw new ApiError('invalid_input', '缺少方法名，例如：call members.list', 'method')
    let input: unknown = {}
    if (json !== undefined) {
      try {
        input = JSON.parse(json)
      } catch {
        throw new ApiError('invalid_input', '参数不是有效的 JSON', 'input')
      }
    }
    // a read runs beside the desktop program; a write needs the data folder to itself
    return withApp(args, (app) => unwrap(app, method, input), writesOf(method) !== 'none')
  },
  demo: (args) => withApp(args, (app) => runDemo(app.ctx, { scale: intOpt(args, 'scale', '规模倍数') ?? 1 })),
  /** `package export|import|standards …` USB handoff (src/main/handoff/cli.ts) */
  package: (args) => packageCommand(args),
  /** `import excel --register R --data-dir D FILE …` (src/main/excel/cli.ts) */
  import: (args) => importExcelCommand(args),
  /** `export KIND …` writes a Word document; other formats branch on the second word (e.g. `export excel …`). */
  export: (args) => {
    switch (args.positional[1]) {
      case 'excel':
        return exportExcelCommand(args)
      default:
        return exportWordCommand(args)
    }
  },
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS)
  const name = args.positional[0]
  try {
    const cmd = name ? commands[name] : undefined
    if (!cmd) throw new ApiError('invalid_input', `不认识的命令：${name ?? '（空）'}。可用命令：${Object.keys(commands).join('、')}`, 'command')
    const out = await cmd(args)
    if (out !== undefined) process.stdout.write(JSON.stringify(out, null, 2) + '\n')
    return 0
  } catch (e) {
    const err: ApiErrorData =
      e instanceof ApiError
        ? e.toData()
        : e instanceof DbOpenError
          ? { code: 'internal', message: e.message }
          : typeof e === 'object' && e !== null && 'code' in e && 'message' in e
            ? (e as ApiErrorData)
            : { code: 'internal', message: `程序内部出错：${e instanceof Error ? e.message : String(e)}` }
    process.stderr.write(JSON.stringify(err) + '\n')
    return 2
  }
}

const isEntry = process.argv[1] && /cli\.(ts|js|mjs)$/.test(process.argv[1])
if (isEntry) {
  process.env.PINGAN_QUIET ??= '1'
  privateUmask()
  // stdout into a pipe is written asynchronously: exit only once all of it has gone (without this a
  // script reading the output of `call` got its first 64 KiB)
  void main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code))))
}
