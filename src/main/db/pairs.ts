import type Database from 'better-sqlite3'

/**
 * The registers' second search index (migration 011): every pair of adjacent characters of the
 * searchable fields, one token each. A 2-character search (a name such as 张三, 学校 in a route) is then
 * one token of one index: SQLite's FTS5 has no tokenizer for pairs, so the triggers call
 * `search_pairs(field, …)`, registered on every connection by openSqlite.
 *
 * A pair is written as its two code points in hexadecimal joined by 'g' (学校 → 5b66g6821): tokens of
 * ASCII letters and digits only, which FTS5's ascii tokenizer keeps whole, whatever the characters
 * (punctuation, spaces, letters of any script). The fold is ASCII case only, as LIKE's, so a pair
 * matches the records a LIKE over the same fields matches.
 */
const FIELD_BREAK = '\u001f'

function fold(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase())
}

function token(a: string, b: string): string {
  return `${a.codePointAt(0)!.toString(16)}g${b.codePointAt(0)!.toString(16)}`
}

/** The tokens of one record: each distinct pair within a field (a field may hold unit separators, as the mediation parties' texts do). */
export function pairTokens(...fields: unknown[]): string {
  const out = new Set<string>()
  for (const f of fields) {
    if (f === null || f === undefined) continue
    for (const part of fold(String(f)).split(FIELD_BREAK)) {
      const chars = [...part]
      for (let i = 0; i + 1 < chars.length; i++) out.add(token(chars[i]!, chars[i + 1]!))
    }
  }
  return [...out].join(' ')
}

/** The token a 2-character search looks for. */
export function pairToken(text: string): string {
  const chars = [...fold(text)]
  if (chars.length !== 2) throw new Error('pairToken needs two characters')
  return token(chars[0]!, chars[1]!)
}

/** Registers search_pairs on a connection: the pair index's triggers call it. */
export function registerSearchFunctions(db: Database.Database): void {
  db.function('search_pairs', { deterministic: true, varargs: true }, (...fields: unknown[]) => pairTokens(...fields))
}
