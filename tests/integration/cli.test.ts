import { afterEach, describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { makeIdNumber } from '../../src/shared/idNumber'
import { testApp, type TestApp } from '../helpers'

/**
 * The CLI as a county script runs it: a separate process whose stdout is a pipe. Output larger than a
 * pipe's buffer must arrive whole (it was cut at 64 KiB when the process exited before stdout drained).
 */
const apps: TestApp[] = []
afterEach(async () => {
  while (apps.length) await apps.pop()!.dispose()
})

const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 })

describe('CLI in its own process', () => {
  it('prints a large result whole into a pipe, and an error as JSON on stderr with exit code 2', async () => {
    const a = testApp()
    apps.push(a)
    const v = await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const n = 400
    for (let i = 0; i < n; i++)
      await a.ok('members.create', { name: `队员${i}`, idNumber: makeIdNumber('430103', '1980-01-01', i), roles: ['volunteer'], joinedOn: '2024-01-01', villageId: v.id })
    a.close()

    const out = cli('call', 'members.list', JSON.stringify({ limit: n }), '--data-dir', a.dir)
    expect(out.length).toBeGreaterThan(64 * 1024)
    const list = JSON.parse(out) as { total: number; rows: { name: string }[] }
    expect(list.total).toBe(n)
    expect(list.rows).toHaveLength(n)

    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'call', 'members.list', '{"limit":0}', '--data-dir', a.dir], { encoding: 'utf8' })
    expect(bad.status).toBe(2)
    expect(bad.stdout).toBe('')
    expect(JSON.parse(bad.stderr)).toMatchObject({ code: 'invalid_input', field: 'limit' })
  })
})
