import { describe, expect, it } from 'vitest'
import { caseRefusals, caseStage } from '../../src/shared/mediation/stage'
import { isValidOvernight, patrolMinutes, patrolTimeRefusal } from '../../src/shared/patrols/times'

/** The rules the form and the handler share: what the clerk sees before saving is what the program stores. */
describe('patrol times', () => {
  it('labels 20:00→01:30 as overnight and accepts it', () => {
    expect(isValidOvernight('20:00', '01:30')).toBe(true)
    expect(patrolMinutes('20:00', '01:30')).toBe(330)
    expect(patrolTimeRefusal('20:00', '01:30')).toBeNull()
  })
  it('does not call 08:00→07:30 overnight: it is refused, with the reason the form shows', () => {
    expect(isValidOvernight('08:00', '07:30')).toBe(false)
    expect(patrolTimeRefusal('08:00', '07:30')).toBe('结束时间应晚于开始时间（跨夜巡逻按次日结束计，最长12小时）')
    expect(patrolTimeRefusal('19:30', '07:30')).toBeNull()
    expect(patrolTimeRefusal('19:29', '07:30')).not.toBeNull()
    expect(patrolTimeRefusal('09:00', '09:00')).toBe('结束时间应晚于开始时间')
  })
})

describe('case stages', () => {
  const base = { receivedOn: '2026-01-05', parties: [{ side: 'applicant' as const }, { side: 'respondent' as const }], mediatedOn: null, agreementForm: null, agreement: null, fulfillment: null, followUps: [], closedOn: null }
  it('a referred case may have been mediated or not; success and failed must have been', () => {
    expect(caseStage('referred').mediatedOn).toBe('optional')
    expect(caseStage('failed')).toEqual({ mediatedOn: 'required', closedOn: 'required', agreement: false })
    expect(caseRefusals({ ...base, status: 'referred', closedOn: '2026-01-06' }, '2026-02-01')).toEqual([])
  })
  it('lists every broken rule at once, each beside its field', () => {
    const r = caseRefusals({ ...base, status: 'success', agreement: '  ', agreementForm: 'written' }, '2026-02-01')
    expect(r.map((x) => x.field)).toEqual(['mediatedOn', 'closedOn', 'agreement'])
    expect(r[1]!.message).toBe('「调解成功」的案件请填写结案日期')
  })
  it('keeps dates in order and out of the future', () => {
    const r = caseRefusals({ ...base, status: 'failed', mediatedOn: '2026-01-01', closedOn: '2026-03-01' }, '2026-02-01')
    expect(r).toEqual([
      { field: 'mediatedOn', message: '调解日期不能早于受理日期' },
      { field: 'closedOn', message: '结案日期不能晚于今天' },
    ])
  })
})
