import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type E2E } from './harness'

/**
 * Browser mode's token travels in a request header only. A cookie would be sent by the browser to
 * every other server on 127.0.0.1 whatever its port (cookies are not separated by port), and any local
 * page could then open the whole API. Here Chromium opens the app with its token, then visits a second
 * local server that records every header it receives.
 */
let e: E2E
let other: Server
let otherPort = 0
const seen: { url: string; headers: IncomingHttpHeaders }[] = []

beforeAll(async () => {
  e = await startApp()
  other = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    // the page asks its own server for more, as a local page would: each request is recorded too
    res.end('<!doctype html><title>另一个本地网页</title><img src="/pixel.png"><script>fetch("/probe", { credentials: "include" })</script>')
  })
  await new Promise<void>((ok) => other.listen(0, '127.0.0.1', ok))
  const a = other.address()
  otherPort = typeof a === 'object' && a ? a.port : 0
})
afterAll(async () => {
  await e?.close()
  if (other) {
    other.closeAllConnections()
    await new Promise((ok) => other.close(ok))
  }
})

describe('browser mode token', () => {
  it('the page takes the token from its start address, clears it from the address bar and sets no cookie', async () => {
    const { page } = e
    const token = new URL(e.url).searchParams.get('token')!
    // the set-up screen comes from API calls: the token reached the program
    await page.getByText('欢迎使用平安台账').waitFor()
    expect(page.url()).not.toContain(token)
    expect(page.url()).not.toContain('token=')
    expect(await page.evaluate('document.cookie')).toBe('')
    expect(await page.context().cookies()).toEqual([])
    expect(await page.evaluate("sessionStorage.getItem('pingan_token')")).toBe(token)
  })

  it('a second server on another 127.0.0.1 port, visited by the same browser, receives no token', async () => {
    const { page } = e
    const token = new URL(e.url).searchParams.get('token')!
    for (const host of ['127.0.0.1', 'localhost']) {
      await page.goto(`http://${host}:${otherPort}/`)
      await page.waitForLoadState('load')
      await expect.poll(() => seen.filter((s) => s.url === '/probe' && s.headers.host === `${host}:${otherPort}`).length).toBeGreaterThan(0)
    }
    expect(seen.length).toBeGreaterThanOrEqual(4)
    for (const s of seen) {
      expect(s.headers.cookie, s.url).toBeUndefined()
      expect(s.headers['x-pingan-token'], s.url).toBeUndefined()
      expect(JSON.stringify(s.headers), s.url).not.toContain(token)
    }
  })

  it('back at the app without the token in the address, the same tab still works; a new tab is refused', async () => {
    const { page } = e
    const bare = new URL(e.url)
    bare.search = ''
    await page.goto(bare.toString())
    await page.getByText('欢迎使用平安台账').waitFor()
    // another tab: its own session, no token
    const tab = await page.context().browser()!.newPage()
    await tab.goto(bare.toString())
    await tab.getByText('无法连接到平安台账').waitFor()
    expect(await tab.getByTestId('connect-error').textContent()).toContain('访问令牌')
    await tab.close()
  })
})
