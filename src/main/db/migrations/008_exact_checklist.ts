import type { Database } from 'better-sqlite3'

/**
 * The checklist says exactly what the standards say (issue 17):
 * - aftercare_people.lostContactPeriods: 脱管漏管 with dates, JSON [{from, to, note?}] (`to` null: still
 *   lost), so a year can be judged; `lostContact` stays as "lost contact now" and is kept in step.
 *   A person marked lostContact before this version gets one open period. Its start is unknown: the
 *   record's last change (the flag was set then or earlier), not before the release, with a note
 *   asking the clerk to check it. The row's updatedAt is not touched: a county database runs this
 *   same migration on the same row and derives the same period.
 * - checklist_entries: answers of keyed attestations (`attestations`, JSON {key: 0/1 as boolean}), the
 *   survey behind a value (`surveys`, JSON {key: {asked, respondents, conductedOn}}), a value taken
 *   from another criterion's survey (`links`, JSON {key: {criterionId, key}}), and the reason for
 *   不适用 (`notApplicableReason`). Column names are the attest form's fields, so packages check them.
 */
export function up(db: Database): void {
  db.exec(`
ALTER TABLE aftercare_people ADD COLUMN lostContactPeriods TEXT NOT NULL DEFAULT '[]';
UPDATE aftercare_people SET lostContactPeriods = json_array(json_object(
  'from', max(releasedOn, substr(updatedAt, 1, 10)),
  'to', NULL,
  'note', '升级时按“脱管漏管”标记补记，开始日期取记录最后修改日，请核对'
)) WHERE lostContact = 1;

ALTER TABLE checklist_entries ADD COLUMN attestations TEXT NOT NULL DEFAULT '{}';
ALTER TABLE checklist_entries ADD COLUMN surveys TEXT NOT NULL DEFAULT '{}';
ALTER TABLE checklist_entries ADD COLUMN links TEXT NOT NULL DEFAULT '{}';
ALTER TABLE checklist_entries ADD COLUMN notApplicableReason TEXT NOT NULL DEFAULT '';
`)
}
