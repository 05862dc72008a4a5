import type { Database } from 'better-sqlite3'

const record = `id TEXT PRIMARY KEY NOT NULL,
  createdAt TEXT NOT NULL,
  updatedAt TEXT NOT NULL,
  deletedAt TEXT,
  township TEXT NOT NULL`

export function up(db: Database): void {
  db.exec(`
CREATE TABLE township (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  county TEXT NOT NULL,
  countyCode TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('township','county')),
  createdAt TEXT NOT NULL
);
CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);

CREATE TABLE villages (${record},
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('village','community')),
  households INTEGER NOT NULL DEFAULT 0,
  population INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX villages_name ON villages(township, name);

CREATE TABLE grids (${record},
  villageId TEXT NOT NULL REFERENCES villages(id),
  name TEXT NOT NULL,
  households INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX grids_village ON grids(villageId);

CREATE TABLE units (${record},
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  villageId TEXT REFERENCES villages(id),
  headcount INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX units_village ON units(villageId);

CREATE TABLE members (${record},
  name TEXT NOT NULL,
  idNumber TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  villageId TEXT REFERENCES villages(id),
  gridId TEXT REFERENCES grids(id),
  unitId TEXT REFERENCES units(id),
  roles TEXT NOT NULL DEFAULT '[]',
  joinedOn TEXT NOT NULL,
  leftOn TEXT,
  notes TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX members_idnumber ON members(township, idNumber) WHERE deletedAt IS NULL;
CREATE INDEX members_live_name ON members(deletedAt, name);
CREATE INDEX members_village ON members(villageId, deletedAt, name, roles);
CREATE INDEX members_updated ON members(updatedAt);

CREATE TABLE audit (
  id TEXT PRIMARY KEY NOT NULL,
  at TEXT NOT NULL,
  operator TEXT NOT NULL,
  township TEXT NOT NULL,
  tableName TEXT NOT NULL,
  recordId TEXT NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL
);
CREATE INDEX audit_record ON audit(recordId);
CREATE INDEX audit_at ON audit(at);
`)
}
