import { accessSync, constants } from 'node:fs'
import { dirname } from 'node:path'
import type { RecoveryProblem } from '../../shared/recovery/schema'

/**
 * Why the database could not be opened, told apart so that only a file that really is damaged (or
 * from a newer version) is ever offered "start empty", which moves it aside. A program that cannot
 * load its own SQLite module, a file another program holds, a folder we may not write and a full disk
 * are not the file's fault: each gets a plain message and nothing is touched.
 */
export type DbOpenProblem = RecoveryProblem

export class DbOpenError extends Error {
  constructor(
    readonly problem: DbOpenProblem,
    message: string,
    readonly detail: string = '',
  ) {
    super(message)
  }
}

const UNCHANGED = '数据未作任何改动。'

export const OPEN_MESSAGES: Record<Exclude<DbOpenProblem, 'newer'>, string> = {
  native: `程序文件不完整或与本机不兼容，请重新安装平安台账。${UNCHANGED}`,
  locked: `数据库正被占用（可能有别的程序打开了它），请关闭占用它的程序后再启动平安台账。${UNCHANGED}`,
  permission: `没有读写数据文件夹的权限，请检查数据文件夹的权限，或用有权限的账户运行平安台账。${UNCHANGED}`,
  disk_full: `磁盘空间不足，无法打开数据库。请清理磁盘（至少留出数据库大小两倍的空间）后再启动平安台账。${UNCHANGED}`,
  corrupt: '数据库文件已损坏或不是平安台账的数据库',
  unreadable: `数据库文件无法打开。请把错误信息交给技术人员。${UNCHANGED}`,
}

function codeOf(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code
  return typeof c === 'string' ? c : ''
}

function textOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** The real error, for the clerk to copy and hand to a technician (no personal data: codes and paths). */
export function errorDetail(e: unknown): string {
  const code = codeOf(e)
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  return code && !text.includes(code) ? `${text} (${code})` : text
}

/**
 * better-sqlite3's native module did not load: built for another Node/Electron ABI, not a module
 * at all, missing, or refused by the system loader.
 */
export function isNativeLoadError(e: unknown): boolean {
  const code = codeOf(e)
  const text = textOf(e)
  if (code === 'ERR_DLOPEN_FAILED') return true
  if (code === 'MODULE_NOT_FOUND' && /better_sqlite3|\.node\b|bindings/.test(text)) return true
  return /NODE_MODULE_VERSION|compiled against a different Node\.js version|invalid ELF header|wrong ELF class|not a valid Win32 application|Module did not self-register|Could not locate the bindings file|dlopen|better_sqlite3\.node|mach-o/i.test(
    text,
  )
}

function deniedByFs(file: string | undefined): boolean {
  if (!file) return false
  for (const [path, mode] of [
    [file, constants.R_OK | constants.W_OK],
    [dirname(file), constants.R_OK | constants.W_OK | constants.X_OK],
  ] as const) {
    try {
      accessSync(path, mode)
    } catch (e) {
      if (['EACCES', 'EPERM', 'EROFS'].includes(codeOf(e))) return true
    }
  }
  return false
}

/** Maps any error met while opening or checking the database to the problem it is. */
export function classifyOpenError(e: unknown, file?: string): DbOpenError {
  if (e instanceof DbOpenError) return e
  const code = codeOf(e)
  const text = textOf(e)
  const detail = errorDetail(e)
  const as = (problem: Exclude<DbOpenProblem, 'newer'>, message = OPEN_MESSAGES[problem]) => new DbOpenError(problem, message, detail)
  if (isNativeLoadError(e)) return as('native')
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || /database disk image is malformed|file is not a database|file is encrypted/i.test(text)) return as('corrupt')
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || code === 'EBUSY' || /database (table )?is locked|database is busy/i.test(text)) return as('locked')
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || /database or disk is full|no space left/i.test(text)) return as('disk_full')
  if (['EACCES', 'EPERM', 'EROFS', 'SQLITE_PERM', 'SQLITE_AUTH'].includes(code) || /^SQLITE_READONLY/.test(code) || /permission denied|operation not permitted/i.test(text))
    return as('permission')
  if (/^SQLITE_CANTOPEN/.test(code) || /unable to open database file/i.test(text)) return deniedByFs(file) ? as('permission') : as('unreadable')
  return as('unreadable')
}
