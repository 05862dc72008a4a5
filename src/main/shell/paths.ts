import { posix, win32 } from 'node:path'

/**
 * Where the desktop program keeps its files. A fixed ASCII folder name (not the product name in
 * Chinese, not package.json's name), so paths survive every code page and backup tool: on Windows
 * under %LOCALAPPDATA% (per machine, not roamed to a server), elsewhere under the system's appData.
 * The data folder is <userData>/data unless PINGAN_DATA_DIR says otherwise.
 */
export const APP_FOLDER = 'PinganLedger'

export interface UserDataWhere {
  platform: NodeJS.Platform
  /** process.env.LOCALAPPDATA */
  localAppData?: string
  /** app.getPath('appData') */
  appData: string
}

export function userDataDir(w: UserDataWhere): string {
  if (w.platform === 'win32') return win32.join(w.localAppData || w.appData, APP_FOLDER)
  return posix.join(w.appData, APP_FOLDER)
}

export function dataDirFor(env: Record<string, string | undefined>, userData: string, platform: NodeJS.Platform = process.platform): string {
  if (env.PINGAN_DATA_DIR) return env.PINGAN_DATA_DIR
  return (platform === 'win32' ? win32 : posix).join(userData, 'data')
}
