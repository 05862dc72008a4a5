import { ApiError } from '../../shared/errors'

/** `--name value` and `--flag` options plus the positional words, the way every CLI command reads them. */
export interface Args {
  positional: string[]
  opts: Map<string, string | true>
}

export function parseArgs(argv: string[], flags: ReadonlySet<string> = new Set()): Args {
  const positional: string[] = []
  const opts = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a.startsWith('--')) {
      const name = a.slice(2)
      const eq = name.indexOf('=')
      if (eq >= 0) opts.set(name.slice(0, eq), name.slice(eq + 1))
      else if (flags.has(name) || i + 1 >= argv.length || argv[i + 1]!.startsWith('--')) opts.set(name, true)
      else opts.set(name, argv[++i]!)
    } else positional.push(a)
  }
  return { positional, opts }
}

export function opt(args: Args, name: string): string | undefined {
  const v = args.opts.get(name)
  return typeof v === 'string' ? v : undefined
}

export function requireOpt(args: Args, name: string, label: string): string {
  const v = opt(args, name)
  if (!v) throw new ApiError('invalid_input', `缺少参数 --${name}（${label}）`, name)
  return v
}

export function intOpt(args: Args, name: string, label: string): number | undefined {
  const v = opt(args, name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v)) throw new ApiError('invalid_input', `参数 --${name}（${label}）应为整数`, name)
  return Number(v)
}
