import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Invoke } from '../api/dispatcher'

/**
 * Browser mode: the renderer and the dispatcher over HTTP, on 127.0.0.1 only. Every request must carry
 * a Host header naming this server (DNS rebinding), and every API call the per-start token in the
 * X-Pingan-Token header, so another program or a web page cannot reach the clerk's data.
 * Never a cookie: cookies are not separated by port, so a cookie for 127.0.0.1 would be sent to every
 * other local server the browser visits. Never the query either (addresses end up in history and logs).
 * The page's own files (index.html, scripts, styles) hold no data and are served without the token:
 * the page reads the token from its start address (?token=…), drops it from the address bar and keeps
 * it in sessionStorage (src/renderer/src/api.ts), which survives a reload of that tab only.
 */
export interface ServeOptions {
  invoke: Invoke
  staticDir: string
  port?: number
  token?: string
}

export interface Running {
  server: Server
  port: number
  token: string
  url: string
  close: () => Promise<void>
}

const MAX_BODY = 200 * 1024 * 1024
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
}
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The token as the page sends it: the X-Pingan-Token header and nothing else. */
function tokenOf(req: IncomingMessage): string | null {
  const h = req.headers['x-pingan-token']
  return typeof h === 'string' ? h : null
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    ...extra,
  })
  res.end(body)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY) throw new Error('too large')
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function serve(opts: ServeOptions): Promise<Running> {
  const token = opts.token ?? randomBytes(24).toString('hex')
  const root = resolve(opts.staticDir)
  let port = 0

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = req.headers.host ?? ''
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, '拒绝访问：主机名不符')
    const url = new URL(req.url ?? '/', `http://${host}`)
    const origin = req.headers.origin
    if (origin && origin !== `http://${host}`) return send(res, 403, '拒绝访问：来源不符')

    if (url.pathname.startsWith('/api/')) {
      const given = tokenOf(req)
      if (!given || !same(given, token)) return send(res, 403, '拒绝访问：缺少或错误的访问令牌。请使用启动时显示的完整地址打开。')
      if (url.pathname !== '/api/invoke') return send(res, 404, '没有这个接口')
      if (req.method !== 'POST') return send(res, 405, '只接受 POST')
      let body: { method?: unknown; input?: unknown }
      try {
        body = JSON.parse(await readBody(req)) as typeof body
      } catch {
        return send(res, 400, JSON.stringify({ ok: false, error: { code: 'invalid_input', message: '请求不是有效的 JSON' } }), 'application/json; charset=utf-8')
      }
      const result = await opts.invoke(String(body.method ?? ''), body.input)
      return send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '不支持的请求')
    let file = normalize(join(root, decodeURIComponent(url.pathname)))
    if (file !== root && !file.startsWith(root + sep)) return send(res, 403, '拒绝访问')
    const st = await stat(file).catch(() => null)
    if (!st || st.isDirectory()) file = join(root, 'index.html')
    const data = await readFile(file).catch(() => null)
    if (!data) return send(res, 404, '页面不存在。请先运行 npm run build:renderer')
    // the build's scripts and styles are named by their content: kept by the browser, so the next start
    // reads them (and V8's compiled code) from its cache; everything else, index.html first, is asked for each time
    const built = file.startsWith(join(root, 'assets') + sep)
    return send(res, 200, data, TYPES[extname(file)] ?? 'application/octet-stream', built ? { 'Cache-Control': 'public, max-age=31536000, immutable' } : {})
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, '服务内部错误')
      else res.end()
    })
  })
  return new Promise((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const addr = server.address()
      port = typeof addr === 'object' && addr ? addr.port : 0
      ok({
        server,
        port,
        token,
        url: `http://127.0.0.1:${port}/?token=${token}`,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}
