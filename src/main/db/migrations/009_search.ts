import type { Database } from 'better-sqlite3'

/**
 * Index-backed quick search (issue 15.3): one FTS5 trigram index per register, kept by triggers, so
 * the search box finds a name, an ID or phone fragment or a word of a finding without reading the
 * whole register (a LIKE scan took 64–169 ms at 100,000 members and grew with the register).
 *
 * Each record is indexed as one text: its searchable fields, each with a unit separator (char 31)
 * on both sides, and a second one at the end. A clerk cannot type that character, so a query never
 * spans two fields; and every 1- or 2-character substring of a field is followed by at least two
 * characters, so it starts some trigram, and a short query (a
 * 2-character name such as 张三) is answered from the index's term list: the trigrams that start
 * with it (db/search.ts reads them through a temporary fts5vocab table of its connection). Three characters or more are a phrase of trigrams, which is exactly a
 * substring match.
 *
 * Contentless (content=''): the index keeps no second copy of the text; contentless_delete lets the
 * triggers remove a record's entry by rowid. The rowid is the register table's own (no VACUUM in this
 * program: backups copy pages, packages travel by id). The triggers fire on the county merge's
 * INSERT … ON CONFLICT DO UPDATE too, so a county's search stays current without its own code.
 *
 * The fields are those the registers' quick search looked at (a village's name is matched through
 * the villages table, which is small). Frozen here as this migration shipped them.
 *
 * Also (issue 15.1): an Excel import's batch keeps the rowid range of its records (see below).
 */
const SEP = 'char(31)'

/** table → the SQL text indexed for one of its rows (`r` stands for new or old) */
const bodies: Record<string, (r: string) => string> = {
  members: (r) => join([`${r}.name`, `${r}.idNumber`, `${r}.phone`]),
  patrols: (r) => join([`${r}.route`, `${r}.findings`, `${r}.handling`]),
  // every text of the parties (name, ID number, phone …) but the side's code word
  mediation_cases: (r) =>
    join([`${r}.caseNo`, `${r}.summary`, `(SELECT group_concat(j.atom, ${SEP}) FROM json_tree(${r}.parties) j WHERE j.type = 'text' AND j.key <> 'side')`]),
  aftercare_people: (r) => join([`${r}.name`, `${r}.idNumber`, `${r}.crime`]),
  aftercare_visits: (r) => join([`${r}.content`]),
  hazards: (r) => join([`${r}.location`, `${r}.description`, `${r}.responsible`]),
}

/** the columns whose change re-indexes a row */
const columns: Record<string, string[]> = {
  members: ['name', 'idNumber', 'phone'],
  patrols: ['route', 'findings', 'handling'],
  mediation_cases: ['caseNo', 'summary', 'parties'],
  aftercare_people: ['name', 'idNumber', 'crime'],
  aftercare_visits: ['content'],
  hazards: ['location', 'description', 'responsible'],
}

/** separator, field, separator, field …, and two separators at the end: a last character still starts a trigram */
function join(exprs: string[]): string {
  return `${SEP} || ${exprs.map((e) => `coalesce(${e}, '')`).join(` || ${SEP} || `)} || ${SEP} || ${SEP}`
}

export function up(db: Database): void {
  db.exec(`
-- rowid ranges written while a bulk load held its table's insert trigger back (db/search.ts): indexed
-- in the background after the load; until then the search scans those rows with LIKE
CREATE TABLE search_backlog (
  tableName TEXT NOT NULL,
  fromRowid INTEGER NOT NULL,
  toRowid INTEGER NOT NULL
);
-- An Excel import writes its rows in one statement, so they take consecutive rowids: the batch keeps
-- that range instead of one import_batch_records row per record, which made the import's commit a
-- third larger (excel/stage.ts). Batches from before keep their list.
ALTER TABLE import_batches ADD COLUMN fromRowid INTEGER;
ALTER TABLE import_batches ADD COLUMN toRowid INTEGER;
`)
  for (const [table, body] of Object.entries(bodies)) {
    const fts = `${table}_search`
    db.exec(`
CREATE VIRTUAL TABLE ${fts} USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
-- the indexed text of each row, for indexing many rows at once (the triggers say the same of new)
CREATE VIEW ${fts}_source AS SELECT rowid AS rid, ${body(table)} AS body FROM ${table};
CREATE TRIGGER ${fts}_insert AFTER INSERT ON ${table} BEGIN
  INSERT INTO ${fts} (rowid, body) VALUES (new.rowid, ${body('new')});
END;
CREATE TRIGGER ${fts}_update AFTER UPDATE OF ${columns[table]!.join(', ')} ON ${table} BEGIN
  DELETE FROM ${fts} WHERE rowid = old.rowid;
  INSERT INTO ${fts} (rowid, body) VALUES (new.rowid, ${body('new')});
END;
CREATE TRIGGER ${fts}_delete AFTER DELETE ON ${table} BEGIN
  DELETE FROM ${fts} WHERE rowid = old.rowid;
END;
INSERT INTO ${fts} (rowid, body) SELECT rid, body FROM ${fts}_source;
`)
  }
}
