import type { Database } from 'better-sqlite3'

const record = `id TEXT PRIMARY KEY NOT NULL,
  createdAt TEXT NOT NULL,
  updatedAt TEXT NOT NULL,
  deletedAt TEXT,
  township TEXT NOT NULL`

/**
 * The fifth register, 安全隐患排查整改台账 (issue 16.5). A hazard belongs to a village, a unit or
 * both (the stage rule, shared/hazards/stage.ts, asks for one of them). Indexes serve the list's
 * default sort (newest found first) per township and per village, the status filter and the
 * overdue reminder (status, deadline), the unit-delete check, and packages' incremental export.
 */
export function up(db: Database): void {
  db.exec(`
CREATE TABLE hazards (${record},
  foundOn TEXT NOT NULL,
  villageId TEXT REFERENCES villages(id),
  unitId TEXT REFERENCES units(id),
  location TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('fire','security','traffic','electric','building','water','food','other')),
  description TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('general','major','severe')),
  foundBy TEXT NOT NULL,
  responsible TEXT NOT NULL DEFAULT '',
  deadline TEXT,
  measures TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL DEFAULT '',
  closedOn TEXT,
  status TEXT NOT NULL CHECK (status IN ('open','rectifying','closed'))
);
CREATE INDEX hazards_found ON hazards(deletedAt, foundOn);
CREATE INDEX hazards_township ON hazards(township, deletedAt, foundOn);
CREATE INDEX hazards_village ON hazards(villageId, deletedAt, foundOn);
CREATE INDEX hazards_unit ON hazards(unitId, deletedAt);
CREATE INDEX hazards_status ON hazards(status, deletedAt, deadline);
CREATE INDEX hazards_updated ON hazards(updatedAt);
`)
}
