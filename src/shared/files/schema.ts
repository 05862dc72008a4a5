import { z } from 'zod'
import { method } from '../api/define'

/** A drive or mounted volume the clerk may pick (a USB stick, a card). */
export interface Volume {
  /** the folder to use: E:\ or /media/clerk/KINGSTON */
  path: string
  /** how the clerk knows it: 可移动磁盘 (E:) or the stick's own name */
  label: string
  removable: boolean
}

/**
 * What a pick answers. The desktop program opens the system's own folder/file dialog (dialog true,
 * path chosen or null when cancelled); browser mode cannot, so it lists the drives and mounted
 * volumes instead (dialog false) and the screen offers them, with a typed path as the fallback.
 */
export interface PickResult {
  dialog: boolean
  path: string | null
  volumes: Volume[]
  /** exactly one removable drive: the screen's default */
  suggested: string | null
}

export const pickInput = z.strictObject({
  kind: z.enum(['folder', 'file'], { error: '选择的应是文件夹或文件' }),
  title: z.string().max(60).optional(),
  /** for a file: the extensions it may have, without the dot (db, zip, pkg) */
  extensions: z.array(z.string().regex(/^[a-z0-9]{1,8}$/, '扩展名不对')).max(8).optional(),
})
export type PickInput = z.infer<typeof pickInput>

export const filesApi = {
  'files.pick': method<PickResult>('none')(pickInput, { kind: '选择类型', title: '标题', extensions: '扩展名' }),
}
