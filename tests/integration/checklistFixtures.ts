import { makeIdNumber } from '../../src/shared/idNumber'
import { uuidv7 } from '../../src/shared/uuid'
import type { Role } from '../../src/shared/domain'
import type { TestApp } from '../helpers'

/**
 * Direct inserts for checklist tests: the registers' own validation is tested elsewhere; here we need
 * exact counts (50 cases, 36 people…) quickly. Every row is a live record of the fixture township.
 */
export const TOWNSHIP = '430103005'
const NOW = '2025-06-01T00:00:00.000Z'
let seq = 0

function insert(app: TestApp, table: string, values: Record<string, string | number | null>): string {
  const id = uuidv7()
  const row = { id, createdAt: NOW, updatedAt: NOW, deletedAt: null, township: TOWNSHIP, ...values }
  const cols = Object.keys(row)
  app.ctx.db.prepare(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})`).run(...Object.values(row))
  return id
}

export function village(app: TestApp, name: string, kind: 'village' | 'community' = 'village', households = 100): string {
  return insert(app, 'villages', { name, kind, households, population: households * 3 })
}

export function grid(app: TestApp, villageId: string, name: string, households: number): string {
  return insert(app, 'grids', { villageId, name, households })
}

export function unit(app: TestApp, name: string, kind: string, villageId: string | null, headcount: number): string {
  return insert(app, 'units', { name, kind, villageId, headcount })
}

export function member(
  app: TestApp,
  roles: Role[],
  where: { villageId?: string | null; gridId?: string | null; unitId?: string | null } = {},
  dates: { joinedOn?: string; leftOn?: string | null } = {},
): string {
  seq++
  return insert(app, 'members', {
    name: `成员${seq}`,
    idNumber: makeIdNumber('430103', '1980-01-01', seq),
    phone: '',
    villageId: where.villageId ?? null,
    gridId: where.gridId ?? null,
    unitId: where.unitId ?? null,
    roles: JSON.stringify(roles),
    joinedOn: dates.joinedOn ?? '2020-01-01',
    leftOn: dates.leftOn ?? null,
    notes: '',
  })
}

export function members(app: TestApp, n: number, roles: Role[], where: Parameters<typeof member>[2]): void {
  for (let i = 0; i < n; i++) member(app, roles, where)
}

export function mediationCase(
  app: TestApp,
  villageId: string,
  status: 'pending' | 'mediating' | 'success' | 'failed' | 'referred',
  opts: { receivedOn?: string; fulfillment?: 'fulfilled' | 'partial' | 'unfulfilled' | null } = {},
): string {
  seq++
  return insert(app, 'mediation_cases', {
    caseNo: `（2025）调字第${seq}号`,
    receivedOn: opts.receivedOn ?? '2025-03-01',
    source: 'application',
    category: '邻里',
    villageId,
    summary: `邻里纠纷${seq}`,
    parties: '[]',
    mediatorIds: '[]',
    status,
    mediatedOn: status === 'success' || status === 'failed' ? '2025-03-10' : null,
    agreementForm: status === 'success' ? 'written' : null,
    agreement: null,
    fulfillment: status === 'success' ? (opts.fulfillment === undefined ? 'fulfilled' : opts.fulfillment) : null,
    followUps: '[]',
    closedOn: null,
  })
}

export function aftercarePerson(
  app: TestApp,
  villageId: string,
  opts: { placement?: 'employed' | 'unplaced'; helpers?: string[]; visitOn?: string | null; reoffendedOn?: string | null; lostContact?: boolean; releasedOn?: string } = {},
): string {
  seq++
  const id = insert(app, 'aftercare_people', {
    name: `对象${seq}`,
    idNumber: makeIdNumber('430103', '1975-01-01', 5000 + seq),
    kind: 'released',
    crime: '盗窃罪',
    sentence: '有期徒刑二年',
    releasedOn: opts.releasedOn ?? '2024-01-01',
    aftercareUntil: '2029-01-01',
    villageId,
    placement: opts.placement ?? 'employed',
    unplacedReason: '',
    helperIds: JSON.stringify(opts.helpers ?? ['h']),
    reoffendedOn: opts.reoffendedOn ?? null,
    lostContact: opts.lostContact ? 1 : 0,
    notes: '',
  })
  const visitOn = opts.visitOn === undefined ? '2025-04-01' : opts.visitOn
  if (visitOn) insert(app, 'aftercare_visits', { personId: id, date: visitOn, helperIds: '[]', content: '走访' })
  return id
}
