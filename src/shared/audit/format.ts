import type { AuditChange, AuditEntry } from './schema'

/**
 * An entry's changes as one line, for the 操作记录 screen and the dossier's appendix alike: each
 * field's label with its old and new value as the main side described them (audit/describe.ts: value
 * labels, names instead of ids, dates written out). A value first given reads 「label：new」; a change
 * that reads the same before and after (an empty list saved again) is left out.
 */
export function changesText(changes: AuditChange[]): string {
  return changes
    .filter((c) => c.oldText !== c.newText)
    .map((c) => (c.oldText === '（空）' ? `${c.label}：${c.newText}` : `${c.label}：${c.oldText} → ${c.newText}`))
    .join('；')
}

/** what the 修改内容 column says for an entry: the changes of an update; nothing for the other actions */
export function entryChangesText(e: Pick<AuditEntry, 'action' | 'changes'>): string {
  return e.action === 'update' ? changesText(e.changes) : ''
}
