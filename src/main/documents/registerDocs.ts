import type { SectionSpec, TableSpec } from './format'
import { registerHead, scopeName, signedTable, type DocContext } from './common'
import { aftercareTable, hazardsTable, mediationTable, membersTable, patrolsTable, visitsTable } from './registers'
import { STYLE } from './format'

/**
 * A stand-alone register: one landscape register page section (narrow margins, 小五 table), title,
 * 填报单位/时间 line, the numbered table whose rows flow across pages, and the 填表人/审核人/负责人 line.
 */
export interface Built {
  title: string
  sections: SectionSpec[]
}

function registerSection(d: DocContext, title: string, count: string, table: TableSpec, restart = true): SectionSpec {
  return {
    orientation: 'landscape',
    page: 'register',
    pageNumbers: true,
    ...(restart ? { restartAt: 1 } : {}),
    blocks: [...registerHead(d, title, count), { t: 'table', spec: signedTable(d, table) }],
  }
}

export async function membersDoc(d: DocContext): Promise<Built> {
  const t = await membersTable(d)
  const title = `${scopeName(d)}${d.year}年成员花名册`
  return { title, sections: [registerSection(d, title, `共${t.count}人`, t.spec)] }
}

export async function patrolsDoc(d: DocContext): Promise<Built> {
  const t = await patrolsTable(d)
  const title = `${scopeName(d)}${d.year}年巡逻记录台账`
  return { title, sections: [registerSection(d, title, `共${t.count}次`, t.spec)] }
}

export async function mediationDoc(d: DocContext): Promise<Built> {
  const t = await mediationTable(d)
  const title = `${scopeName(d)}${d.year}年矛盾纠纷排查调处台账`
  return { title, sections: [registerSection(d, title, `共${t.count}件`, t.spec)] }
}

export async function aftercareDoc(d: DocContext): Promise<Built> {
  const t = await aftercareTable(d)
  const v = await visitsTable(d)
  const title = `${scopeName(d)}${d.year}年帮教对象花名册`
  const visitTitle = `${scopeName(d)}${d.year}年帮教走访记录`
  return {
    title: `${scopeName(d)}${d.year}年帮教对象花名册及走访记录`,
    sections: [registerSection(d, title, `共${t.count}人`, t.spec), registerSection(d, visitTitle, `共${v.count}次`, v.spec, false)],
  }
}

export async function hazardsDoc(d: DocContext): Promise<Built> {
  const t = await hazardsTable(d)
  const title = `${scopeName(d)}${d.year}年安全隐患排查整改台账`
  return { title, sections: [registerSection(d, title, `共${t.count}条`, t.spec)] }
}

export { STYLE }
