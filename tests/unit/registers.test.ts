import { describe, expect, it } from 'vitest'
import { contract } from '../../src/shared/api/contract'
import { excelColumns, matchHeader } from '../../src/shared/excel/columns'
import { normHeader } from '../../src/shared/excel/cells'
import { recordTableLabels, recordTables, registerByKey, registerKeys, registers, villageHolders } from '../../src/shared/registers'

describe('register definitions', () => {
  it('every register travels in packages, after the records it refers to', () => {
    const at = (t: string) => recordTables.indexOf(t as never)
    for (const r of registers) expect(at(r.table), r.key).toBeGreaterThan(at('units'))
    expect(at('members')).toBeLessThan(at('patrols'))
    expect(at('aftercare_people')).toBeLessThan(at('aftercare_visits'))
    expect(recordTables).toContain('hazards')
    expect(recordTableLabels.hazards).toBe('安全隐患')
    expect(new Set(recordTables).size).toBe(recordTables.length)
  })

  it('a village held by any register with a village field cannot be deleted silently', () => {
    expect(villageHolders.map((h) => h.table).sort()).toEqual(['aftercare_people', 'hazards', 'mediation_cases', 'members', 'patrols'])
  })

  it('the contract has each register’s record methods, with its field labels for messages', () => {
    for (const r of registers) {
      const methods = r.key === 'visits' ? ['create', 'list', 'delete'] : ['create', 'get', 'list', 'update', 'delete', 'restore']
      for (const m of methods) expect(Object.keys(contract), `${r.api}.${m}`).toContain(`${r.api}.${m}`)
      const labels = contract[`${r.api}.create` as keyof typeof contract].labels
      for (const f of r.fields) expect(labels[f.key], `${r.key}.${f.key}`).toBe(f.label)
    }
    expect(contract['hazards.create'].labels.category).toBe('隐患类别')
  })

  it('coded values have distinct labels, and ID numbers and phones are marked personal', () => {
    for (const r of registers)
      for (const f of r.fields) {
        if (f.options) expect(new Set(Object.values(f.options)).size, `${r.key}.${f.key}`).toBe(Object.keys(f.options).length)
        if (f.kind === 'idNumber' || f.kind === 'phone') expect(f.personal, `${r.key}.${f.key}`).toBeDefined()
      }
  })

  it('every header and alias of a sheet maps back to its own column, never to another', () => {
    for (const k of registerKeys) {
      for (const c of excelColumns[k]) {
        const want = c.exportOnly ? '' : c.key
        expect(matchHeader(k, c.label), `${k}: ${c.label}`).toBe(want)
        for (const a of c.aliases) {
          // an alias also used by an earlier column goes to that column: the sheet reads left to right
          const earlier = excelColumns[k].slice(0, excelColumns[k].indexOf(c)).some((o) => [o.label, ...o.aliases].map(normHeader).includes(normHeader(a)))
          if (!earlier) expect(matchHeader(k, a), `${k}: ${a}`).toBe(want)
        }
      }
      const labels = excelColumns[k].map((c) => c.label)
      expect(new Set(labels).size, k).toBe(labels.length)
    }
  })

  it('a sheet’s coded columns offer exactly the field’s coded values', () => {
    for (const r of registers)
      for (const c of r.excel) {
        const f = r.fields.find((x) => x.key === c.key)
        if (c.kind === 'enum') expect(c.options, `${r.key}.${c.key}`).toEqual(f?.options)
      }
  })

  it('grid columns have distinct keys and filters name list filters', () => {
    for (const r of registers) {
      const keys = r.grid.map((c) => c.key)
      expect(new Set(keys).size, r.key).toBe(keys.length)
    }
    expect(registerByKey.hazards.filters.map((f) => f.key)).toEqual(['year', 'villageId', 'status', 'category', 'overdue'])
  })
})
