import { z } from 'zod'
import { method, type ListResult } from '../api/define'
import { isoDate } from '../validation'

export const auditActions = ['create', 'update', 'delete', 'restore'] as const
export type AuditAction = (typeof auditActions)[number]
export const auditActionLabels: Record<AuditAction, string> = { create: '新增', update: '修改', delete: '删除', restore: '恢复' }

/** One changed field: the old and new stored values (身份证号 masked). */
export interface AuditChange {
  field: string
  /** the field's Chinese name where known */
  label: string
  old: unknown
  new: unknown
  /** the old and new values as a clerk reads them: value labels, names instead of ids, dates written out, （空） for nothing */
  oldText: string
  newText: string
}

export interface AuditEntry {
  id: string
  at: string
  /** `at` in the PC's own time zone: 2026年11月30日 15:05 */
  atText: string
  operator: string
  township: string
  tableName: string
  /** the register's Chinese name */
  tableLabel: string
  recordId: string
  /** a readable name of the record (姓名, 编号, 日期…) where it still exists */
  recordLabel: string
  action: AuditAction
  changes: AuditChange[]
}

export interface AuditFilters {
  operators: string[]
  tables: { name: string; label: string }[]
}

export const auditListInput = z.strictObject({
  recordId: z.string({ error: '记录编号应为文字' }).max(64, '记录编号不对').optional(),
  tableName: z.string({ error: '台账应为文字' }).max(64, '台账不对').optional(),
  operator: z.string({ error: '操作员应为文字' }).max(30, '操作员不能超过30个字').optional(),
  action: z.enum(auditActions, { error: '操作类型不是可选的值' }).optional(),
  /** local calendar dates, both inclusive */
  from: isoDate('开始日期').optional(),
  to: isoDate('结束日期').optional(),
  offset: z.number({ error: '起始位置应为数字' }).int().min(0).max(100_000_000).optional(),
  limit: z.number({ error: '条数应为数字' }).int().min(1).max(1000).optional(),
})

export const auditLabels = { recordId: '记录编号', tableName: '台账', operator: '操作员', action: '操作类型', from: '开始日期', to: '结束日期' }

export const auditApi = {
  'audit.list': method<ListResult<AuditEntry>>('none')(auditListInput, auditLabels),
  /** the operators and registers that occur in the trail, for the screen's filters */
  'audit.filters': method<AuditFilters>('none')(z.strictObject({})),
}
