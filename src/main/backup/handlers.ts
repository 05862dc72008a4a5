import type { HandlerMap } from '../api/handlers-type'
import { backupNow, deleteBackup, exportTo, listBackups } from './store'
import { restoreBackup, restoreFile } from './restore'

export const backupHandlers: HandlerMap<'backups.list' | 'backups.create' | 'backups.restore' | 'backups.exportTo' | 'backups.restoreFile' | 'backups.delete'> = {
  'backups.list': (_input, ctx) => listBackups(ctx.dataDir),
  'backups.create': (_input, ctx) => backupNow(ctx, 'manual'),
  'backups.restore': (input, ctx) => restoreBackup(ctx, input.name),
  'backups.exportTo': (input, ctx) => exportTo(ctx, input.dir),
  'backups.restoreFile': (input, ctx) => restoreFile(ctx, input.file),
  'backups.delete': (input, ctx) => deleteBackup(ctx, input.name),
}
