import { roleLabels, roles, unitKindLabels, type Role } from '../../shared/domain'
import type { Member } from '../../shared/members/schema'
import type { Grid, Unit } from '../../shared/org/schema'
import type { Patrol } from '../../shared/patrols/schema'
import { patrolModeLabels } from '../../shared/patrols/schema'
import {
  agreementFormLabels,
  caseSourceLabels,
  caseStatusLabels,
  fulfillmentLabels,
  type MediationCase,
} from '../../shared/mediation/schema'
import { aftercareKindLabels, placementLabels, riskLabels, type AftercarePerson, type AftercareVisit } from '../../shared/aftercare/schema'
import { dotDate } from '../../shared/documents/cnText'
import { listAll } from './data'
import type { TableSpec } from './format'
import { idShown, sexLabel, yearRange, type DocContext } from './common'

/**
 * The four registers as tables: each function reads its register for the year (and village) and
 * returns the table in the order a clerk files it. The stand-alone register documents and the
 * dossier's sections share them.
 */
/** Column widths are relative; on a register page they read as hundreds of twips (its body is 14,968 wide). */
export interface RegisterTable {
  spec: TableSpec
  count: number
}

const roleRank = (rs: Role[]) => Math.min(...rs.map((r) => roles.indexOf(r)), roles.length)

/** members on the roll during the year: joined by 31 Dec, not left before 1 Jan */
export async function membersTable(d: DocContext): Promise<RegisterTable> {
  const { from, to } = yearRange(d.year)
  const filters = d.village ? { villageId: d.village.id } : {}
  const all = await listAll<Member>(d.ctx, 'members.list', { filters, fullId: d.fullId, sort: [{ field: 'name', dir: 'asc' }] }, '成员台账')
  const grids = new Map((await listAll<Grid>(d.ctx, 'grids.list', {}, '网格')).map((g) => [g.id, g.name]))
  const units = new Map((await listAll<Unit>(d.ctx, 'units.list', {}, '单位')).map((u) => [u.id, u]))
  const rows = all
    .filter((m) => m.joinedOn <= to && (!m.leftOn || m.leftOn >= from))
    .sort(
      (a, b) =>
        (a.villageName ?? '\uffff').localeCompare(b.villageName ?? '\uffff', 'zh-CN') ||
        roleRank(a.roles) - roleRank(b.roles) ||
        a.joinedOn.localeCompare(b.joinedOn) ||
        a.name.localeCompare(b.name, 'zh-CN'),
    )
  const place = (m: Member) => {
    if (m.unitId) {
      const u = units.get(m.unitId)
      return u ? `${u.name}（${unitKindLabels[u.kind]}）` : ''
    }
    return m.gridId ? (grids.get(m.gridId) ?? '') : ''
  }
  return {
    count: rows.length,
    spec: {
      numbered: true,
      columns: [
        { title: '序号', width: 6 },
        { title: '姓名', width: 9 },
        { title: '性别', width: 5 },
        { title: '身份证号', width: 18.5 },
        { title: '联系电话', width: 12.5 },
        { title: '村（社区）', width: 11 },
        { title: '网格/单位', width: 22, align: 'left' },
        { title: '职务/角色', width: 28, align: 'left' },
        { title: '加入日期', width: 10 },
        { title: '离队日期', width: 10 },
        { title: '备注', width: 17.7, align: 'left' },
      ],
      rows: rows.map((m) => [
        m.name,
        sexLabel(m.sex),
        idShown(d, m.idNumber),
        m.phone,
        m.villageName ?? '乡镇（街道）',
        place(m),
        m.roles.map((r) => roleLabels[r]).join('、'),
        dotDate(m.joinedOn),
        dotDate(m.leftOn),
        m.notes,
      ]),
    },
  }
}

/** patrols dated in the year, oldest first */
export async function patrolsTable(d: DocContext): Promise<RegisterTable> {
  const { from, to } = yearRange(d.year)
  const rows = await listAll<Patrol>(
    d.ctx,
    'patrols.list',
    {
      filters: { dateFrom: from, dateTo: to, ...(d.village ? { villageId: d.village.id } : {}) },
      sort: [
        { field: 'date', dir: 'asc' },
        { field: 'startTime', dir: 'asc' },
      ],
    },
    '巡逻台账',
  )
  return {
    count: rows.length,
    spec: {
      numbered: true,
      columns: [
        { title: '序号', width: 6 },
        { title: '巡逻日期', width: 10 },
        { title: '起止时间', width: 17 },
        { title: '村（社区）', width: 10.5 },
        { title: '巡逻方式', width: 9 },
        { title: '巡逻路线', width: 27, align: 'left' },
        { title: '带队人', width: 7 },
        { title: '参加人员', width: 29, align: 'left' },
        { title: '发现问题', width: 17.5, align: 'left' },
        { title: '处理情况', width: 16.7, align: 'left' },
      ],
      rows: rows.map((p) => [
        dotDate(p.date),
        `${p.startTime}—${p.overnight ? '次日' : ''}${p.endTime}`,
        p.villageName ?? '',
        patrolModeLabels[p.mode] ?? p.mode,
        p.route,
        p.leaderName ?? '',
        p.memberNames.join('、'),
        p.findings || '无',
        p.handling,
      ]),
    },
  }
}

function partiesText(c: MediationCase): string {
  const parts: string[] = []
  if (c.applicantNames) parts.push(`申请人：${c.applicantNames}`)
  if (c.respondentNames) parts.push(`被申请人：${c.respondentNames}`)
  const third = c.parties.filter((p) => p.side === 'third').map((p) => p.name)
  if (third.length) parts.push(`第三人：${third.join('、')}`)
  return parts.join('\n')
}

/** cases received in the year, in order of receipt */
export async function mediationTable(d: DocContext): Promise<RegisterTable> {
  const rows = await listAll<MediationCase>(
    d.ctx,
    'mediation.list',
    {
      filters: { year: d.year, ...(d.village ? { villageId: d.village.id } : {}) },
      sort: [
        { field: 'receivedOn', dir: 'asc' },
        { field: 'caseNo', dir: 'asc' },
      ],
    },
    '矛盾纠纷台账',
  )
  return {
    count: rows.length,
    spec: {
      numbered: true,
      columns: [
        { title: '序号', width: 6 },
        { title: '案件编号', width: 13 },
        { title: '受理日期', width: 10 },
        { title: '来源', width: 5 },
        { title: '纠纷类型', width: 9 },
        { title: '当事人', width: 19, align: 'left' },
        { title: '纠纷简要情况', width: 38.7, align: 'left' },
        { title: '调解员', width: 12, align: 'left' },
        { title: '调解结果', width: 9 },
        { title: '协议形式', width: 9 },
        { title: '履行情况', width: 9 },
        { title: '结案日期', width: 10 },
      ],
      rows: rows.map((c) => [
        c.caseNo,
        dotDate(c.receivedOn),
        caseSourceLabels[c.source] ?? c.source,
        c.category,
        partiesText(c),
        c.summary,
        c.mediatorNames.join('、'),
        caseStatusLabels[c.status] ?? c.status,
        c.agreementForm ? agreementFormLabels[c.agreementForm] : '',
        c.fulfillment ? fulfillmentLabels[c.fulfillment] : '',
        dotDate(c.closedOn),
      ]),
    },
  }
}

export async function aftercarePeople(d: DocContext): Promise<AftercarePerson[]> {
  return listAll<AftercarePerson>(
    d.ctx,
    'aftercare.people.list',
    {
      filters: { year: d.year, ...(d.village ? { villageId: d.village.id } : {}) },
      fullId: d.fullId,
      sort: [{ field: 'releasedOn', dir: 'asc' }],
    },
    '帮教台账',
  )
}

/** people under aftercare in the year (帮教对象花名册) */
export async function aftercareTable(d: DocContext, people?: AftercarePerson[]): Promise<RegisterTable> {
  const rows = people ?? (await aftercarePeople(d))
  return {
    count: rows.length,
    spec: {
      numbered: true,
      columns: [
        { title: '序号', width: 6 },
        { title: '姓名', width: 8 },
        { title: '性别', width: 5 },
        { title: '身份证号', width: 18.5 },
        { title: '人员类别', width: 12.3 },
        { title: '罪名', width: 18, align: 'left' },
        { title: '原判刑期', width: 18 },
        { title: '释放（矫正）日期', width: 10 },
        { title: '帮教期满', width: 10 },
        { title: '村（社区）', width: 10.5 },
        { title: '安置情况', width: 9 },
        { title: '帮教人员', width: 13.5, align: 'left' },
        { title: '危险性', width: 6 },
        { title: '脱管漏管', width: 6 },
      ],
      rows: rows.map((p) => [
        p.name,
        sexLabel(p.sex),
        idShown(d, p.idNumber),
        aftercareKindLabels[p.kind] ?? p.kind,
        p.crime,
        p.sentence,
        dotDate(p.releasedOn),
        dotDate(p.aftercareUntil),
        p.villageName ?? '',
        placementLabels[p.placement] ?? p.placement,
        p.helperNames.join('、'),
        riskLabels[p.risk] ?? p.risk,
        p.lostContact ? '是' : '否',
      ]),
    },
  }
}

/** visits dated in the year, oldest first (走访记录) */
export async function visitsTable(d: DocContext, personId?: string): Promise<RegisterTable> {
  const { from, to } = yearRange(d.year)
  const rows = await listAll<AftercareVisit>(
    d.ctx,
    'aftercare.visits.list',
    {
      filters: personId ? { personId } : { dateFrom: from, dateTo: to, ...(d.village ? { villageId: d.village.id } : {}) },
      sort: [{ field: 'date', dir: 'asc' }],
    },
    '帮教走访记录',
  )
  return {
    count: rows.length,
    spec: {
      numbered: true,
      columns: personId
        ? [
            { title: '序号', width: 5 },
            { title: '走访日期', width: 12 },
            { title: '走访人员', width: 18, align: 'left' },
            { title: '走访内容', width: 65, align: 'left' },
          ]
        : [
            { title: '序号', width: 6 },
            { title: '走访日期', width: 10 },
            { title: '帮教对象', width: 9 },
            { title: '村（社区）', width: 10.5 },
            { title: '走访人员', width: 20, align: 'left' },
            { title: '走访内容', width: 94.2, align: 'left' },
          ],
      rows: rows.map((v) =>
        personId
          ? [dotDate(v.date), v.helperNames.join('、'), v.content]
          : [dotDate(v.date), v.personName ?? '', v.villageName ?? '', v.helperNames.join('、'), v.content],
      ),
    },
  }
}
