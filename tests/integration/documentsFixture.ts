import { makeIdNumber } from '../../src/shared/idNumber'
import type { TestApp } from '../helpers'

/** A small township with every register filled, created through the API as a clerk would. */
export async function fillTownship(t: TestApp, opts: { patrols?: number } = {}) {
  const xt = await t.ok('villages.create', { name: '新塘村', kind: 'village', households: 620, population: 1800 })
  const gh = await t.ok('villages.create', { name: '桂花社区', kind: 'community', households: 2400, population: 7000 })
  const g1 = await t.ok('grids.create', { villageId: xt.id, name: '第一网格', households: 300 })
  await t.ok('units.create', { name: '大托中心小学', kind: 'school', villageId: xt.id, headcount: 420 })
  const id = (n: number) => makeIdNumber('430103', `19${70 + n}-0${(n % 9) + 1}-1${n % 10}`, n)
  const m = async (name: string, n: number, roles: string[], villageId = xt.id, joinedOn = '2020-01-01', leftOn?: string) =>
    t.ok('members.create', { name, idNumber: id(n), phone: `1390731${String(1000 + n)}`, villageId, gridId: villageId === xt.id ? g1.id : null, roles: roles as never, joinedOn, ...(leftOn ? { leftOn } : {}) })
  const head = await m('王建国', 1, ['station_head', 'aftercare_helper'])
  const a = await m('李明', 2, ['patrol_fulltime', 'mediator'])
  const b = await m('张伟', 3, ['patrol_parttime', 'aftercare_helper'])
  await m('赵红', 4, ['gridder'], gh.id)
  await m('孙离', 5, ['volunteer'], xt.id, '2019-01-01', '2025-06-30')
  const patrols = []
  const dates = ['2026-03-05', '2026-01-10', '2026-02-20', '2025-12-31', '2024-06-01']
  for (const date of dates)
    patrols.push(
      await t.ok('patrols.create', { villageId: xt.id, date, startTime: '20:00', endTime: '22:30', mode: 'foot', route: `${date}沿新塘路—大托路巡逻`, leaderId: a.id, memberIds: [a.id, b.id], findings: date === '2026-02-20' ? '发现路灯损坏一处' : '', handling: date === '2026-02-20' ? '已报村委维修' : '' }),
    )
  for (let i = 0; i < (opts.patrols ?? 0); i++) {
    const day = String((i % 28) + 1).padStart(2, '0')
    const month = String((Math.floor(i / 28) % 10) + 1).padStart(2, '0')
    await t.ok('patrols.create', { villageId: xt.id, date: `2026-${month}-${day}`, startTime: '09:00', endTime: '11:00', mode: 'vehicle', route: '桂花路—湘府路—洞井路沿线商铺、学校周边和背街小巷', leaderId: a.id, memberIds: [a.id, b.id], findings: i % 3 === 0 ? '发现一处消防通道被杂物堵塞，电动车违规充电两处' : '', handling: i % 3 === 0 ? '当场督促清理，已通知物业跟进整改' : '' })
  }
  const applicantId = makeIdNumber('430103', '1980-05-06', 77)
  const c1 = await t.ok('mediation.create', {
    receivedOn: '2026-04-02', source: 'application', category: '邻里', villageId: xt.id,
    summary: '申请人与被申请人因宅前排水沟堵塞发生争执，双方互不相让。',
    parties: [
      { name: '陈大山', idNumber: applicantId, phone: '13907310077', address: '新塘村三组', side: 'applicant' },
      { name: '刘小河', idNumber: null, phone: '', address: '新塘村四组', side: 'respondent' },
    ],
    mediatorIds: [a.id], status: 'success', mediatedOn: '2026-04-10', agreementForm: 'written',
    agreement: '一、被申请人于2026年4月20日前疏通排水沟。\n二、费用双方各承担一半。', fulfillment: 'fulfilled',
    followUps: [{ date: '2026-05-10', note: '排水沟已疏通，双方满意。' }], closedOn: '2026-04-10',
  })
  const c2 = await t.ok('mediation.create', { receivedOn: '2026-01-15', source: 'screening', category: '婚姻家庭', villageId: xt.id, summary: '夫妻因赡养老人问题争吵。', parties: [{ name: '周甲', side: 'applicant' }, { name: '吴乙', side: 'respondent' }], status: 'mediating', mediatedOn: '2026-01-20' })
  const c0 = await t.ok('mediation.create', { receivedOn: '2025-11-15', source: 'screening', category: '合同', villageId: xt.id, summary: '去年的合同纠纷。', parties: [{ name: '郑丙', side: 'applicant' }, { name: '冯丁', side: 'respondent' }], status: 'pending' })
  const personId = makeIdNumber('430103', '1985-08-08', 88)
  const p = await t.ok('aftercare.people.create', {
    name: '黄某某', idNumber: personId, kind: 'released', crime: '盗窃罪', sentence: '有期徒刑二年', releasedOn: '2025-03-01', villageId: xt.id,
    placement: 'employed', helperIds: [b.id, head.id], handoverOn: '2025-03-02', handover: '已与监狱衔接', risk: 'low', registeredAddress: '新塘村五组', address: '新塘村五组',
  })
  await t.ok('aftercare.visits.create', { personId: p.id, date: '2026-06-01', helperIds: [b.id], content: '上门走访，了解就业情况，工作稳定。' })
  await t.ok('aftercare.visits.create', { personId: p.id, date: '2026-02-01', helperIds: [b.id, head.id], content: '春节后走访，思想稳定。' })
  return { xt, gh, g1, head, a, b, patrols, c1, c2, c0, p, applicantId, personId, memberId: id }
}
