import type { Database } from 'better-sqlite3'

const record = `id TEXT PRIMARY KEY NOT NULL,
  createdAt TEXT NOT NULL,
  updatedAt TEXT NOT NULL,
  deletedAt TEXT,
  township TEXT NOT NULL`

/**
 * What the documents of issue 14 need from the data:
 * - a case's 履行方式、地点、期限 (人民调解协议书): three texts on mediation_cases, empty for the cases
 *   entered before;
 * - self_check_texts: the 整改措施 and 下一步工作 the clerk writes per creation target and year for the
 *   自查报告 (a record table: it travels in packages and is audited), one live row per target and year.
 */
export function up(db: Database): void {
  db.exec(`
ALTER TABLE mediation_cases ADD COLUMN performanceMethod TEXT NOT NULL DEFAULT '';
ALTER TABLE mediation_cases ADD COLUMN performancePlace TEXT NOT NULL DEFAULT '';
ALTER TABLE mediation_cases ADD COLUMN performanceDeadline TEXT NOT NULL DEFAULT '';

CREATE TABLE self_check_texts (${record},
  targetId TEXT NOT NULL,
  year INTEGER NOT NULL,
  measures TEXT NOT NULL DEFAULT '',
  nextSteps TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX self_check_texts_key ON self_check_texts(township, year, targetId) WHERE deletedAt IS NULL;
CREATE INDEX self_check_texts_updated ON self_check_texts(updatedAt);
`)
}
