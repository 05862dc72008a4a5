import type { Ctx } from '../context'
import { prepared } from '../db/query'

/**
 * Names in a sheet → records in the database: villages, grids, units, members, aftercare people.
 * Messages say what is known, so the clerk can fix the sheet or add the missing record first.
 */
export type Found = { ok: true; id: string; name: string } | { ok: false; message: string }

const norm = (s: string) =>
  s
    .replace(/\s+/g, '')
    .replace(/[（(]/g, '(')
    .replace(/[）)]/g, ')')
    .toLowerCase()

/** 新塘村村委会 / 新塘村民委员会 / 桂花社区居委会 → 新塘村 / 桂花社区 */
function bareVillage(s: string): string {
  return norm(s)
    .replace(/(村民委员会|居民委员会|村委会|居委会|委员会)$/, '')
    .replace(/(村|社区)$/, '')
}

function listNames(names: string[], max = 30): string {
  if (names.length === 0) return '（还没有登记任何村（社区），请先在“组织机构”中添加）'
  const shown = names.slice(0, max).join('、')
  return names.length > max ? `${shown}等${names.length}个` : shown
}

export class Lookups {
  private villages: { id: string; name: string }[]
  private grids: { id: string; name: string; villageId: string }[]
  private units: { id: string; name: string }[]
  private memberCache = new Map<string, { id: string; idNumber: string; villageId: string | null }[]>()
  private personCache = new Map<string, { id: string; name: string; idNumber: string }[]>()
  /** village, grid and unit answers by the text in the cell: a sheet names the same few places on every row */
  private placeCache = new Map<string, Found>()

  private cached(key: string, find: () => Found): Found {
    let f = this.placeCache.get(key)
    if (!f) {
      if (this.placeCache.size > 5000) this.placeCache.clear()
      this.placeCache.set(key, (f = find()))
    }
    return f
  }

  constructor(private readonly ctx: Ctx) {
    this.villages = prepared(ctx.db, 'SELECT id, name FROM villages WHERE deletedAt IS NULL ORDER BY name').all() as { id: string; name: string }[]
    this.grids = prepared(ctx.db, 'SELECT id, name, villageId FROM grids WHERE deletedAt IS NULL').all() as { id: string; name: string; villageId: string }[]
    this.units = prepared(ctx.db, 'SELECT id, name FROM units WHERE deletedAt IS NULL').all() as { id: string; name: string }[]
  }

  village(text: string, label: string): Found {
    return this.cached(`v\u0000${label}\u0000${text}`, () => this.findVillage(text, label))
  }

  private findVillage(text: string, label: string): Found {
    const t = norm(text)
    const exact = this.villages.filter((v) => norm(v.name) === t)
    if (exact.length === 1) return { ok: true, id: exact[0]!.id, name: exact[0]!.name }
    const b = bareVillage(text)
    const loose = this.villages.filter((v) => bareVillage(v.name) === b)
    if (loose.length === 1) return { ok: true, id: loose[0]!.id, name: loose[0]!.name }
    if (loose.length > 1) return { ok: false, message: `${label}「${text}」对应多个村（社区）：${loose.map((v) => v.name).join('、')}，请写全称` }
    return { ok: false, message: `${label}「${text}」不是本乡镇登记的村（社区）。已登记的有：${listNames(this.villages.map((v) => v.name))}` }
  }

  grid(text: string, villageId: string | null | undefined, label: string): Found {
    return this.cached(`g\u0000${label}\u0000${villageId ?? ''}\u0000${text}`, () => this.findGrid(text, villageId, label))
  }

  private findGrid(text: string, villageId: string | null | undefined, label: string): Found {
    const t = norm(text)
    let found = this.grids.filter((g) => norm(g.name) === t)
    if (villageId) found = found.filter((g) => g.villageId === villageId)
    if (found.length === 1) return { ok: true, id: found[0]!.id, name: found[0]!.name }
    if (found.length > 1) return { ok: false, message: `${label}「${text}」有重名，请同时填写所属村（社区）` }
    return { ok: false, message: `${label}「${text}」不存在${villageId ? '于所填的村（社区）' : ''}，请先在“组织机构”中添加该网格` }
  }

  unit(text: string, label: string): Found {
    return this.cached(`u\u0000${label}\u0000${text}`, () => this.findUnit(text, label))
  }

  private findUnit(text: string, label: string): Found {
    const t = norm(text)
    const found = this.units.filter((u) => norm(u.name) === t)
    if (found.length === 1) return { ok: true, id: found[0]!.id, name: found[0]!.name }
    if (found.length > 1) return { ok: false, message: `${label}「${text}」有重名单位，请在程序中核对` }
    return { ok: false, message: `${label}「${text}」不存在，请先在“组织机构”中添加该单位` }
  }

  /** 张三, 张三(1234) with the last digits of the 身份证号, or a full 身份证号. */
  member(text: string, label: string, villageId?: string | null): Found {
    const raw = text.trim()
    if (/^\d{17}[\dXx]$/.test(raw)) {
      const r = prepared(this.ctx.db, 'SELECT id, name FROM members WHERE idNumber = ? AND deletedAt IS NULL').get(raw.toUpperCase()) as
        | { id: string; name: string }
        | undefined
      return r ? { ok: true, id: r.id, name: r.name } : { ok: false, message: `${label}：成员台账中没有身份证号为 ${raw.slice(0, 6)}…${raw.slice(-4)} 的成员` }
    }
    const m = /^(.+?)\s*[(（]\s*([\dXx]{4,6})\s*[)）]$/.exec(raw)
    const name = (m ? m[1]! : raw).replace(/\s+/g, '')
    const tail = m ? m[2]!.toUpperCase() : null
    let all = this.memberCache.get(name)
    if (!all) {
      all = prepared(this.ctx.db, 'SELECT id, idNumber, villageId FROM members WHERE deletedAt IS NULL AND name = ?').all(name) as {
        id: string
        idNumber: string
        villageId: string | null
      }[]
      if (this.memberCache.size > 5000) this.memberCache.clear()
      this.memberCache.set(name, all)
    }
    let found = tail ? all.filter((x) => x.idNumber.endsWith(tail)) : all
    if (found.length > 1 && villageId) {
      const local = found.filter((x) => x.villageId === villageId)
      if (local.length === 1) found = local
    }
    if (found.length === 1) return { ok: true, id: found[0]!.id, name }
    if (found.length === 0)
      return { ok: false, message: `${label}「${raw}」不在成员台账中，请先登记该成员${tail ? '（或核对身份证号后几位）' : ''}` }
    return { ok: false, message: `${label}「${raw}」：成员台账中有${found.length}人同名，请写成“姓名（身份证号后4位）”，例如 ${name}（${found[0]!.idNumber.slice(-4)}）` }
  }

  members(text: string, label: string, villageId?: string | null): { ok: true; ids: string[]; names: string[] } | { ok: false; message: string } {
    const parts = text.split(/[、,，;；\s]+/).map((s) => s.trim()).filter(Boolean)
    const ids: string[] = []
    const names: string[] = []
    for (const p of parts) {
      const f = this.member(p, label, villageId)
      if (!f.ok) return f
      if (!ids.includes(f.id)) {
        ids.push(f.id)
        names.push(f.name)
      }
    }
    return { ok: true, ids, names }
  }

  /** An aftercare person by 身份证号 if given, else by name. */
  person(name: string, idNumber: string | null, label: string): Found {
    if (idNumber) {
      const r = prepared(this.ctx.db, 'SELECT id, name FROM aftercare_people WHERE idNumber = ? AND deletedAt IS NULL').get(idNumber.toUpperCase()) as
        | { id: string; name: string }
        | undefined
      if (r) return { ok: true, id: r.id, name: r.name }
      return { ok: false, message: `${label}：帮教对象台账中没有身份证号为 ${idNumber.slice(0, 6)}…${idNumber.slice(-4)} 的人员，请先登记` }
    }
    const n = name.replace(/\s+/g, '')
    let all = this.personCache.get(n)
    if (!all) {
      all = prepared(this.ctx.db, 'SELECT id, name, idNumber FROM aftercare_people WHERE deletedAt IS NULL AND name = ?').all(n) as {
        id: string
        name: string
        idNumber: string
      }[]
      if (this.personCache.size > 5000) this.personCache.clear()
      this.personCache.set(n, all)
    }
    if (all.length === 1) return { ok: true, id: all[0]!.id, name: all[0]!.name }
    if (all.length === 0) return { ok: false, message: `${label}「${name}」不在帮教对象台账中，请先登记` }
    return { ok: false, message: `${label}「${name}」有${all.length}人同名，请填写帮教对象的身份证号` }
  }
}
