/** Errors cross every boundary (IPC, HTTP, CLI) as this plain object, never as a stack trace. */
export interface ApiErrorData {
  code: ErrorCode
  message: string
  field?: string
}

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'not_setup'
  | 'forbidden'
  /** another program of ours holds the data folder (db/lock.ts) */
  | 'busy'
  | 'unknown_method'
  | 'internal'

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
  toData(): ApiErrorData {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field }
  }
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiErrorData }

export function isApiErrorData(x: unknown): x is ApiErrorData {
  return typeof x === 'object' && x !== null && typeof (x as ApiErrorData).code === 'string' && typeof (x as ApiErrorData).message === 'string'
}
