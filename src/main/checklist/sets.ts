import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { validateStandardSet, type StandardSet } from '../../shared/checklist/catalog'
import type { ImportSetResult, SetInfo } from '../../shared/checklist/schema'
import { ApiError } from '../../shared/errors'
import type { Ctx } from '../context'
import { prepared } from '../db/query'

/**
 * The loaded standard sets: the catalogs shipped in resources/standards/ plus the sets a county
 * issued and the clerk imported (table standard_sets). An imported set with the id of a shipped one
 * replaces it.
 */

function hereDir(): string {
  // CommonJS (the Electron main bundle) has __dirname; ESM (tsx, vitest) has import.meta.url
  return typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url))
}

/**
 * resources/standards, found the same way in dev (src/main/checklist), the built main process
 * (out/main) and the packaged app (resources inside app.asar, or beside it as extra resources).
 * PINGAN_STANDARDS_DIR overrides it.
 */
export function standardsDir(): string {
  const candidates: string[] = []
  if (process.env.PINGAN_STANDARDS_DIR) candidates.push(process.env.PINGAN_STANDARDS_DIR)
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath
  if (resourcesPath) candidates.push(join(resourcesPath, 'standards'), join(resourcesPath, 'resources', 'standards'))
  let dir = hereDir()
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'resources', 'standards'))
    const up = dirname(dir)
    if (up === dir) break
    dir = up
  }
  candidates.push(resolve('resources', 'standards'))
  const found = candidates.find((c) => existsSync(c))
  if (!found) throw new Error('resources/standards not found')
  return found
}

let shippedCache: Map<string, StandardSet> | null = null

/** The shipped catalogs, read and validated once per process. A broken shipped file is a bug: it throws. */
export function shippedSets(): Map<string, StandardSet> {
  if (shippedCache) return shippedCache
  const dir = standardsDir()
  const out = new Map<string, StandardSet>()
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const r = validateStandardSet(JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown)
    if (!r.ok) throw new Error(`shipped standard set ${f} is invalid: ${r.errors.slice(0, 3).join('; ')}`)
    out.set(r.set.id, r.set)
  }
  shippedCache = out
  return out
}

interface ImportedRow {
  id: string
  json: string
  importedAt: string
}

const importedCache = new Map<string, { key: string; set: StandardSet }>()

function importedSets(ctx: Ctx): Map<string, { set: StandardSet; importedAt: string }> {
  const rows = prepared(ctx.db, 'SELECT id, json, importedAt FROM standard_sets ORDER BY id').all() as ImportedRow[]
  const out = new Map<string, { set: StandardSet; importedAt: string }>()
  for (const r of rows) {
    const key = `${r.importedAt}|${r.json.length}`
    let hit = importedCache.get(r.id)
    if (!hit || hit.key !== key) {
      const v = validateStandardSet(JSON.parse(r.json) as unknown)
      if (!v.ok) continue // stored only after validating; a later schema change would skip it rather than fail
      hit = { key, set: v.set }
      importedCache.set(r.id, hit)
    }
    out.set(r.id, { set: hit.set, importedAt: r.importedAt })
  }
  return out
}

export interface LoadedSet {
  set: StandardSet
  info: SetInfo
}

function infoOf(set: StandardSet, origin: 'shipped' | 'imported', replacesShipped: boolean, importedAt: string | null): SetInfo {
  return {
    id: set.id,
    title: set.title,
    source: set.source,
    issuer: set.issuer ?? null,
    year: set.year ?? null,
    targets: set.targets.map((t) => ({ id: t.id, label: t.label })),
    criteriaCount: set.criteria.length,
    origin,
    replacesShipped,
    importedAt,
  }
}

/** Every loaded set: shipped ones in file order (replaced by an import of the same id), then the other imports. */
export function loadedSets(ctx: Ctx): LoadedSet[] {
  const shipped = shippedSets()
  const imported = importedSets(ctx)
  const out: LoadedSet[] = []
  for (const [id, set] of shipped) {
    const imp = imported.get(id)
    out.push(imp ? { set: imp.set, info: infoOf(imp.set, 'imported', true, imp.importedAt) } : { set, info: infoOf(set, 'shipped', false, null) })
  }
  for (const [id, imp] of imported) if (!shipped.has(id)) out.push({ set: imp.set, info: infoOf(imp.set, 'imported', false, imp.importedAt) })
  return out
}

export function getSet(ctx: Ctx, setId: string): StandardSet {
  const found = loadedSets(ctx).find((s) => s.set.id === setId)
  if (!found) throw new ApiError('not_found', `没有这个标准集：${setId.slice(0, 64)}`, 'setId')
  return found.set
}

const MAX_LISTED = 100

/**
 * Validates a county-issued set file and stores it. Nothing is stored when anything is wrong: the
 * error message lists every problem, one per line after the first.
 */
export function importSet(ctx: Ctx, json: string): ImportSetResult {
  let parsed: unknown
  try {
    parsed = JSON.parse(json.replace(/^\uFEFF/, ''))
  } catch (e) {
    const why = e instanceof Error ? e.message : ''
    throw new ApiError('invalid_input', `标准集文件不是有效的 JSON，未导入任何内容。\n文件内容无法解析${why ? `（${why.slice(0, 120)}）` : ''}，请确认选择的是县里下发的 .json 标准集文件`, 'json')
  }
  const r = validateStandardSet(parsed)
  if (!r.ok) {
    const listed = r.errors.slice(0, MAX_LISTED)
    const more = r.errors.length > MAX_LISTED ? [`……另有 ${r.errors.length - MAX_LISTED} 处错误未列出`] : []
    throw new ApiError('invalid_input', [`标准集文件有 ${r.errors.length} 处错误，未导入任何内容：`, ...listed, ...more].join('\n'), 'json')
  }
  const set = r.set
  return ctx.db.transaction(() => {
    const before = prepared(ctx.db, 'SELECT id FROM standard_sets WHERE id = ?').get(set.id)
    const shipped = shippedSets().get(set.id)
    const now = ctx.now()
    prepared(ctx.db, 'INSERT INTO standard_sets (id, json, importedAt) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, importedAt = excluded.importedAt').run(
      set.id,
      JSON.stringify(set),
      now,
    )
    const replaced: ImportSetResult['replaced'] = before ? 'imported' : shipped ? 'shipped' : null
    const message =
      replaced === 'shipped'
        ? `已导入标准集「${set.title}」（${set.criteria.length}条），替换了程序自带的同编号标准集「${shipped!.title}」`
        : replaced === 'imported'
          ? `已导入标准集「${set.title}」（${set.criteria.length}条），替换了之前导入的同编号版本`
          : `已导入标准集「${set.title}」（${set.criteria.length}条）`
    return { set: infoOf(set, 'imported', shipped !== undefined, now), replaced, message }
  })()
}
