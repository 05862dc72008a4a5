import type { SectionSpec } from './format'
import { registerHead, scopeName, type DocContext } from './common'
import { aftercarePeople, aftercareTable, hazardsTable, mediationTable, membersTable, patrolsTable, visitsTable } from './registers'
import { STYLE } from './format'

/** A stand-alone register: one landscape register page section (narrow margins, 小五 table), title, 填报单位/时间 line, the numbered table. */
export interface Built {
  title: string
  sections: SectionSpec[]
}

const landscape = (blocks: SectionSpec['blocks']): SectionSpec => ({ orientation: 'landscape', page: 'register', pageNumbers: true, restartAt: 1, blocks })

export async function membersDoc(d: DocContext): Promise<Built> {
  const t = await membersTable(d)
  const title = `${scopeName(d)}${d.year}年成员花名册`
  return { title, sections: [landscape([...registerHead(d, title, `共${t.count}人`), { t: 'table', spec: t.spec }])] }
}

export async function patrolsDoc(d: DocContext): Promise<Built> {
  const t = await patrolsTable(d)
  const title = `${scopeName(d)}${d.year}年巡逻记录台账`
  return { title, sections: [landscape([...registerHead(d, title, `共${t.count}次`), { t: 'table', spec: t.spec }])] }
}

export async function mediationDoc(d: DocContext): Promise<Built> {
  const t = await mediationTable(d)
  const title = `${scopeName(d)}${d.year}年矛盾纠纷排查调处台账`
  return { title, sections: [landscape([...registerHead(d, title, `共${t.count}件`), { t: 'table', spec: t.spec }])] }
}

export async function aftercareDoc(d: DocContext): Promise<Built> {
  const people = await aftercarePeople(d)
  const t = await aftercareTable(d, people)
  const v = await visitsTable(d)
  const title = `${scopeName(d)}${d.year}年帮教对象花名册`
  const visitTitle = `${scopeName(d)}${d.year}年帮教走访记录`
  return {
    title: `${scopeName(d)}${d.year}年帮教对象花名册及走访记录`,
    sections: [
      landscape([...registerHead(d, title, `共${t.count}人`), { t: 'table', spec: t.spec }]),
      { orientation: 'landscape', page: 'register', pageNumbers: true, blocks: [...registerHead(d, visitTitle, `共${v.count}次`), { t: 'table', spec: v.spec }] },
    ],
  }
}

export async function hazardsDoc(d: DocContext): Promise<Built> {
  const t = await hazardsTable(d)
  const title = `${scopeName(d)}${d.year}年安全隐患排查整改台账`
  return { title, sections: [landscape([...registerHead(d, title, `共${t.count}条`), { t: 'table', spec: t.spec }])] }
}

export { STYLE }
