import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { makeIdNumber } from '../../src/shared/idNumber'
import { tempDir } from '../helpers'

/**
 * Data of released prisoners is readable by the clerk's account only: everything the program writes
 * into its data folder or a folder the clerk chose (database, WAL, lock, backups, packages, backup
 * copies, Word and Excel files) is 0600, its folders 0700. Run through the real CLI processes, as a
 * county script would, so the entry's own set-up is what is tested.
 */
const root = tempDir('pingan-private-')
afterAll(() => rmSync(root, { recursive: true, force: true }))

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], { encoding: 'utf8', timeout: 180_000 })
  if (r.status !== 0) throw new Error(`cli ${args.slice(0, 2).join(' ')} failed: ${r.stderr}`)
  return r.stdout
}

function walk(dir: string, out: { path: string; mode: number; dir: boolean }[] = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    const s = statSync(p)
    out.push({ path: p, mode: s.mode & 0o777, dir: s.isDirectory() })
    if (s.isDirectory()) walk(p, out)
  }
  return out
}

describe('files holding personal data', () => {
  it.skipIf(process.platform === 'win32')('are private to the account: files 0600, folders 0700', () => {
    const data = join(root, 'data')
    const usb = join(root, 'usb')
    mkdirSync(usb, { mode: 0o755 })
    cli('init', '--data-dir', data, '--township', '大托铺街道', '--code', '430103005', '--county', '天心区')
    const v = JSON.parse(cli('call', 'villages.create', JSON.stringify({ name: '新塘村', kind: 'village' }), '--data-dir', data)) as { id: string }
    cli('call', 'members.create', JSON.stringify({ name: '张三', idNumber: makeIdNumber('430103', '1980-01-01', 7), roles: ['volunteer'], joinedOn: '2024-01-01', villageId: v.id }), '--data-dir', data)
    cli('call', 'backups.create', '{}', '--data-dir', data)
    cli('call', 'backups.exportTo', JSON.stringify({ dir: usb }), '--data-dir', data)
    cli('package', 'export', '--data-dir', data, '--out', usb)
    cli('export', 'excel', '--register', 'members', '--data-dir', data, '--out', join(usb, 'members.xlsx'))
    cli('export', 'members', '--data-dir', data, '--out', join(usb, 'members.docx'))

    const written = [...walk(data), ...walk(usb)]
    expect(written.filter((f) => !f.dir).length).toBeGreaterThanOrEqual(8)
    for (const names of [['pingan.db'], ['members.xlsx'], ['members.docx']])
      expect(written.some((f) => names.some((n) => f.path.endsWith(n))), names.join()).toBe(true)
    const loose = written.filter((f) => f.mode !== (f.dir ? 0o700 : 0o600)).map((f) => `${f.path.slice(root.length)} ${f.mode.toString(8)}`)
    expect(loose).toEqual([])
    expect(statSync(data).mode & 0o777).toBe(0o700)
  })
})
