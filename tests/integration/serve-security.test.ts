import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type Running } from '../../src/main/http/server'

/**
 * Browser mode (DESIGN §7): loopback only; every request needs the per-start token and a Host header
 * naming this server; the dispatcher is never reached by a refused request.
 */
let running: Running
let dir: string
const calls: { method: string; input: unknown }[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pingan-static-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>平安台账</title>')
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

  it('answers with the right token in a header, the query or the cookie', async () => {
    const n = calls.length
    const r = await api({ headers: { 'X-Pingan-Token': running.token } })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toEqual({ ok: true, data: { echoed: 'members.list' } })
    expect(calls.length).toBe(n + 1)
    expect((await api({ path: `/api/invoke?token=${running.token}` })).status).toBe(200)
    expect((await api({ headers: { Cookie: `pingan_token=${running.token}` } })).status).toBe(200)
    const page = await send({ path: `/?token=${running.token}` })
    expect(page.status).toBe(200)
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/)
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
  })

  it('refuses requests without the token or with a wrong one, and never reaches the dispatcher', async () => {
    const n = calls.length
    const wrongSameLength = running.token.replace(/./, (c) => (c === 'a' ? 'b' : 'a'))
    const refused = [
      await api(),
      await api({ headers: { 'X-Pingan-Token': wrongSameLength } }),
      await api({ headers: { 'X-Pingan-Token': running.token.slice(0, -1) } }),
      await api({ headers: { 'X-Pingan-Token': running.token + '0' } }),
      await api({ path: `/api/invoke?token=${wrongSameLength}` }),
      await api({ headers: { Cookie: `pingan_token=${wrongSameLength}` } }),
      await api({ headers: { 'X-Pingan-Token': '' } }),
      await send({ path: '/' }),
      await send({ path: '/index.html' }),
      await send({ path: `/?token=${wrongSameLength}` }),
    ]
    for (const r of refused) {
      expect(r.status).toBe(403)
      expect(r.body).not.toContain('平安台账</title>')
      expect(r.headers['set-cookie']).toBeUndefined()
    }
    expect(calls.length).toBe(n)
  })

  it('refuses a foreign Host header (DNS rebinding) or Origin even with the right token', async () => {
    const n = calls.length
    const token = { 'X-Pingan-Token': running.token }
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
    for (const path of [`/../../../../etc/passwd?token=${running.token}`, `/%2e%2e/%2e%2e/etc/passwd?token=${running.token}`, `/..%2f..%2fetc%2fpasswd?token=${running.token}`]) {
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
