import { unitKindLabels, villageKindLabels } from '../../shared/domain'
import type { FieldDef } from '../../shared/registers/define'
import { registers } from '../../shared/registers'
import type { Ctx } from '../context'
import { prepared } from '../db/query'

/**
 * The audit trail in human terms, written once for the 操作记录 screen and the dossier's appendix:
 * each changed value as its field's Chinese value label (调解成功, not success), names instead of ids
 * (村、网格、单位、成员、帮教对象), dates as 2026年3月5日, and times in the PC's own time zone.
 */

/** The fields of tables that are not registers, described the way the register definitions describe theirs. */
const otherFields: Record<string, readonly FieldDef[]> = {
  villages: [
    { key: 'kind', label: '类型', kind: 'enum', options: villageKindLabels },
    { key: 'households', label: '户数', kind: 'text' },
    { key: 'population', label: '人口', kind: 'text' },
  ],
  grids: [{ key: 'villageId', label: '所属村（社区）', kind: 'village' }],
  units: [
    { key: 'kind', label: '类型', kind: 'enum', options: unitKindLabels },
    { key: 'villageId', label: '所在村（社区）', kind: 'village' },
  ],
  families: [
    { key: 'villageId', label: '所属村（社区）', kind: 'village' },
    { key: 'declaredOn', label: '申报日期', kind: 'date' },
  ],
  checklist_entries: [
    { key: 'attested', label: '确认结果', kind: 'bool' },
    { key: 'targetId', label: '创建对象', kind: 'text' },
  ],
}

const timeStamps = new Set(['createdAt', 'updatedAt', 'deletedAt'])
const MAX_TEXT = 200

function fieldsOf(table: string): readonly FieldDef[] {
  return registers.find((r) => r.table === table)?.fields ?? otherFields[table] ?? []
}

import { arDate } from '../../shared/documents/cnText'
import { localTime } from '../../shared/localTime'

/**
 * How the trail writes dates: 'screen' as every screen does (2026-11-30, 2026-11-30 15:05), 'word' as
 * every Word document does (2026年11月30日). The trail is stored in UTC; both show the PC's time.
 */
export type DateStyle = 'screen' | 'word'
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

export function timeText(iso: string, style: DateStyle = 'screen'): string {
  const t = localTime(iso)
  return style === 'word' && t !== iso ? `${arDate(t.slice(0, 10))} ${t.slice(11)}` : t
}

const NAME_TABLES: Record<string, string> = {
  village: 'villages',
  grid: 'grids',
  unit: 'units',
  member: 'members',
  members: 'members',
  person: 'aftercare_people',
}

/** Looks names up once per id and table for one reading of the trail. */
export class Namer {
  private cache = new Map<string, string>()
  constructor(
    private ctx: Ctx,
    readonly style: DateStyle = 'screen',
  ) {}

  /** a stored date (2026-11-30) in this reading's style */
  date(v: string): string {
    return this.style === 'word' && ISO_DATE.test(v) ? arDate(v) : v
  }

  name(table: string, id: string): string {
    const key = `${table}|${id}`
    let v = this.cache.get(key)
    if (v === undefined) {
      const row = prepared(this.ctx.db, `SELECT name FROM "${table}" WHERE id = ?`).get(id) as { name: string } | undefined
      v = row?.name ?? '（已不存在）'
      this.cache.set(key, v)
    }
    return v
  }

  /** a creation target: a village, grid, unit or family, or the township itself */
  target(id: string): string {
    for (const t of ['villages', 'grids', 'units', 'families']) {
      const n = this.name(t, id)
      if (n !== '（已不存在）') return n
    }
    return id
  }
}

function parsed(v: unknown): unknown {
  if (typeof v === 'string' && (v.startsWith('[') || v.startsWith('{'))) {
    try {
      return JSON.parse(v) as unknown
    } catch {
      return v
    }
  }
  return v
}

/** one item of a list field (a party, a 回访, a period): its values in order, dates and codes as a reader writes them */
function itemText(x: unknown, options: Record<string, Record<string, string>>, namer: Namer): string {
  if (x === null || typeof x !== 'object') return plain(x, namer)
  return Object.entries(x as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== '' && v !== undefined)
    .map(([k, v]) => (options[k]?.[String(v)] ?? plain(v, namer)))
    .join('，')
}

function plain(v: unknown, namer: Namer): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return namer.date(v)
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (typeof v === 'number') return String(v)
  return JSON.stringify(v)
}

function cap(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s
}

/**
 * A stored value as the clerk reads it: '（空）' for nothing; a coded value by its label; ids by
 * name; a list item by item. `fields` is the table's field list (a register definition's, or the
 * few described above).
 */
export function valueText(table: string, field: string, v: unknown, namer: Namer): string {
  if (v === null || v === undefined || v === '' || v === '[]') return '（空）'
  if (timeStamps.has(field) && typeof v === 'string') return timeText(v, namer.style)
  const fields = fieldsOf(table)
  const def = fields.find((f) => f.key === field)
  const x = parsed(v)
  if (table === 'checklist_entries' && field === 'targetId' && typeof x === 'string') return namer.target(x)
  if (!def) {
    if (Array.isArray(x)) return cap(x.map((i) => itemText(i, {}, namer)).join('；'))
    if (x && typeof x === 'object') return cap(Object.entries(x).map(([k, n]) => `${k}：${plain(n, namer)}`).join('；'))
    return cap(plain(x, namer))
  }
  const names = NAME_TABLES[def.kind]
  if (names) {
    const ids = Array.isArray(x) ? x : [x]
    return ids.map((id) => (typeof id === 'string' ? namer.name(names, id) : plain(id, namer))).join('、') || '（空）'
  }
  if (def.options) {
    const ids = Array.isArray(x) ? x : [x]
    return ids.map((c) => def.options![String(c)] ?? String(c)).join('、')
  }
  if (def.kind === 'bool') return x === 1 || x === true ? '是' : x === 0 || x === false ? '否' : plain(x, namer)
  if (def.kind === 'list' && Array.isArray(x)) {
    // the options of the list's own fields (a party's 当事人身份) read from the same definition
    const options: Record<string, Record<string, string>> = {}
    for (const f of fields) if (f.options) options[f.key] = f.options
    return cap(x.map((i) => itemText(i, options, namer)).join('；'))
  }
  return cap(plain(x, namer))
}

/** the record's name as the trail shows it: a patrol is named by its date, in the reading's style */
export function recordLabelText(label: string, style: DateStyle = 'screen'): string {
  return style === 'word' && ISO_DATE.test(label) ? arDate(label) : label
}
