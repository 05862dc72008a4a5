import { roleLabels, roles } from '../domain'
import { normHeader, stripBrackets } from './cells'
import type { ColumnDef } from '../registers/define'
import { registerByKey, registerKeys, type RegisterKey } from '../registers'

export type { ColumnDef, ColumnKind } from '../registers/define'

/**
 * The columns of each register as they appear in a sheet come from its definition
 * (src/shared/registers): one list per register serves the importer's automatic mapping, the export
 * and the template.
 */
export const excelRegisters = registerKeys
export type ExcelRegister = RegisterKey

export const excelRegisterLabels = Object.fromEntries(registerKeys.map((k) => [k, registerByKey[k].title])) as Record<ExcelRegister, string>

export const excelColumns = Object.fromEntries(registerKeys.map((k) => [k, registerByKey[k].excel])) as Record<ExcelRegister, ColumnDef[]>

/** Columns read on import, in sheet order. */
export function importColumns(register: ExcelRegister): ColumnDef[] {
  return excelColumns[register].filter((c) => !c.exportOnly)
}

/** Columns written on export and in templates. */
export function exportColumns(register: ExcelRegister): ColumnDef[] {
  return excelColumns[register].filter((c) => !c.importOnly)
}

/** The field a header names, or null; '' for headers that are known but not imported (序号, 性别…). */
export function matchHeader(register: ExcelRegister, header: string): string | null {
  const h = normHeader(header)
  if (!h) return null
  const cols = excelColumns[register]
  const names = (c: ColumnDef) => [c.label, ...c.aliases].map(normHeader)
  for (const c of cols) if (names(c).includes(h)) return c.exportOnly ? '' : c.key
  const bare = stripBrackets(h)
  if (bare && bare !== h) for (const c of cols) if (names(c).map(stripBrackets).includes(bare)) return c.exportOnly ? '' : c.key
  if (['出生日期', '出生年月', '年龄', '民族', '文化程度', '政治面貌'].includes(bare)) return ''
  return null
}

/** Maps sheet headers (1-based column → text) to fields: each field takes the first column that names it. */
export function suggestMapping(register: ExcelRegister, headers: Record<number, string>): Record<string, number | null> {
  const mapping: Record<string, number | null> = {}
  for (const c of importColumns(register)) mapping[c.key] = null
  for (const [col, text] of Object.entries(headers)) {
    const f = matchHeader(register, text)
    if (f && mapping[f] === null) mapping[f] = Number(col)
  }
  return mapping
}

/** Words a clerk writes for each role, besides its label. */
const roleAliases: Record<string, (typeof roles)[number]> = {
  站长: 'station_head', 工作站站长: 'station_head', 综治站长: 'station_head',
  专干: 'officer', 综治专员: 'officer',
  专职巡防: 'patrol_fulltime', 专职巡逻队员: 'patrol_fulltime', 专职队员: 'patrol_fulltime', 巡防队员: 'patrol_fulltime', 专职巡防员: 'patrol_fulltime',
  兼职巡防: 'patrol_parttime', 兼职巡防队员: 'patrol_parttime', 群防群治队员: 'patrol_parttime', 兼职队员: 'patrol_parttime', 义务巡逻队员: 'patrol_parttime', 义务巡防队员: 'patrol_parttime', 群防群治: 'patrol_parttime',
  网格管理员: 'gridder', 专职网格员: 'gridder', 兼职网格员: 'gridder',
  人民调解员: 'mediator', 调解委员: 'mediator', 调委会主任: 'mediator',
  治保委员: 'security_director',
  志愿者: 'volunteer', 平安志愿者: 'volunteer',
  协会会员: 'association_member', 会员: 'association_member', 平安协会会员: 'association_member',
  红袖章: 'red_armband', 红袖标队员: 'red_armband',
  保安员: 'guard',
  帮教员: 'aftercare_helper', 帮教责任人: 'aftercare_helper', 帮教志愿者: 'aftercare_helper',
}

type RoleCode = (typeof roles)[number]
/** every word for a role, and those containing a separator (matched first); built once, an import reads them on every row */
let roleWords: { byWord: Map<string, RoleCode>; slashed: [string, RoleCode][] } | null = null

/** 专职巡防队员、调解员 → ['patrol_fulltime', 'mediator']; unknown words are returned apart. */
export function parseRoles(text: string): { roles: RoleCode[]; unknown: string[] } {
  if (!roleWords) {
    const byWord = new Map<string, RoleCode>()
    for (const r of roles) byWord.set(roleLabels[r], r)
    for (const [w, r] of Object.entries(roleAliases)) byWord.set(w, r)
    roleWords = { byWord, slashed: [...byWord].filter(([w]) => w.includes('/')) }
  }
  const { byWord, slashed } = roleWords
  const out: (typeof roles)[number][] = []
  const unknown: string[] = []
  let rest = text.trim()
  // labels that themselves contain a separator go first
  for (const [w, r] of slashed)
    if (rest.includes(w)) {
      out.push(r)
      rest = rest.split(w).join('、')
    }
  for (const part of rest.split(/[、,，;；/\s]+/).map((s) => s.trim()).filter(Boolean)) {
    const r = byWord.get(part)
    if (r) out.push(r)
    else unknown.push(part)
  }
  return { roles: [...new Set(out)], unknown }
}

/** An enum cell's text → stored value, or null. */
export function parseOption(col: ColumnDef, text: string): string | null {
  const t = text.trim().replace(/\s+/g, '')
  if (!t || !col.options) return null
  for (const [value, label] of Object.entries(col.options)) if (label === t || value === t) return value
  if (col.optionAliases?.[t]) return col.optionAliases[t]!
  for (const [value, label] of Object.entries(col.options)) if (label.startsWith(t) || t.startsWith(label)) return value
  return null
}
