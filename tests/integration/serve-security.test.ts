import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type Running } from '../../src/main/http/server'

/**
 * Browser mode (DESIGN §7): loopback only; every request needs a Host header naming this server, every
 * API call the per-start token in a header (never a cookie, never the query); the dispatcher is never
 * reached by a refused request. That the browser sends the token nowhere else: tests/e2e/token.e2e.test.ts.
 */
let running: Running
let dir: string
const calls: { method: string; input: unknown }[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pingan-static-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>平安台账</title>')
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  running = await serve({
    staticDir: dir,
    invoke: async (method, input) => {
      calls.push({ method, input })
      return { ok: true, data: { echoed: method } }
    },
  })
})
afterAll(async () => {
  await running?.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Reply {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

function send(opts: { path?: string; method?: string; host?: string | null; headers?: Record<string, string>; body?: string; address?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) }
    const req = request(
      {
        host: opts.address ?? '127.0.0.1',
        port: running.port,
        path: opts.path ?? '/',
        method: opts.method ?? 'GET',
        headers,
        setHost: false,
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      },
    )
    if (opts.host !== null) req.setHeader('Host', opts.host ?? `127.0.0.1:${running.port}`)
    req.on('error', reject)
    if (opts.body) req.write(opts.body)
    req.end()
  })
}

const api = (extra: Parameters<typeof send>[0] = {}) =>
  send({ path: '/api/invoke', method: 'POST', body: JSON.stringify({ method: 'members.list', input: {} }), ...extra, headers: { 'Content-Type': 'application/json', ...(extra.headers ?? {}) } })

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port })
    s.setTimeout(2000)
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
    s.once('timeout', () => (s.destroy(), resolve(false)))
  })
}

describe('browser mode server', () => {
  it('listens on 127.0.0.1 only', async () => {
    const addr = running.server.address()
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1')
    expect(running.url.startsWith(`http://127.0.0.1:${running.port}/?token=`)).toBe(true)
    expect(await tryConnect('127.0.0.1', running.port)).toBe(true)
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address)
    for (const ip of others) expect(await tryConnect(ip, running.port), `reachable on ${ip}`).toBe(false)
    expect(await tryConnect('::1', running.port)).toBe(false)
  })

  it('answers an API call with the right token in the X-Pingan-Token header', async () => {
    const n = calls.length
    const r = await api({ headers: { 'X-Pingan-Token': running.token } })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toEqual({ ok: true, data: { echoed: 'members.list' } })
    expect(r.headers['set-cookie']).toBeUndefined()
    expect(calls.length).toBe(n + 1)
  })

  it('never accepts the token from a cookie or the query, and never sets a cookie (cookies reach every port of 127.0.0.1)', async () => {
    const n = calls.length
    for (const r of [
      await api({ path: `/api/invoke?token=${running.token}` }),
      await api({ headers: { Cookie: `pingan_token=${running.token}` } }),
      await api({ path: `/api/invoke?token=${running.token}`, headers: { Cookie: `pingan_token=${running.token}` } }),
    ]) {
      expect(r.status).toBe(403)
      expect(r.body).toContain('访问令牌')
    }
    expect(calls.length).toBe(n)
    // the start address and the page's files: served, no cookie, no data, the token nowhere in the answer
    for (const path of [`/?token=${running.token}`, '/', '/index.html', '/assets/app.js']) {
      const page = await send({ path })
      expect(page.status, path).toBe(200)
      expect(page.headers['set-cookie'], path).toBeUndefined()
      expect(page.body).not.toContain(running.token)
      expect(page.headers['content-security-policy']).toContain("default-src 'self'")
      expect(page.headers['referrer-policy']).toBe('no-referrer')
    }
    expect((await send({ path: '/' })).body).toContain('平安台账</title>')
    expect(calls.length).toBe(n)
  })

  it('lets the browser keep the build\'s content-named files, and asks again for the page and every answer', async () => {
    expect((await send({ path: '/assets/app.js' })).headers['cache-control']).toBe('public, max-age=31536000, immutable')
    for (const path of ['/', '/index.html', '/assets/../index.html', '/assets/missing.js'])
      expect((await send({ path })).headers['cache-control'], path).toBe('no-store')
    const r = await send({ path: '/api/invoke', method: 'POST', headers: { 'X-Pingan-Token': running.token, 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'township.get', input: {} }) })
    expect(r.status).toBe(200)
    expect(r.headers['cache-control']).toBe('no-store')
  })

  it('refuses API calls without the token or with a wrong one, and never reaches the dispatcher', async () => {
    const n = calls.length
    const wrongSameLength = running.token.replace(/./, (c) => (c === 'a' ? 'b' : 'a'))
    const refused = [
      await api(),
      await api({ headers: { 'X-Pingan-Token': wrongSameLength } }),
      await api({ headers: { 'X-Pingan-Token': running.token.slice(0, -1) } }),
      await api({ headers: { 'X-Pingan-Token': running.token + '0' } }),
      await api({ headers: { 'X-Pingan-Token': running.token.toUpperCase() } }),
      await api({ headers: { 'X-Pingan-Token': '' } }),
      await api({ path: '/api/other' }),
      await api({ path: '/api/other', headers: { Cookie: `pingan_token=${running.token}` } }),
      await send({ path: '/api/invoke' }),
    ]
    for (const r of refused) {
      expect(r.status).toBe(403)
      expect(r.headers['set-cookie']).toBeUndefined()
    }
    expect(calls.length).toBe(n)
  })

  it('refuses a foreign Host header (DNS rebinding) or Origin even with the right token, for the API and the page', async () => {
    const n = calls.length
    const token = { 'X-Pingan-Token': running.token }
    for (const host of ['evil.example', `127.0.0.1:${running.port + 1}`]) expect((await send({ path: '/', host })).status, `page, Host: ${host}`).toBe(403)
    for (const host of ['evil.example', `evil.example:${running.port}`, `127.0.0.1:${running.port + 1}`, '127.0.0.1', `127.0.0.1.nip.io:${running.port}`, `0.0.0.0:${running.port}`, '']) {
      const r = await api({ host, headers: token })
      expect(r.status, `Host: ${host}`).toBe(403)
    }
    // no Host at all: Node's HTTP parser already answers 400 before the handler
    expect([400, 403]).toContain((await api({ host: null, headers: token })).status)
    expect((await api({ headers: { ...token, Origin: 'http://evil.example' } })).status).toBe(403)
    expect((await api({ headers: { ...token, Origin: `http://127.0.0.1:${running.port + 1}` } })).status).toBe(403)
    expect(calls.length).toBe(n)
    // localhost by name is the same machine and is accepted
    expect((await api({ host: `localhost:${running.port}`, headers: token })).status).toBe(200)
  })

  it('serves no file outside its folder', async () => {
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd']) {
      const r = await send({ path })
      expect(r.body).not.toContain('root:')
    }
  })

  it('accepts only POST for the API and answers a broken body with a structured error', async () => {
    const token = { 'X-Pingan-Token': running.token }
    expect((await send({ path: '/api/invoke', headers: token })).status).toBe(405)
    const bad = await send({ path: '/api/invoke', method: 'POST', body: '{not json', headers: token })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })
})
