import type { Database } from 'better-sqlite3'

const record = `id TEXT PRIMARY KEY NOT NULL,
  createdAt TEXT NOT NULL,
  updatedAt TEXT NOT NULL,
  deletedAt TEXT,
  township TEXT NOT NULL`

/**
 * The standards checklist (issue 4):
 * - families: declared 平安家庭, a creation target (record table: travels to the county);
 * - checklist_entries: the clerk's answer per (criterion, target, year): attested yes/no, numbers
 *   entered per value key (`figures`, JSON {key: number}), value keys marked 不适用 (`notApplicable`,
 *   JSON array; ["*"] = the whole criterion), note and evidence (record table);
 * - standard_sets: county-issued sets imported from a file (JSON text; local, not a record).
 */
export function up(db: Database): void {
  db.exec(`
CREATE TABLE families (${record},
  name TEXT NOT NULL,
  villageId TEXT NOT NULL REFERENCES villages(id),
  householder TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  declaredOn TEXT NOT NULL
);
CREATE INDEX families_village ON families(villageId, deletedAt);
CREATE INDEX families_updated ON families(updatedAt);

CREATE TABLE checklist_entries (${record},
  criterionId TEXT NOT NULL,
  targetId TEXT NOT NULL,
  year INTEGER NOT NULL,
  attested INTEGER CHECK (attested IN (0,1)),
  figures TEXT NOT NULL DEFAULT '{}',
  notApplicable TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX checklist_entries_key ON checklist_entries(township, year, criterionId, targetId) WHERE deletedAt IS NULL;
CREATE INDEX checklist_entries_target ON checklist_entries(targetId, year);
CREATE INDEX checklist_entries_updated ON checklist_entries(updatedAt);

CREATE TABLE standard_sets (
  id TEXT PRIMARY KEY NOT NULL,
  json TEXT NOT NULL,
  importedAt TEXT NOT NULL
);
`)
}
