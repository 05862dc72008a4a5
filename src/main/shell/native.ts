import { posix, win32 } from 'node:path'
import { openSqlite } from '../db/sqlite'
import { classifyOpenError, DbOpenError, OPEN_MESSAGES } from '../db/openError'

/**
 * better-sqlite3 is a native module and Electron needs a build for its own ABI, while node_modules
 * stays built for Node (tests, CLI, browser mode). Under Electron the program points better-sqlite3
 * at that build (sqlite.ts useNativeBinding); under Node it uses the default. No environment variable
 * is needed: where the build lives follows from how the program runs.
 */
export interface NativeWhere {
  /** process.versions.electron: set under Electron, absent under Node */
  electronVersion?: string
  /** app.isPackaged */
  isPackaged: boolean
  /** process.resourcesPath (the folder holding app.asar) */
  resourcesPath: string
  /** app.getAppPath(): the repository root in development */
  appRoot: string
  /** for paths of another system in tests; process.platform by default */
  platform?: NodeJS.Platform
}

const RELEASE = ['better-sqlite3', 'build', 'Release', 'better_sqlite3.node'] as const

/** The better_sqlite3.node to load, or undefined for better-sqlite3's own (Node's) build. */
export function nativeBindingFor(w: NativeWhere): string | undefined {
  if (!w.electronVersion) return undefined
  const path = (w.platform ?? process.platform) === 'win32' ? win32 : posix
  // packaged: electron-builder unpacks native modules beside app.asar (a .node cannot load from inside it)
  if (w.isPackaged) return path.join(w.resourcesPath, 'app.asar.unpacked', 'node_modules', ...RELEASE)
  // development: scripts/electron-native.mjs builds it here (npm start)
  return path.join(w.appRoot, '.electron-native', ...RELEASE)
}

/**
 * Loads the native module once, on an in-memory database (no file is created or touched), so a
 * module that cannot load is told as what it is before any data folder is opened. Null when sound.
 */
export function nativeProblem(open: () => { close: () => unknown } = () => openSqlite(':memory:')): DbOpenError | null {
  try {
    open().close()
    return null
  } catch (e) {
    const c = classifyOpenError(e)
    // whatever stops an in-memory database from opening is the program's own module, not the data
    return c.problem === 'native' ? c : new DbOpenError('native', OPEN_MESSAGES.native, c.detail)
  }
}
