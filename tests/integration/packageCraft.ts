import { join } from 'node:path'
import { SCHEMA_VERSION } from '../../src/main/db/migrations'
import { buildPackage } from '../../src/main/handoff/export'
import { openPackage } from '../../src/main/handoff/format'
import { payloadLines } from '../../src/main/handoff/reader'
import type { SigningKey } from '../../src/main/handoff/signing'

/**
 * A package's rows decoded, changed by `change`, and written again as a well-formed package (valid
 * hash) signed by `signer`, as a buggy or hostile writer would: only the signature, the pinned key or
 * the rows themselves can refuse it. Written beside `file` unless `dir` is given.
 */
export function craftPackage(
  file: string,
  name: string,
  change: (lines: string[]) => string[],
  signer: SigningKey,
  options: { sender?: { code: string; name: string }; dir?: string } = {},
): string {
  const pkg = openPackage(file, SCHEMA_VERSION)
  const m = pkg.manifest
  const lines = change([...payloadLines(pkg, null)].slice(0, -1))
  const out = join(options.dir ?? join(file, '..'), name)
  const o = { kind: m.kind, sender: options.sender ?? m.township, county: m.county, seq: m.seq, full: m.full, since: m.since, until: m.until, createdAt: m.createdAt, signer }
  buildPackage(out, o, (line) => {
    const tables: Record<string, number> = {}
    let table = ''
    for (const l of lines) {
      line(l)
      if (l.startsWith('{')) table = (JSON.parse(l) as { table: string }).table
      else tables[table] = (tables[table] ?? 0) + 1
    }
    return { tables, rows: Object.values(tables).reduce((a, b) => a + b, 0) }
  })
  return out
}
