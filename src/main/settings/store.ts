import { defaultSettings, type Settings } from '../../shared/settings/schema'
import type { Ctx } from '../context'
import { prepared } from '../db/query'

/** The clerk's settings: stored one JSON value per key; a key never written reads as its default. */
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

/** Who signs the audit trail, exports and imports; never empty, so a row always names someone. */
export function operatorName(ctx: Ctx): string {
  return readSettings(ctx).operator || '未署名'
}
