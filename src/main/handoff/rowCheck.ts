import { isUtf8 } from 'node:buffer'
import type { SpecNode } from './rowSpec'

/**
 * The checks the package reader's worker runs on every row of a register compiled from its form
 * (rowSpec.ts), before the row reaches SQLite. Plain JavaScript in a string, like the worker itself
 * (reader.ts), so no bundler needs a second entry point; tests load the same text on the main thread
 * (loadRowChecker) and compare its verdicts with zod's on random rows.
 *
 * It says only whether a row passes and, if not, which column failed: the clerk's message comes from
 * the form's own zod schema, run on the main thread on that one row (rows.ts).
 */
export type Conv = 'raw' | 'json' | 'bool' | 'naKeys'

export interface PlanField {
  column: string
  /** the form's field the column is checked as */
  field: string
  conv: Conv
  node: SpecNode
}

/** ['patrolTimes'] or ['notAfterToday', field] */
export type WorkerRule = ['patrolTimes'] | ['notAfterToday', string]

export interface PlanTable {
  /** record: id, createdAt, updatedAt, deletedAt, township; append (the audit trail): id, at, township */
  base: 'record' | 'append'
  fields: PlanField[]
  rules: WorkerRule[]
}

export interface CheckPlan {
  /** ISO stamps after this are refused (a day after the import) */
  limit: string
  /** dates after this are refused where the form refuses dates after today (the county's today + 1) */
  today: string
  /**
   * the township of the package being read: a row of another township is refused here, so that the
   * merge (merge.ts) need not look at it again. Absent: only the code's form is checked.
   */
  township?: string
  tables: Record<string, PlanTable>
}

/** A row's verdict: null when it passes, else the column that fails ('' for the row's shape). */
export type RowVerdict = string | null
export type RowChecker = (table: string, columns: string[]) => ((row: unknown) => RowVerdict) | null

export const ROW_CHECK_JS = String.raw`
function makeRowChecker(plan) {
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  var STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
  var TOWNSHIP = /^\d{6,12}$/
  var BAD = {}
  // digits [a, b) of s as a number, -1 if any is not a digit (no Date objects: a million rows)
  function num(s, a, b) {
    var n = 0
    for (var i = a; i < b; i++) {
      var c = s.charCodeAt(i) - 48
      if (c < 0 || c > 9) return -1
      n = n * 10 + c
    }
    return n
  }
  function daysIn(y, mo) {
    if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28
    return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31
  }
  // validation.ts isRealIsoDate: YYYY-MM-DD, a real day, years 1900 to 2200 (compared by tests)
  function isRealIsoDate(s) {
    if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false
    var y = num(s, 0, 4), mo = num(s, 5, 7), d = num(s, 8, 10)
    if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false
    return d <= daysIn(y, mo)
  }
  // a stamp as Date#toISOString writes it, of a real moment (rows.ts isStamp, compared by tests)
  function isStamp(v) {
    if (typeof v !== 'string' || v.length !== 24 || !STAMP.test(v)) return false
    var y = num(v, 0, 4), mo = num(v, 5, 7), d = num(v, 8, 10)
    return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && num(v, 11, 13) <= 23 && num(v, 14, 16) <= 59 && num(v, 17, 19) <= 59
  }
  function stampOk(v) {
    return isStamp(v) && v <= plan.limit
  }
  function codePoints(v) {
    var n = v.length
    for (var i = 0; i < v.length - 1; i++) {
      if ((v.charCodeAt(i) & 0xfc00) === 0xd800 && (v.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n--; i++ }
    }
    return n
  }
  function compileString(ops) {
    var steps = ops.map(function (op) {
      switch (op[0]) {
        case 'trim': return function (v) { return v.trim() }
        // lengths in code points, as zod counts them (an emoji is one character, two UTF-16 units);
        // counted only where the units leave it in doubt, as zod does
        case 'min': return function (v) { return v.length >= op[1] * 2 || (v.length >= op[1] && codePoints(v) >= op[1]) ? v : BAD }
        case 'max': return function (v) { return v.length <= op[1] || codePoints(v) <= op[1] ? v : BAD }
        case 'len': return function (v) { return v.length >= op[1] && v.length <= op[1] * 2 && codePoints(v) === op[1] ? v : BAD }
        case 'regex': { var re = new RegExp(op[1], op[2]); return function (v) { return re.test(v) ? v : BAD } }
        case 'isoDate': return function (v) { return isRealIsoDate(v) ? v : BAD }
      }
      throw new Error('unknown string check ' + op[0])
    })
    return function (v) {
      if (typeof v !== 'string') return false
      // every check runs on what the one before left (a trim first), as zod does
      for (var i = 0; i < steps.length; i++) if ((v = steps[i](v)) === BAD) return false
      return true
    }
  }
  function compile(node) {
    var s = node.s, inner
    switch (s.t) {
      case 'string': inner = compileString(s.ops); break
      case 'number': inner = function (v) {
        if (typeof v !== 'number' || !Number.isFinite(v)) return false
        if (s.int && !Number.isSafeInteger(v)) return false
        if (s.min && (s.min[1] ? v < s.min[0] : v <= s.min[0])) return false
        if (s.max && (s.max[1] ? v > s.max[0] : v >= s.max[0])) return false
        return true
      }; break
      case 'boolean': inner = function (v) { return typeof v === 'boolean' }; break
      case 'enum': inner = function (v) { return s.values.indexOf(v) >= 0 }; break
      case 'array': { var of = compile(s.of); inner = function (v) {
        if (!Array.isArray(v)) return false
        if (s.min !== undefined && v.length < s.min) return false
        if (s.max !== undefined && v.length > s.max) return false
        for (var i = 0; i < v.length; i++) if (!of(v[i])) return false
        return true
      }; break }
      case 'record': { var key = compile(s.key), value = compile(s.value); inner = function (v) {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
        var keys = Object.keys(v)
        for (var i = 0; i < keys.length; i++) if (!key(keys[i]) || !value(v[keys[i]])) return false
        return true
      }; break }
      case 'union': { var alts = s.of.map(compile); inner = function (v) {
        for (var i = 0; i < alts.length; i++) if (alts[i](v)) return true
        return false
      }; break }
      case 'object': { var names = Object.keys(s.shape), fields = names.map(function (k) { return compile(s.shape[k]) }); inner = function (v) {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
        var keys = Object.keys(v)
        for (var i = 0; i < keys.length; i++) if (names.indexOf(keys[i]) < 0) return false
        for (var j = 0; j < names.length; j++) if (!fields[j](v[names[j]])) return false
        return true
      }; break }
      case 'unknown': inner = function () { return true }; break
      default: throw new Error('unknown spec ' + s.t)
    }
    var opt = node.opt === true, nul = node.nul === true
    return function (v) {
      if (v === undefined) return opt
      if (v === null && nul) return true
      return inner(v)
    }
  }
  function convert(conv, v) {
    switch (conv) {
      case 'raw': return v
      case 'bool': return v === 0 ? false : v === 1 ? true : v === null ? null : BAD
      case 'json':
      case 'naKeys': {
        if (typeof v !== 'string') return BAD
        var x
        try { x = JSON.parse(v) } catch (e) { return BAD }
        return conv === 'naKeys' && Array.isArray(x) ? x.filter(function (k) { return k !== '*' }) : x
      }
    }
    return BAD
  }
  // times have passed their HH:MM check before a rule runs
  var minutes = function (t) { return num(t, 0, 2) * 60 + num(t, 3, 5) }
  var rules = {
    // patrols/times.ts patrolTimeRefusal: equal times are no patrol; an overnight one lasts at most 12 hours
    patrolTimes: function (get) {
      var s = get('startTime'), e = get('endTime')
      if (typeof s !== 'string' || typeof e !== 'string') return null
      var a = minutes(s), b = minutes(e)
      if (a === b) return 'endTime'
      if (b < a && b + 24 * 60 - a > 12 * 60) return 'endTime'
      return null
    },
    notAfterToday: function (get, field) {
      var v = get(field)
      return v !== null && v !== undefined && v > plan.today ? field : null
    },
  }
  // A string check that only bounds the length can often be decided from a string's UTF-8 bytes
  // (frames are read as Latin-1, see below): a string of B bytes holds between B/4 and B characters
  // (code points, as the checks count them).
  // Returns null where the characters are needed (a trim before a minimum, a pattern, an enum).
  function byteBound(node) {
    var s = node.s
    if (s.t !== 'string') return null
    var max = Infinity, min = 0, trimmed = false
    for (var i = 0; i < s.ops.length; i++) {
      var op = s.ops[i]
      if (op[0] === 'trim') trimmed = true
      else if (op[0] === 'max') max = Math.min(max, op[1])
      else if (op[0] === 'min' && !trimmed) min = Math.max(min, op[1])
      else return null
    }
    // true only when every string of this many bytes passes
    return function (bytes) { return bytes <= max && Math.ceil(bytes / 4) >= min }
  }
  var NON_ASCII = /[^\x00-\x7f]/
  return function header(table, columns) {
    var t = plan.tables[table]
    if (!t) return null
    var at = function (c) { return columns.indexOf(c) }
    var base = t.base === 'record'
      ? [[at('id'), 'id'], [at('createdAt'), 'stamp'], [at('updatedAt'), 'stamp'], [at('deletedAt'), 'stampOrNull'], [at('township'), 'township']]
      : [[at('id'), 'id'], [at('at'), 'stamp'], [at('township'), 'township']]
    base = base.filter(function (b) { return b[0] >= 0 })
    // a rule reads its fields' values: those are always decoded
    var ruleFields = {}
    t.rules.forEach(function (r) { if (r[0] === 'patrolTimes') { ruleFields.startTime = true; ruleFields.endTime = true } else ruleFields[r[1]] = true })
    var fields = t.fields
      .map(function (f) {
        return { i: at(f.column), column: f.column, field: f.field, conv: f.conv, ok: compile(f.node), bound: f.conv === 'raw' && !ruleFields[f.field] ? byteBound(f.node) : null }
      })
      .filter(function (f) { return f.i >= 0 })
    var values = {}
    var colOf = {}
    fields.forEach(function (f) { colOf[f.field] = f.column })
    var get = function (field) { return values[field] }
    var ruleFns = t.rules.map(function (r) { return function () { return rules[r[0]](get, r[1]) } })
    // latin: the row's strings are its UTF-8 bytes read as Latin-1 (makeFrameChecker), decoded here only where a check needs the characters
    return function check(row, latin) {
      if (!Array.isArray(row) || row.length !== columns.length) return ''
      for (var b = 0; b < base.length; b++) {
        var v = row[base[b][0]], kind = base[b][1]
        var ok = kind === 'id' ? typeof v === 'string' && UUID.test(v)
          : kind === 'stamp' ? stampOk(v)
          : kind === 'stampOrNull' ? v === null || stampOk(v)
          : typeof v === 'string' && TOWNSHIP.test(v) && (!plan.township || v === plan.township)
        if (!ok) return columns[base[b][0]]
      }
      for (var i = 0; i < fields.length; i++) {
        var f = fields[i]
        var raw = row[f.i]
        if (latin === true && typeof raw === 'string' && NON_ASCII.test(raw)) {
          if (f.bound !== null && f.bound(raw.length)) continue
          raw = Buffer.from(raw, 'latin1').toString('utf8')
        }
        var x = f.conv === 'raw' ? raw : convert(f.conv, raw)
        if (x === BAD || !f.ok(x)) return f.column
        values[f.field] = x
      }
      for (var r = 0; r < ruleFns.length; r++) {
        var bad = ruleFns[r]()
        if (bad) return colOf[bad] || bad
      }
      return null
    }
  }
}

// A payload frame's lines checked in order: a header line picks the table's checker, each row line is
// checked by it. Returns null, or the refused row with where it is (its table, columns, 1-based index).
//
// The frame (a Buffer of UTF-8) is read as Latin-1, one character per byte: making a JS string of a
// megabyte of UTF-8 with Chinese in it costs more than everything else here. JSON's own characters are
// ASCII, so a row parses the same, its strings holding their UTF-8 bytes as characters; the row
// checker decodes a string with bytes above 0x7F only where its check needs the characters (a finding
// under its maximum length is not decoded at all). A line with a \u escape, a value that is not a
// scalar, or a frame that is not valid UTF-8 is decoded as UTF-8 whole, so every row is seen exactly
// as JSON.parse of its UTF-8 text sees it (tests compare).
function makeFrameChecker(plan, isUtf8) {
  const header = makeRowChecker(plan)
  let current = null, table = null, columns = null, index = 0
  // whether the row rowOf returned holds Latin-1 strings
  let latin = false
  function rowOf(frame, text, start, nl, exact) {
    latin = false
    if (exact) return JSON.parse(frame.toString('utf8', start, nl))
    const line = text.slice(start, nl)
    if (line.indexOf('\\u') >= 0) return JSON.parse(frame.toString('utf8', start, nl))
    const row = JSON.parse(line)
    if (!Array.isArray(row)) return row
    for (let i = 0; i < row.length; i++) {
      const v = row[i]
      if (v !== null && typeof v === 'object') return JSON.parse(frame.toString('utf8', start, nl))
    }
    latin = true
    return row
  }
  return function checkFrame(frame) {
    const exact = !isUtf8(frame)
    const text = frame.toString('latin1')
    let start = 0
    while (start < text.length) {
      let nl = text.indexOf('\n', start)
      if (nl < 0) nl = text.length
      const c = text.charCodeAt(start)
      if (c === 0x7b) {
        let h = null
        try { h = JSON.parse(frame.toString('utf8', start, nl)) } catch (e) { h = null }
        if (h && typeof h.table === 'string' && Array.isArray(h.columns)) {
          table = h.table
          columns = h.columns
          index = 0
          current = header(h.table, h.columns)
        } else {
          current = null
        }
      } else if (c === 0x5b) {
        index++
        if (current) {
          let row, bad = null
          try { row = rowOf(frame, text, start, nl, exact) } catch (e) { bad = '' }
          if (bad === null) bad = current(row, latin)
          if (bad !== null) return { table, columns, index, line: frame.toString('utf8', start, nl), column: bad }
        }
      }
      start = nl + 1
    }
    return null
  }
}
`

/** A row the frame checker refused, and where it is. */
export interface FrameRefusal {
  table: string
  columns: string[]
  index: number
  line: string
  column: string | null
}
export type FrameChecker = (frame: Buffer) => FrameRefusal | null

let compiled: { row: (p: CheckPlan) => RowChecker; frame: (p: CheckPlan, utf8: typeof isUtf8) => FrameChecker } | null = null

function load() {
  // the worker's own source (a constant, never input), compiled once for this thread
  compiled ??= new Function(`${ROW_CHECK_JS}\nreturn { row: makeRowChecker, frame: makeFrameChecker }`)() as NonNullable<typeof compiled>
  return compiled
}

/** The worker's row checker on the calling thread (tests compare it with zod). */
export function loadRowChecker(plan: CheckPlan): RowChecker {
  return load().row(plan)
}

/** The worker's frame checker on the calling thread (a small payload is read without a worker). */
export function loadFrameChecker(plan: CheckPlan): FrameChecker {
  return load().frame(plan, isUtf8)
}
