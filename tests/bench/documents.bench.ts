import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openApp } from '../../src/main/app'
import { runDemo, type DemoOrg } from '../../src/main/demo/demo'
import { rng } from '../../src/main/demo/random'
import { generateAftercare, generateCases, generatePatrols } from '../../src/main/demo/registers'
import { prepared } from '../../src/main/db/query'
import { exportDocument } from '../../src/main/documents/export'
import { docContext } from '../../src/main/documents/common'
import { patrolsTable } from '../../src/main/documents/registers'
import { benchIdNumber, mib } from './measure'

/**
 * The inspection dossier of a township with 10,000 rows in each register (members, patrols, cases,
 * aftercare people and visits): time and peak memory (targets ≤ 5 s, ≤ 1 GB). Beside it, the floor:
 * the same patrol table's document.xml written as one plain string, no layout, no zip.
 */
const N = Number(process.env.BENCH_DOC_ROWS ?? 10_000)

export async function benchDocuments(report: (name: string, value: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-bench-doc-'))
  const app = openApp(dir)
  try {
    const today = '2026-11-20'
    app.ctx.today = () => today
    runDemo(app.ctx, { scale: 1, today })
    const db = app.ctx.db
    const t = prepared(db, 'SELECT code FROM township').get() as { code: string }
    const villages = db.prepare('SELECT id, name, kind, households FROM villages').all() as DemoOrg['villages']
    const org = { township: t.code, villages }
    const r = rng(11)
    const have = (db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n
    const ins = db.prepare(
      "INSERT INTO members (id, createdAt, updatedAt, deletedAt, township, name, idNumber, phone, villageId, gridId, unitId, roles, joinedOn, leftOn, notes) VALUES (?,?,?,NULL,?,?,?,?,?,NULL,NULL,?,?,NULL,'')",
    )
    const now = new Date().toISOString()
    db.transaction(() => {
      for (let i = have; i < N; i++) {
        const v = villages[i % villages.length]!
        ins.run(`bench-m-${i}`, now, now, t.code, `队员${i}`, benchIdNumber(i + 19_000_000), `1390000${String(i).padStart(4, '0')}`, v.id, JSON.stringify(i % 3 ? ['red_armband'] : ['patrol_parttime', 'volunteer']), '2024-01-01')
      }
      generatePatrols(app.ctx, org, r, { count: N, from: '2026-01-01', to: today })
      generateCases(app.ctx, org, r, { count: N, from: '2026-01-01', today })
      generateAftercare(app.ctx, org, r, { people: N, visitsPerPerson: 1, from: '2022-01-01', today })
    })()
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
    report(
      'documents: rows in the dossier year (members/patrols/cases/people/visits)',
      [
        count('SELECT count(*) AS n FROM members'),
        count("SELECT count(*) AS n FROM patrols WHERE date >= '2026-01-01'"),
        count("SELECT count(*) AS n FROM mediation_cases WHERE receivedOn >= '2026-01-01'"),
        count('SELECT count(*) AS n FROM aftercare_people'),
        count('SELECT count(*) AS n FROM aftercare_visits'),
      ].join(' / '),
    )

    global.gc?.()
    const before = process.memoryUsage().rss
    let peak = before
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const t0 = performance.now()
    const out = await exportDocument(app.ctx, { kind: 'dossier', year: 2026 })
    const dossierMs = performance.now() - t0
    clearInterval(timer)
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
    report('documents: dossier, 10,000 rows per register (target ≤ 5000 ms)', `${dossierMs.toFixed(0)} ms, ${out.pages} pages, ${mib(out.buffer.length)} file`)
    report('documents: dossier peak RSS (target ≤ 1 GB)', mib(peak))

    // the same patrol table as the dossier's, as one plain document.xml string
    const d = await docContext(app.ctx, { year: 2026 })
    const t1 = performance.now()
    const spec = (await patrolsTable(d)).spec
    const fetchMs = performance.now() - t1
    const t2 = performance.now()
    const e = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
    let xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>'
    spec.rows.forEach((row, i) => {
      xml += `<w:tr><w:tc><w:p><w:r><w:t>${i + 1}</w:t></w:r></w:p></w:tc>`
      for (const c of row) xml += `<w:tc><w:p><w:r><w:t>${e(typeof c === 'string' ? c : c.text)}</w:t></w:r></w:p></w:tc>`
      xml += '</w:tr>'
    })
    xml += '</w:tbl></w:body></w:document>'
    const floorMs = performance.now() - t2
    report(`documents: floor — ${spec.rows.length} patrol rows as a plain document.xml string`, `${floorMs.toFixed(0)} ms (${mib(Buffer.byteLength(xml))}); reading them: ${fetchMs.toFixed(0)} ms`)
    const t3 = performance.now()
    const p = await exportDocument(app.ctx, { kind: 'patrols', year: 2026 })
    report('documents: the same patrol register as a finished .docx', `${(performance.now() - t3).toFixed(0)} ms, ${p.pages} pages`)
  } finally {
    app.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
