import type { Database } from 'better-sqlite3'

/**
 * Excel imports (issue 8): each committed import is one batch, so it can be undone as a whole.
 * Local bookkeeping only: batches are not records and do not travel in packages.
 */
export function up(db: Database): void {
  db.exec(`
CREATE TABLE import_batches (
  id TEXT PRIMARY KEY NOT NULL,
  createdAt TEXT NOT NULL,
  township TEXT NOT NULL,
  register TEXT NOT NULL,
  fileName TEXT NOT NULL,
  sheet TEXT NOT NULL,
  imported INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  operator TEXT NOT NULL,
  undoneAt TEXT
);
CREATE INDEX import_batches_created ON import_batches(createdAt);
CREATE TABLE import_batch_records (
  batchId TEXT NOT NULL REFERENCES import_batches(id),
  tableName TEXT NOT NULL,
  recordId TEXT NOT NULL,
  PRIMARY KEY (batchId, recordId)
);
-- the member rule check looks a 身份证号 up without the township (members.create/update checkRules);
-- members_idnumber leads with township, so that lookup scanned every live member: 120 rows/s on import
CREATE INDEX members_idnumber_lookup ON members(idNumber, deletedAt);
`)
}
