import { describe, expect, it } from 'vitest'
import { linuxVolumes, suggestedVolume, windowsVolumes } from '../../src/main/shell/volumes'
import { openDialogAsk, pickFromDialog } from '../../src/main/shell/pick'

/** Which drives browser mode offers for a folder (USB sticks first), and what the desktop's dialog is asked. */
describe('volumes offered in browser mode', () => {
  it('lists mount points under /media and /run/media only, spaces and Chinese names undone from /proc/mounts', () => {
    const mounts = [
      '/dev/sda1 / ext4 rw 0 0',
      '/dev/sdb1 /media/clerk/KINGSTON vfat rw 0 0',
      '/dev/sdc1 /run/media/clerk/My\\040Stick exfat rw 0 0',
      'tmpfs /run/user/1000 tmpfs rw 0 0',
      '/dev/sdd1 /mnt/backup ext4 rw 0 0',
    ].join('\n')
    const v = linuxVolumes(mounts)
    expect(v.map((x) => x.path)).toEqual(['/media/clerk/KINGSTON', '/run/media/clerk/My Stick'])
    expect(v.map((x) => x.label)).toEqual(['KINGSTON', 'My Stick'])
    expect(suggestedVolume(v)).toBeNull()
    expect(suggestedVolume(v.slice(0, 1))).toBe('/media/clerk/KINGSTON')
  })

  it('lists Windows drive letters but the system drive and CD drives, removable disks first and named so', () => {
    const v = windowsVolumes(
      [
        { id: 'C:', type: 3, name: '系统' },
        { id: 'D:', type: 3, name: '数据' },
        { id: 'E:', type: 2, name: 'U盘' },
        { id: 'F:', type: 5, name: null },
      ],
      'C:',
    )
    expect(v.map((x) => x.path)).toEqual(['E:\\', 'D:\\'])
    expect(v[0]).toMatchObject({ label: 'U盘 可移动磁盘 (E:)', removable: true })
    expect(suggestedVolume(v)).toBe('E:\\')
  })
})

describe('the desktop dialog for files.pick', () => {
  it('asks for a folder or a file with its extensions, and refuses input the contract refuses', () => {
    expect(openDialogAsk({ kind: 'folder' })).toMatchObject({ properties: ['openDirectory', 'createDirectory'], title: '选择文件夹' })
    expect(openDialogAsk({ kind: 'file', extensions: ['db'] })).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['db'] }] })
    expect(openDialogAsk({ kind: 'disk' })).toBeNull()
    expect(openDialogAsk({ kind: 'folder', extra: 1 })).toBeNull()
    expect(pickFromDialog({ canceled: true, filePaths: [] })).toEqual({ dialog: true, path: null, volumes: [], suggested: null })
    expect(pickFromDialog({ canceled: false, filePaths: ['E:\\'] }).path).toBe('E:\\')
  })
})
