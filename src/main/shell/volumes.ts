import type { Volume } from '../../shared/files/schema'

/**
 * The drives and mounted volumes a clerk may pick in browser mode (no native dialog there): plain
 * functions over what the system says, so they are tested without the system.
 */

/** Linux: mount points under /media and /run/media, from /proc/mounts (octal escapes such as \040 undone). */
export function linuxVolumes(procMounts: string): Volume[] {
  const out: Volume[] = []
  for (const line of procMounts.split('\n')) {
    const mountPoint = line.split(' ')[1]
    if (!mountPoint) continue
    const path = mountPoint.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))
    if (!/^\/(run\/)?media\//.test(path)) continue
    const name = path.split('/').filter(Boolean).pop() ?? path
    out.push({ path, label: name, removable: true })
  }
  return dedupe(out)
}

export interface WindowsDisk {
  /** E: */
  id: string
  /** Win32_LogicalDisk.DriveType: 2 removable, 3 local, 4 network, 5 CD */
  type: number
  name?: string | null
}

/** Windows: every drive letter but the system's own, removable disks first and so marked. */
export function windowsVolumes(disks: WindowsDisk[], systemDrive = 'C:'): Volume[] {
  const out = disks
    .filter((d) => /^[A-Z]:$/i.test(d.id) && d.id.toUpperCase() !== systemDrive.toUpperCase() && d.type !== 5)
    .map((d) => {
      const removable = d.type === 2
      const kind = removable ? '可移动磁盘' : d.type === 4 ? '网络驱动器' : '本地磁盘'
      return { path: `${d.id.toUpperCase()}\\`, label: `${d.name ? `${d.name} ` : ''}${kind} (${d.id.toUpperCase()})`, removable }
    })
  return out.sort((a, b) => Number(b.removable) - Number(a.removable) || a.path.localeCompare(b.path))
}

/** The one removable volume, when there is exactly one: the screen's default. */
export function suggestedVolume(volumes: Volume[]): string | null {
  const removable = volumes.filter((v) => v.removable)
  return removable.length === 1 ? removable[0]!.path : null
}

function dedupe(v: Volume[]): Volume[] {
  const seen = new Set<string>()
  return v.filter((x) => (seen.has(x.path) ? false : (seen.add(x.path), true)))
}
