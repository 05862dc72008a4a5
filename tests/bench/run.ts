/**
 * `npm run bench [-- NAME…]`: prints figures, never passes or fails. Each capability adds its bench
 * to the list below. Targets are printed beside the figures for the reader, not checked.
 */
import { benchMembers } from './members.bench'
import { benchDocuments } from './documents.bench'
import { benchHandoff } from './handoff.bench'
import { benchChecklist } from './checklist.bench'
import { benchExcel } from './excel.bench'
import { benchRegisters } from './registers.bench'
import { benchStartup } from './startup.bench'
import { benchDist } from './dist.bench'

type Bench = (report: (name: string, value: string) => void) => Promise<void>

const benches: Record<string, Bench> = {
  members: benchMembers,
  documents: benchDocuments,
  handoff: benchHandoff,
  checklist: benchChecklist,
  excel: benchExcel,
  registers: benchRegisters,
  startup: benchStartup,
  dist: benchDist,
}

process.env.PINGAN_QUIET = '1'
const only = process.argv.slice(2)
const rows: [string, string][] = []
const report = (name: string, value: string) => {
  rows.push([name, value])
  console.log(`${name.padEnd(72)} ${value}`)
}

for (const [name, bench] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue
  console.log(`\n== ${name}`)
  const t = performance.now()
  await bench(report)
  console.log(`   (${name} took ${((performance.now() - t) / 1000).toFixed(1)} s)`)
}
