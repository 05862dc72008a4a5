import { caseStatusLabels, closedStatuses, type CaseStatus, type FollowUp, type Party } from './schema'

/**
 * Which dates and agreement each state of a case needs and allows: one rule for the form (what it
 * shows and sends), the handler (what it stores), the Excel import and the demo.
 */
export type Need = 'required' | 'optional' | 'forbidden'

export interface CaseStage {
  mediatedOn: Need
  closedOn: Need
  /** 协议形式, 协议内容, 履行情况 and 回访 belong to a successful case only */
  agreement: boolean
}

export function caseStage(status: CaseStatus): CaseStage {
  switch (status) {
    case 'pending':
      return { mediatedOn: 'forbidden', closedOn: 'forbidden', agreement: false }
    case 'mediating':
      return { mediatedOn: 'required', closedOn: 'forbidden', agreement: false }
    case 'success':
      return { mediatedOn: 'required', closedOn: 'required', agreement: true }
    case 'failed':
      return { mediatedOn: 'required', closedOn: 'required', agreement: false }
    case 'referred':
      // a case may be referred before anyone mediated it
      return { mediatedOn: 'optional', closedOn: 'required', agreement: false }
  }
}

export interface CaseFacts {
  receivedOn: string
  parties: Pick<Party, 'side'>[]
  status: CaseStatus
  mediatedOn: string | null
  agreementForm: string | null
  agreement: string | null
  fulfillment: string | null
  followUps: Pick<FollowUp, 'date'>[]
  closedOn: string | null
}

/**
 * The closing date a case is stored with. Old ledgers rarely have a 结案日期 column: a successful or
 * failed case without one closed on its 调解日期 (the day the mediation ended one way or the other).
 * One rule for the form (its hint says so), the API and the Excel import.
 */
export function closingDate(c: Pick<CaseFacts, 'status' | 'mediatedOn' | 'closedOn'>): string | null {
  if (c.closedOn) return c.closedOn
  return (c.status === 'success' || c.status === 'failed') && c.mediatedOn ? c.mediatedOn : null
}

export interface Refusal {
  field: string
  message: string
}

/** Every rule the stored case breaks (dates against today, the state's needs, date order), in form order. */
export function caseRefusals(c: CaseFacts, today: string): Refusal[] {
  const out: Refusal[] = []
  const bad = (field: string, message: string) => out.push({ field, message })
  const label = caseStatusLabels[c.status]
  const stage = caseStage(c.status)
  const closedOn = closingDate(c)
  if (c.receivedOn > today) bad('receivedOn', '受理日期不能晚于今天')
  if (!c.parties.some((p) => p.side === 'applicant')) bad('parties', '请至少填写一名申请人')
  else if (!c.parties.some((p) => p.side === 'respondent')) bad('parties', '请至少填写一名被申请人')

  if (stage.mediatedOn === 'required' && !c.mediatedOn)
    bad('mediatedOn', stage.closedOn === 'required' && !c.closedOn ? `「${label}」的案件请填写调解日期（没有结案日期时按调解日期结案）` : `「${label}」的案件请填写调解日期`)
  else if (stage.mediatedOn === 'forbidden' && c.mediatedOn) bad('mediatedOn', '待调解的案件还没有调解日期；已开始调解请把状态改为「调解中」')
  else if (c.mediatedOn && c.mediatedOn < c.receivedOn) bad('mediatedOn', '调解日期不能早于受理日期')
  else if (c.mediatedOn && c.mediatedOn > today) bad('mediatedOn', '调解日期不能晚于今天')

  if (stage.closedOn === 'required' && !closedOn) bad('closedOn', c.status === 'referred' ? '请填写移交日期（结案日期）' : `「${label}」的案件请填写结案日期`)
  else if (stage.closedOn === 'forbidden' && closedOn) bad('closedOn', `「${label}」的案件还没有结案，不能填写结案日期`)
  else if (closedOn && closedOn < (c.mediatedOn ?? c.receivedOn)) bad('closedOn', c.mediatedOn ? '结案日期不能早于调解日期' : '结案日期不能早于受理日期')
  else if (closedOn && closedOn > today) bad('closedOn', '结案日期不能晚于今天')

  if (stage.agreement) {
    if (!c.agreementForm) bad('agreementForm', '调解成功的案件请选择协议形式（口头或书面）')
    else if (c.agreementForm === 'written' && !c.agreement?.trim()) bad('agreement', '书面协议请填写协议内容')
  } else {
    if (c.agreementForm || c.agreement?.trim()) bad('agreementForm', `「${label}」的案件没有调解协议，不能填写协议形式或内容`)
    if (c.fulfillment) bad('fulfillment', '只有调解成功的案件才有履行情况')
    if (c.followUps.length) bad('followUps', '只有调解成功的案件才需要回访')
  }
  for (const [i, f] of c.followUps.entries()) {
    if (closedOn && f.date < closedOn) bad(`followUps.${i}.date`, '回访日期不能早于结案日期')
    else if (f.date > today) bad(`followUps.${i}.date`, '回访日期不能晚于今天')
  }
  return out
}

export { closedStatuses }
