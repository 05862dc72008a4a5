import type { ApiInput, MethodName } from '../../shared/api/contract'
import type { Result } from '../../shared/errors'

/**
 * How a call reaches the program: Electron's preload bridge, or HTTP in browser mode. Its own small
 * module, loaded by index.html before the program's script (early.ts), so the first screen's reads
 * are on their way while the big script still loads; api.ts builds `invoke` on it.
 */
declare global {
  interface Window {
    pingan?: { invoke: (method: string, input: unknown) => Promise<Result<unknown>> }
  }
}

/**
 * Browser mode's per-start token: taken from the start address (?token=…), removed from the address bar
 * and kept in this tab's sessionStorage (a reload keeps working), then sent in the X-Pingan-Token header
 * of every call. Never a cookie: the browser would send it to every other server on 127.0.0.1. Files
 * travel inside invoke too (uploads as base64 in the body, downloads as base64 in the answer, saved
 * through a Blob URL), so no plain link or form ever needs the token.
 */
function tokenFromUrl(): string | null {
  const t = new URLSearchParams(window.location.search).get('token')
  if (t) {
    sessionStorage.setItem('pingan_token', t)
    window.history.replaceState(null, '', window.location.pathname + window.location.hash)
  }
  return t ?? sessionStorage.getItem('pingan_token')
}
const token = typeof window !== 'undefined' && !window.pingan ? tokenFromUrl() : null

async function overHttp(method: string, input: unknown): Promise<Result<unknown>> {
  const res = await fetch('/api/invoke', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Pingan-Token': token } : {}) },
    body: JSON.stringify({ method, input }),
  })
  if (!res.ok) return { ok: false, error: { code: 'forbidden', message: await res.text() } }
  return (await res.json()) as Result<unknown>
}

export function call(method: string, input: unknown): Promise<Result<unknown>> {
  return window.pingan ? window.pingan.invoke(method, input) : overHttp(method, input)
}

/**
 * Reads the first screen needs, asked for while its code still loads (the entry script and the start
 * page's chunk ask at once, beside each other, instead of one after the other as the screens mount).
 * Each answer is used once, by the first `invoke` of the same method and input within a few seconds;
 * after that it is dropped, so nothing on screen is ever older than the moment the window opened.
 * Only reads: a write is never asked for ahead.
 */
const early = new Map<string, Promise<Result<unknown>>>()
// the answers already here: a screen drawn after they came shows them in its first drawing (takeSettled)
const settled = new WeakMap<Promise<Result<unknown>>, Result<unknown>>()
const EARLY_MS = 5000
export function prefetch<M extends MethodName>(method: M, input: ApiInput<M>): void {
  const key = `${method}\n${JSON.stringify(input)}`
  if (early.has(key)) return
  const answer = call(method, input)
  answer.then((r) => settled.set(answer, r)).catch(() => undefined)
  early.set(key, answer)
  setTimeout(() => early.get(key) === answer && early.delete(key), EARLY_MS)
}

/** The answer asked for ahead of this call, if any (see prefetch); each is used once. */
export function takeEarly(method: string, input: unknown): Promise<Result<unknown>> | undefined {
  const key = `${method}\n${JSON.stringify(input)}`
  const ahead = early.get(key)
  if (ahead) early.delete(key)
  return ahead
}

/** The answer asked for ahead of this call if it has already come (see prefetch), taken like takeEarly. */
export function takeSettled(method: string, input: unknown): Result<unknown> | undefined {
  const key = `${method}\n${JSON.stringify(input)}`
  const ahead = early.get(key)
  const r = ahead && settled.get(ahead)
  if (r) early.delete(key)
  return r
}
