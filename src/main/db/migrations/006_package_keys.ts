import type { Database } from 'better-sqlite3'

/**
 * Signed USB packages (issue 13.5): the key each sender signs with, pinned at its first accepted
 * package (a county pins its townships' keys; a township pins its county's, for standards packages).
 * Local bookkeeping, not a record: it does not travel. A change of key is written here only when the
 * receiving clerk confirms it, and the audit trail says so.
 */
export function up(db: Database): void {
  db.exec(`
CREATE TABLE package_keys (
  sender TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  publicKey TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  pinnedAt TEXT NOT NULL,
  packageId TEXT NOT NULL
);
`)
}
