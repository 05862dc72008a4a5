import type { z } from 'zod'
import { isoDate } from '../../shared/validation'

/**
 * A form's zod schema as plain data, for the checks the package reader's worker runs on every incoming
 * row (rowCheck.ts): zod itself cannot run there (the worker is code in a string, so no bundler has to
 * know about a second entry point), and a million rows checked on the main thread would add seconds to
 * an import that SQLite already keeps busy. The data is read from the schemas themselves, so a limit
 * changed in a form changes the county's check with it. A schema using anything not understood here
 * (a transform such as the 身份证号 normalisation, an unknown refinement) cannot be compiled: that
 * register is then checked with zod on the main thread (rows.ts), never less strictly.
 */
export type StrOp = ['trim'] | ['min', number] | ['max', number] | ['len', number] | ['regex', string, string] | ['isoDate']

export type Spec =
  | { t: 'string'; ops: StrOp[] }
  | { t: 'number'; int: boolean; min?: [number, boolean]; max?: [number, boolean] }
  | { t: 'boolean' }
  | { t: 'enum'; values: (string | number | boolean | null)[] }
  | { t: 'array'; of: SpecNode; min?: number; max?: number }
  | { t: 'record'; key: SpecNode; value: SpecNode }
  | { t: 'union'; of: SpecNode[] }
  /** a strict object inside a field (a checklist entry's survey per value): every key named, no other */
  | { t: 'object'; shape: Record<string, SpecNode> }
  | { t: 'unknown' }

/** A value's spec; `opt`: undefined passes (optional or default), `nul`: null passes. */
export interface SpecNode {
  s: Spec
  opt?: true
  nul?: true
}

export class Unsupported extends Error {}

interface Def {
  type: string
  checks?: { _zod: { def: CheckDef } }[]
  innerType?: Schema
  element?: Schema
  keyType?: Schema
  valueType?: Schema
  options?: Schema[]
  entries?: Record<string, string | number>
  values?: unknown[]
  shape?: Record<string, Schema>
  catchall?: Schema
}
interface CheckDef {
  check: string
  format?: string
  value?: number
  inclusive?: boolean
  minimum?: number
  maximum?: number
  length?: number
  pattern?: RegExp
  fn?: unknown
  tx?: (v: string) => string
}
type Schema = { _zod: { def: Def } }

const defOf = (s: unknown): Def => (s as Schema)._zod.def

/** the refinement every isoDate() carries: one module-level function, so it is known by identity */
const isoDateFn = defOf(isoDate('')).checks?.[0]?._zod.def.fn

/** `.trim()` is an overwrite check with a closure of its own: recognised by what it does */
function isTrim(tx: unknown): boolean {
  if (typeof tx !== 'function') return false
  try {
    const f = tx as (v: string) => unknown
    return f('  a b \t') === 'a b' && f('\u3000x\n') === 'x' && f('y') === 'y'
  } catch {
    return false
  }
}

function stringSpec(d: Def): Spec {
  const ops: StrOp[] = []
  for (const c of d.checks ?? []) {
    const k = c._zod.def
    if (k.check === 'overwrite' && isTrim(k.tx)) ops.push(['trim'])
    else if (k.check === 'min_length' && typeof k.minimum === 'number') ops.push(['min', k.minimum])
    else if (k.check === 'max_length' && typeof k.maximum === 'number') ops.push(['max', k.maximum])
    else if (k.check === 'length_equals' && typeof k.length === 'number') ops.push(['len', k.length])
    else if (k.check === 'string_format' && k.format === 'regex' && k.pattern instanceof RegExp && !k.pattern.global && !k.pattern.sticky)
      ops.push(['regex', k.pattern.source, k.pattern.flags])
    else if (k.check === 'custom' && k.fn === isoDateFn && isoDateFn) ops.push(['isoDate'])
    else throw new Unsupported(`string check ${k.check}`)
  }
  return { t: 'string', ops }
}

function numberSpec(d: Def): Spec {
  const out: Extract<Spec, { t: 'number' }> = { t: 'number', int: false }
  for (const c of d.checks ?? []) {
    const k = c._zod.def
    if (k.check === 'number_format' && k.format === 'safeint') out.int = true
    else if (k.check === 'greater_than' && typeof k.value === 'number') out.min = [k.value, k.inclusive === true]
    else if (k.check === 'less_than' && typeof k.value === 'number') out.max = [k.value, k.inclusive === true]
    else throw new Unsupported(`number check ${k.check}`)
  }
  return out
}

function lengths(d: Def): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {}
  for (const c of d.checks ?? []) {
    const k = c._zod.def
    if (k.check === 'min_length' && typeof k.minimum === 'number') out.min = k.minimum
    else if (k.check === 'max_length' && typeof k.maximum === 'number') out.max = k.maximum
    else throw new Unsupported(`array check ${k.check}`)
  }
  return out
}

/** The spec of one value's schema; throws Unsupported for anything it cannot say exactly. */
export function compileNode(schema: unknown): SpecNode {
  const d = defOf(schema)
  switch (d.type) {
    case 'optional':
    case 'default':
    case 'prefault':
      return { ...compileNode(d.innerType), opt: true }
    case 'nullable':
      return { ...compileNode(d.innerType), nul: true }
    case 'string':
      return { s: stringSpec(d) }
    case 'number':
      return { s: numberSpec(d) }
    case 'boolean':
      if (d.checks?.length) throw new Unsupported('boolean check')
      return { s: { t: 'boolean' } }
    case 'enum':
      if (d.checks?.length || !d.entries) throw new Unsupported('enum')
      return { s: { t: 'enum', values: Object.values(d.entries) } }
    case 'literal':
      if (d.checks?.length || !Array.isArray(d.values)) throw new Unsupported('literal')
      return { s: { t: 'enum', values: d.values as (string | number | boolean | null)[] } }
    case 'array':
      return { s: { t: 'array', of: compileNode(d.element), ...lengths(d) } }
    case 'record':
      if (d.checks?.length) throw new Unsupported('record check')
      return { s: { t: 'record', key: compileNode(d.keyType), value: compileNode(d.valueType) } }
    case 'union':
      if (d.checks?.length || !d.options) throw new Unsupported('union')
      return { s: { t: 'union', of: d.options.map(compileNode) } }
    case 'object':
      if (d.checks?.length || !d.shape || !d.catchall || defOf(d.catchall).type !== 'never') throw new Unsupported('object')
      return { s: { t: 'object', shape: Object.fromEntries(Object.entries(d.shape).map(([k, v]) => [k, compileNode(v)])) } }
    case 'unknown':
    case 'any':
      return { s: { t: 'unknown' } }
    default:
      throw new Unsupported(d.type)
  }
}

/** The fields of a strict object schema, each compiled. */
export function compileObject(schema: z.ZodType): Record<string, SpecNode> {
  const d = defOf(schema)
  if (d.type !== 'object' || !d.shape) throw new Unsupported('not an object')
  // a strict object refuses fields it does not name: the reader only ever builds the named ones
  if (d.checks?.length) throw new Unsupported('object check')
  return Object.fromEntries(Object.entries(d.shape).map(([k, v]) => [k, compileNode(v)]))
}
