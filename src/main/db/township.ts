import { ApiError } from '../../shared/errors'
import type { Township } from '../../shared/org/schema'
import { defaultSettings, type Settings } from '../../shared/settings/schema'
import type { Ctx } from '../context'
import { prepared } from './query'

export function readTownship(ctx: Ctx): Township | null {
  const row = prepared(ctx.db, 'SELECT code, name, county, countyCode, mode, createdAt FROM township WHERE id = 1').get() as
    | Township
    | undefined
  return row ?? null
}

export function requireTownship(ctx: Ctx): Township {
  const t = readTownship(ctx)
  if (!t) throw new ApiError('not_setup', '还没有完成初次设置，请先填写乡镇（街道）信息')
  return t
}

export function currentTownshipCode(ctx: Ctx): string {
  return requireTownship(ctx).code
}

export function readSettings(ctx: Ctx): Settings {
  const rows = prepared(ctx.db, 'SELECT key, value FROM settings').all() as { key: string; value: string }[]
  const s: Record<string, unknown> = { ...defaultSettings }
  for (const r of rows) if (r.key in defaultSettings) s[r.key] = JSON.parse(r.value)
  return s as unknown as Settings
}

export function writeSetting(ctx: Ctx, key: keyof Settings, value: unknown): void {
  prepared(ctx.db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value),
  )
}

export function operatorName(ctx: Ctx): string {
  return readSettings(ctx).operator || '未署名'
}
