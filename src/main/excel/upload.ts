import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ApiError } from '../../shared/errors'
import { uuidv7 } from '../../shared/uuid'
import type { Ctx } from '../context'
import { FILE_MODE, privateDir } from '../fs/private'

/**
 * An uploaded Excel file (browser mode and the desktop send the bytes as base64) lives on disk only
 * while the call that reads it runs: written 0600 into the data folder's tmp/excel (0700), deleted when
 * the preview or the import is done, failed or not. The wizard sends the bytes again for each step, so
 * a roster full of 身份证号 is never left behind by a clerk who closed the wizard after the preview.
 * A file left by a process that died mid-call is swept by the next upload once it is an hour old
 * (a younger one may belong to a call still running in another window).
 */
export interface Upload {
  fileId: string
  path: string
  fileName: string
}

export interface UploadInput {
  fileBase64?: string
  fileName?: string
  fileId?: string
}

const STALE_MS = 3_600_000

export function uploadDir(ctx: Ctx): string {
  return privateDir(join(ctx.dataDir, 'tmp', 'excel'))
}

function sweep(dir: string): void {
  const stale = Date.now() - STALE_MS
  for (const f of readdirSync(dir)) {
    try {
      if (statSync(join(dir, f)).mtimeMs < stale) rmSync(join(dir, f), { force: true })
    } catch {
      /* already gone */
    }
  }
}

function remove(up: Upload): void {
  rmSync(up.path, { force: true })
}

function store(ctx: Ctx, input: UploadInput): Upload {
  const dir = uploadDir(ctx)
  if (input.fileId) {
    // kept in the contract; an upload no longer outlives its call, so this finds one only while it runs
    const path = join(dir, input.fileId)
    if (!existsSync(path)) throw new ApiError('not_found', '上传的文件已过期，请重新选择文件', 'fileId')
    return { fileId: input.fileId, path, fileName: input.fileName ?? '导入文件.xlsx' }
  }
  sweep(dir)
  const bytes = Buffer.from(input.fileBase64 ?? '', 'base64')
  if (bytes.length === 0) throw new ApiError('invalid_input', '文件是空的', 'fileBase64')
  const fileId = uuidv7()
  const path = join(dir, fileId)
  const fileName = (input.fileName ?? '导入文件.xlsx').replace(/[\\/]/g, '_').slice(0, 200)
  // 'wx' with the mode: private from the first byte, whatever the process umask
  writeFileSync(path, bytes, { mode: FILE_MODE, flag: 'wx' })
  return { fileId, path, fileName }
}

/** Stores the upload, hands it to fn, and deletes it when fn is done, whether it succeeded or threw. */
export async function withUpload<T>(ctx: Ctx, input: UploadInput, fn: (up: Upload) => Promise<T>): Promise<T> {
  const up = store(ctx, input)
  try {
    return await fn(up)
  } finally {
    remove(up)
  }
}
