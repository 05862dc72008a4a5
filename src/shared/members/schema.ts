import { z } from 'zod'
import { idInput, method } from '../api/define'
import { labelsOf } from '../registers/define'
import { registerMethods } from '../registers/api'
import { membersRegister } from '../registers/members'
import { roles, type RecordBase, type Role } from '../domain'
import { idNumber, isoDate, phone, refId, requiredText, text } from '../validation'

export interface Member extends RecordBase {
  name: string
  idNumber: string
  phone: string
  villageId: string | null
  gridId: string | null
  unitId: string | null
  roles: Role[]
  joinedOn: string
  leftOn: string | null
  notes: string
  /** derived from idNumber */
  birthDate: string
  sex: 'male' | 'female'
  villageName: string | null
}

export const memberLabels = labelsOf(membersRegister)

const fields = {
  name: requiredText('姓名', 30),
  idNumber,
  phone: phone.optional(),
  villageId: refId('所属村（社区）').nullable().optional(),
  gridId: refId('所属网格').nullable().optional(),
  unitId: refId('所属单位').nullable().optional(),
  roles: z
    .array(z.enum(roles, { error: '职务/角色不是可选的值' }), { error: '职务/角色应为列表' })
    .min(1, '请至少选择一个职务/角色')
    .max(roles.length),
  joinedOn: isoDate('加入日期'),
  leftOn: isoDate('离队日期').nullable().optional(),
  notes: text('备注', 500).optional(),
}

export const memberCreateInput = z.strictObject(fields)
export type MemberCreateInput = z.input<typeof memberCreateInput>
const memberUpdateInput = z.strictObject({ id: idInput.shape.id, ...fields }).partial({
  name: true,
  idNumber: true,
  roles: true,
  joinedOn: true,
})

export const memberListFilters = {
  villageId: z.string().max(64),
  gridId: z.string().max(64),
  unitId: z.string().max(64),
  role: z.enum(roles),
  /** true: only members who have not left */
  active: z.boolean(),
  name: z.string().max(100),
  idNumber: z.string().max(18),
  phone: z.string().max(30),
}

export interface MemberStats {
  total: number
  active: number
  byRole: { role: Role; count: number }[]
  byVillage: { villageId: string | null; villageName: string; count: number }[]
}

export const membersApi = {
  ...registerMethods<Member>()('members', membersRegister, { create: memberCreateInput, update: memberUpdateInput, filters: memberListFilters, fullId: true }),
  'members.stats': method<MemberStats>('none')(z.strictObject({ villageId: z.string().max(64).optional() })),
}
