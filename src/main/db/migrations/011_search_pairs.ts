import type { Database } from 'better-sqlite3'

/**
 * A second search index per register (issue 15.3): the pairs of adjacent characters of its searchable
 * fields (db/pairs.ts), kept by the same triggers as the trigram index of migration 009.
 *
 * The trigram index answers a 2-character search (学校, 张三) from its term list: every trigram that
 * starts with the two characters, or'ed. At 1,000,000 patrols 学校 starts three trigrams held by a
 * third of the register, and reading the term list and counting the union cost ~27 ms of a 32 ms
 * page. Here the pair is one token: its row count is read from the index's term list (no union), and
 * its rows are one list.
 *
 * detail=none: a pair is matched alone, never as a phrase, so positions are not kept (a quarter of the
 * trigram index's size). Contentless with contentless_delete, as 009. The fields are 009's, frozen
 * here as this migration ships them; the mediation parties' texts are one argument whose unit
 * separators split it into fields.
 */
const fields: Record<string, (r: string) => string[]> = {
  members: (r) => [`${r}.name`, `${r}.idNumber`, `${r}.phone`],
  patrols: (r) => [`${r}.route`, `${r}.findings`, `${r}.handling`],
  mediation_cases: (r) => [`${r}.caseNo`, `${r}.summary`, `(SELECT group_concat(j.atom, char(31)) FROM json_tree(${r}.parties) j WHERE j.type = 'text' AND j.key <> 'side')`],
  aftercare_people: (r) => [`${r}.name`, `${r}.idNumber`, `${r}.crime`],
  aftercare_visits: (r) => [`${r}.content`],
  hazards: (r) => [`${r}.location`, `${r}.description`, `${r}.responsible`],
}

const body = (table: string, r: string) => `search_pairs(${fields[table]!(r).join(', ')})`

export function up(db: Database): void {
  for (const table of Object.keys(fields)) {
    const fts = `${table}_pairs`
    db.exec(`
CREATE VIRTUAL TABLE ${fts} USING fts5(body, tokenize = 'ascii', detail = none, content = '', contentless_delete = 1);
CREATE VIEW ${fts}_source AS SELECT rowid AS rid, ${body(table, table)} AS body FROM ${table};
INSERT INTO ${fts} (rowid, body) SELECT rid, body FROM ${fts}_source;
`)
    // 009's triggers keep both indexes: with a trigger per index, one statement changing 1,000
    // recently changed patrols took 370 ms instead of 20 (measured at 1,000,000 patrols; the cause,
    // inside FTS5, was not pinned down). The rows still on search_backlog are indexed again, in both
    // indexes, by its steps (db/search.ts).
    const pairs: Record<string, string> = {
      insert: `INSERT INTO ${fts} (rowid, body) VALUES (new.rowid, ${body(table, 'new')});`,
      update: `DELETE FROM ${fts} WHERE rowid = old.rowid;\n  INSERT INTO ${fts} (rowid, body) VALUES (new.rowid, ${body(table, 'new')});`,
      delete: `DELETE FROM ${fts} WHERE rowid = old.rowid;`,
    }
    for (const [op, statements] of Object.entries(pairs)) {
      const name = `${table}_search_${op}`
      const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck().get(name) as string
      const end = sql.lastIndexOf('END')
      db.exec(`DROP TRIGGER ${name}`)
      db.exec(`${sql.slice(0, end)}  ${statements}\n${sql.slice(end)}`)
    }
  }
}
