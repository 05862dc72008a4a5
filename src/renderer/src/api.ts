import type { ApiInput, ApiOutput, MethodName } from '../../shared/api/contract'
import type { ApiErrorData } from '../../shared/errors'
import { call, takeEarly, takeSettled } from './transport'
export { prefetch } from './transport'

/** The one way the screens reach the program (transport.ts: Electron's bridge or HTTP). */
export class ApiCallError extends Error {
  constructor(readonly error: ApiErrorData) {
    super(error.message)
  }
}

export async function invoke<M extends MethodName>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const r = await (takeEarly(method, input) ?? call(method, input))
  if (!r.ok) throw new ApiCallError(r.error)
  return r.data as ApiOutput<M>
}

/**
 * The answer to a read asked for ahead (transport.ts prefetch) when it is already here, so a screen can
 * draw it in its first drawing instead of drawing empty and again; undefined otherwise (use invoke).
 */
export function invokeNow<M extends MethodName>(method: M, input: ApiInput<M>): ApiOutput<M> | undefined {
  const r = takeSettled(method, input)
  return r?.ok ? (r.data as ApiOutput<M>) : undefined
}

/** Hands a generated file to the clerk: a download in the browser (the desktop shell saves it the same way). */
export function downloadBase64(fileName: string, base64: string, type = 'application/octet-stream'): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
