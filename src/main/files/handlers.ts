import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import type { HandlerMap } from '../api/handlers-type'
import type { PickResult, Volume } from '../../shared/files/schema'
import { linuxVolumes, suggestedVolume, windowsVolumes, type WindowsDisk } from '../shell/volumes'

/** Windows' logical disks with their type, through PowerShell (no native module); nothing when it fails. */
function windowsDisks(): Promise<WindowsDisk[]> {
  const script = 'Get-CimInstance Win32_LogicalDisk | Select-Object @{n="id";e={$_.DeviceID}},@{n="type";e={$_.DriveType}},@{n="name";e={$_.VolumeName}} | ConvertTo-Json -Compress'
  return new Promise((ok) => {
    execFile('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], { timeout: 8000, windowsHide: true }, (err, stdout) => {
      if (err) return ok([])
      try {
        const v = JSON.parse(stdout) as WindowsDisk | WindowsDisk[]
        ok(Array.isArray(v) ? v : [v])
      } catch {
        ok([])
      }
    })
  })
}

export async function listVolumes(platform: NodeJS.Platform = process.platform): Promise<Volume[]> {
  if (platform === 'win32') return windowsVolumes(await windowsDisks(), process.env.SystemDrive)
  if (platform === 'linux') return linuxVolumes(await readFile('/proc/mounts', 'utf8').catch(() => ''))
  return []
}

/**
 * Browser mode and the CLI: no dialog can be shown from here, so the answer is the list of drives.
 * The desktop shell answers files.pick itself with the system's dialog (src/main/index.ts).
 */
export const fileHandlers: HandlerMap<'files.pick'> = {
  'files.pick': async (): Promise<PickResult> => {
    const volumes = await listVolumes()
    return { dialog: false, path: null, volumes, suggested: suggestedVolume(volumes) }
  },
}
