import { z } from 'zod'
import { empty, method } from '../api/define'

/** Why a backup was made; shown in the list so the clerk knows which copy to pick. */
export const backupReasons = ['start', 'auto', 'bulk', 'manual', 'before-restore'] as const
export type BackupReason = (typeof backupReasons)[number]
export const backupReasonLabels: Record<BackupReason, string> = {
  start: '启动时',
  auto: '定时',
  bulk: '批量操作后',
  manual: '手动',
  'before-restore': '恢复前的数据',
}

/** One verified copy in <dataDir>/backups. `counts` are the live rows (not deleted) per register. */
export interface BackupInfo {
  name: string
  /** ISO timestamp of the copy */
  at: string
  reason: BackupReason
  bytes: number
  schemaVersion: number
  /** rows per table at the time of the copy (registers: live rows; audit: all) */
  counts: Record<string, number>
  /** total live records over all registers */
  records: number
  /**
   * Only on a 恢复前的数据 copy: the backup that restore brought in. It is kept (not pruned) for as long
   * as this copy is, so the clerk can go back and forth between the two.
   */
  restoredFrom?: string
}

export interface ExportResult {
  file: string
  bytes: number
  counts: Record<string, number>
  /** integrity_check of the written copy passed and its row counts equal the live database's */
  verified: true
}

export interface RestoreResult {
  restored: string
  /** the backup holding the data as it was before the restore: restoring it undoes the restore */
  undoBackup: string
  counts: Record<string, number>
}

export interface DeleteResult {
  deleted: string
}

/** Kinds the clerk may delete (backups.delete): the ones the retention rule keeps until then. */
export const deletableReasons: readonly BackupReason[] = ['manual', 'before-restore']

const backupName = z
  .string({ error: '请选择一个备份' })
  .min(1, '请选择一个备份')
  .max(120, '备份名称不对')
  .regex(/^[A-Za-z0-9._-]+\.db$/, '备份名称不对')

const path = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(1000, `${label}太长`)

export const backupLabels = { name: '备份', dir: '文件夹', file: '备份文件' }

export const backupApi = {
  'backups.list': method<BackupInfo[]>('none')(empty),
  'backups.create': method<BackupInfo>('none')(empty),
  'backups.restore': method<RestoreResult>('bulk')(z.strictObject({ name: backupName }), backupLabels),
  'backups.exportTo': method<ExportResult>('none')(z.strictObject({ dir: path('文件夹（例如U盘）的完整路径') }), backupLabels),
  'backups.restoreFile': method<RestoreResult>('bulk')(z.strictObject({ file: path('备份文件的完整路径') }), backupLabels),
  /**
   * Deletes a backup made by hand or before a restore (automatic ones follow the retention rule).
   * 'none': the database itself does not change, so no automatic backup follows it.
   */
  'backups.delete': method<DeleteResult>('none')(z.strictObject({ name: backupName }), backupLabels),
}
