/**
 * `npm run bench [-- NAME…] [-- --compare FILE]`: prints figures, never passes or fails. Each
 * capability adds its bench to the list below. Targets are printed beside the figures for the reader,
 * not checked.
 *
 * Every figure also goes to bench-results/latest.json (name, value, unit, target), so one run can be
 * compared with the next: `--compare bench-results/earlier.json` prints each figure beside the earlier
 * run's and their ratio. README.md ("Speed") says what each target is and where it comes from.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { benchMembers } from './members.bench'
import { benchDocuments } from './documents.bench'
import { benchHandoff } from './handoff.bench'
import { benchChecklist } from './checklist.bench'
import { benchExcel } from './excel.bench'
import { benchRegisters } from './registers.bench'
import { benchStartup } from './startup.bench'
import { benchDist } from './dist.bench'
import type { Figure, Report } from './measure'

type Bench = (report: Report) => Promise<void>

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

interface Entry {
  name: string
  /** the figure as a number where the bench gave one, else the printed text */
  value: number | string
  unit: string
  target: string | null
  /** what the terminal showed */
  text: string
}

const args = process.argv.slice(2)
const at = args.indexOf('--compare')
const compareFile = at >= 0 ? args[at + 1] : undefined
if (at >= 0 && !compareFile) throw new Error('--compare needs a file, e.g. --compare bench-results/earlier.json')
const only = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args
const earlier = new Map<string, Entry>()
if (compareFile) for (const e of (JSON.parse(readFileSync(compareFile, 'utf8')) as { figures: Entry[] }).figures) earlier.set(e.name, e)

process.env.PINGAN_QUIET = '1'
const figures: Entry[] = []

function beside(e: Entry): string {
  const old = earlier.get(e.name)
  if (!old) return compareFile ? '   (new)' : ''
  if (typeof e.value === 'number' && typeof old.value === 'number' && old.unit === e.unit) {
    const ratio = old.value === 0 ? '—' : `×${(e.value / old.value).toFixed(2)}`
    return `   was ${old.text}  ${ratio}`
  }
  return `   was ${old.text}`
}

const report: Report = (name: string, text: string, figure?: Figure) => {
  const target = figure?.target ?? /\((?:target|目标)[^)]*\)/i.exec(name)?.[0].slice(1, -1) ?? null
  const e: Entry = { name, value: figure ? figure.value : text, unit: figure?.unit ?? '', target, text }
  figures.push(e)
  console.log(`${name.padEnd(72)} ${text}${beside(e)}`)
}

const started = new Date()
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ')
console.log(`load average ${load()} on ${cpus().length} cores`)
for (const [name, bench] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue
  console.log(`\n== ${name}   (load average ${load()})`)
  const t = performance.now()
  await bench(report)
  console.log(`   (${name} took ${((performance.now() - t) / 1000).toFixed(1)} s)`)
}

// the previous latest.json is kept as previous.json, ready for --compare
const dir = join(import.meta.dirname, '..', '..', 'bench-results')
mkdirSync(dir, { recursive: true })
const latest = join(dir, 'latest.json')
if (existsSync(latest)) renameSync(latest, join(dir, 'previous.json'))
writeFileSync(
  latest,
  JSON.stringify({ startedAt: started.toISOString(), finishedAt: new Date().toISOString(), benches: only.length ? only : Object.keys(benches), loadAverageAtEnd: loadavg(), cores: cpus().length, figures }, null, 1) + '\n',
)
console.log(`\nfigures written to ${latest}${compareFile ? `, compared with ${compareFile}` : ''}`)
