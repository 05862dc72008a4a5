/**
 * Answers remembered by value (issue 15.1), for checks that depend on the value alone: a sheet names
 * the same few villages, roles and dates on every row. A column whose values hardly repeat (a name, an
 * 身份证号) stops being remembered after a trial, so it costs nothing more.
 */
export class Memo<V> {
  static readonly MAX = 2000
  static readonly TRIAL = 500
  private map: Map<unknown, V> | null = new Map()
  private looks = 0
  private hits = 0

  /** the answer for key, from find the first time; keep(answer) says whether later rows may share it */
  get(key: unknown, find: () => V, keep: (v: V) => boolean): V {
    const map = this.map
    if (!map || !isPrimitive(key)) return find()
    this.looks++
    let v = map.get(key)
    if (v !== undefined) {
      this.hits++
      return v
    }
    v = find()
    if (keep(v)) {
      if (map.size >= Memo.MAX) map.clear()
      map.set(key, v)
    }
    if (this.looks === Memo.TRIAL && this.hits * 2 < Memo.TRIAL) this.map = null
    return v
  }
}

type Primitive = string | number | boolean | null | undefined

/** a value that cannot be changed afterwards: an answer holding one may be shared between rows */
export const isPrimitive = (v: unknown): v is Primitive => v === null || (typeof v !== 'object' && typeof v !== 'function')
