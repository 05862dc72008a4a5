import type { Database } from 'better-sqlite3'

/**
 * USB handoff: the township's record of its exports (the last good one gives the next sequence number
 * and the incremental high-water mark), the county's ledger of imported packages (re-import is a no-op),
 * and the county's list of townships with their last package.
 */
export function up(db: Database): void {
  db.exec(`
CREATE TABLE handoff_exports (
  packageId TEXT PRIMARY KEY NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('data','standards')),
  seq INTEGER NOT NULL,
  full INTEGER NOT NULL CHECK (full IN (0,1)),
  since TEXT,
  highWater TEXT,
  fileName TEXT NOT NULL,
  file TEXT NOT NULL,
  rows INTEGER NOT NULL,
  counts TEXT NOT NULL DEFAULT '{}',
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  encrypted INTEGER NOT NULL CHECK (encrypted IN (0,1)),
  exportedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX handoff_exports_seq ON handoff_exports(kind, seq);

CREATE TABLE handoff_imports (
  packageId TEXT PRIMARY KEY NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('data','standards')),
  township TEXT NOT NULL,
  townshipName TEXT NOT NULL,
  seq INTEGER NOT NULL,
  full INTEGER NOT NULL CHECK (full IN (0,1)),
  createdAt TEXT NOT NULL,
  importedAt TEXT NOT NULL,
  fileName TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  rows INTEGER NOT NULL,
  counts TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX handoff_imports_township ON handoff_imports(township, seq);

CREATE TABLE townships (
  code TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  lastSeq INTEGER NOT NULL DEFAULT 0,
  lastPackageAt TEXT,
  lastImportedAt TEXT,
  packages INTEGER NOT NULL DEFAULT 0
);
`)
}
