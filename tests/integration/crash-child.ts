/**
 * Child process for crash.test.ts: a bulk import of N members in one transaction, done the way bulk
 * work is done in the app (prepared statements inside one transaction, the member rows and their
 * audit entries together), on a connection with the app's pragmas (WAL, synchronous=FULL); odd
 * batches inside bulkLoad (rollback journal), so a kill can also leave a hot journal behind.
 * Only better-sqlite3 and a few small helpers are loaded, so it starts fast.
 * Prints READY once loaded and waits for a line on stdin before touching the database (so the test
 * can start the next child while the current one runs), then BEGIN when the transaction starts and
 * DONE after the commit. Usage: node --import tsx crash-child.ts DATA_DIR BATCH N
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { makeIdNumber, maskIdNumber } from '../../src/shared/idNumber'
import { uuidv7 } from '../../src/shared/uuid'
import { bulkLoad } from '../../src/main/db/bulk'
import { registerSearchFunctions } from '../../src/main/db/pairs'

const [dir, batchArg, nArg] = process.argv.slice(2)
const batch = Number(batchArg)
const n = Number(nArg)
const base = Date.UTC(1950, 0, 1)

function bulkImport(): void {
  const db = new Database(join(dir!, 'pingan.db'))
  // the register's search triggers call it, as on every connection of the app (db/sqlite.ts)
  registerSearchFunctions(db)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  const township = (db.prepare('SELECT code FROM township WHERE id = 1').get() as { code: string }).code
  const insertMember = db.prepare(
    `INSERT INTO members (id, createdAt, updatedAt, deletedAt, township, name, idNumber, phone, roles, joinedOn, notes)
     VALUES (?, ?, ?, NULL, ?, ?, ?, '', '["volunteer"]', '2024-01-01', ?)`,
  )
  const insertAudit = db.prepare(
    "INSERT INTO audit (id, at, operator, township, tableName, recordId, action, changes) VALUES (?, ?, '导入', ?, 'members', ?, 'create', ?)",
  )
  const load = db.transaction(() => {
    process.stdout.write('BEGIN\n')
    for (let i = 0; i < n; i++) {
      const id = uuidv7()
      const now = new Date().toISOString()
      const idNumber = makeIdNumber('430103', new Date(base + i * 86_400_000).toISOString().slice(0, 10), batch)
      const name = `队员${batch}-${i}`
      insertMember.run(id, now, now, township, name, idNumber, `batch-${batch}`)
      insertAudit.run(uuidv7(), now, township, id, JSON.stringify({ name: [null, name], idNumber: [null, maskIdNumber(idNumber)] }))
    }
  })
  // odd batches run as a county's large import does: rollback journal, small cache (pages spill to the file)
  if (batch % 2) bulkLoad(db, () => load())
  else load()
  process.stdout.write('DONE\n')
  db.close()
}

process.stdout.write('READY\n')
process.stdin.once('data', () => {
  process.stdin.destroy()
  bulkImport()
})
