import type { ListResult } from '../../../../shared/api/define'
import type { Member } from '../../../../shared/members/schema'
import type { MediationCase } from '../../../../shared/mediation/schema'
import type { AftercarePerson } from '../../../../shared/aftercare/schema'
import type { Hazard } from '../../../../shared/hazards/types'
import { registerCalls } from '../../components/registerCalls'
import { membersRegister } from '../../../../shared/registers/members'
import { mediationRegister } from '../../../../shared/registers/mediation'
import { aftercareRegister } from '../../../../shared/registers/aftercare'
import { hazardsRegister } from '../../../../shared/registers/hazards'

export interface Hit {
  register: 'members' | 'mediation' | 'aftercare' | 'hazards'
  registerLabel: string
  id: string
  title: string
  detail: string
}

const PER_REGISTER = 6

/**
 * One question to the four registers' own list methods (their `q` is index-backed), in parallel;
 * a register that refuses is left out rather than failing the whole search.
 */
export async function searchAll(q: string): Promise<Hit[]> {
  const list = <R>(def: { api: string }) =>
    registerCalls<R>(def)
      .list({ q, limit: PER_REGISTER })
      .catch((): ListResult<R> => ({ rows: [], total: 0 }))
  const [members, cases, people, hazards] = await Promise.all([
    list<Member>(membersRegister),
    list<MediationCase>(mediationRegister),
    list<AftercarePerson>(aftercareRegister),
    list<Hazard>(hazardsRegister),
  ])
  const where = (v: string | null | undefined) => v ?? '乡镇（街道）'
  return [
    ...members.rows.map((m): Hit => ({ register: 'members', registerLabel: '成员', id: m.id, title: m.name, detail: [where(m.villageName), m.idNumber, m.phone].filter(Boolean).join(' · ') })),
    ...cases.rows.map((c): Hit => ({
      register: 'mediation',
      registerLabel: '纠纷',
      id: c.id,
      title: c.caseNo,
      detail: [`${c.applicantNames} 与 ${c.respondentNames}`, c.category, where(c.villageName)].join(' · '),
    })),
    ...people.rows.map((p): Hit => ({ register: 'aftercare', registerLabel: '帮教', id: p.id, title: p.name, detail: [where(p.villageName), p.idNumber, p.crime].filter(Boolean).join(' · ') })),
    ...hazards.rows.map((h): Hit => ({ register: 'hazards', registerLabel: '隐患', id: h.id, title: h.location, detail: [h.villageName ?? h.unitName ?? '乡镇（街道）', h.description].join(' · ') })),
  ]
}
