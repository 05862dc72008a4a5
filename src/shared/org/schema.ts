import { z } from 'zod'
import { idInput, listInput, method, empty, type ListResult } from '../api/define'
import { unitKinds, villageKinds, modes, type RecordBase, type UnitKind, type VillageKind, type Mode } from '../domain'
import { count, refId, requiredText, text } from '../validation'

export interface Township {
  code: string
  name: string
  county: string
  countyCode: string
  mode: Mode
  createdAt: string
}

export interface Village extends RecordBase {
  name: string
  kind: VillageKind
  households: number
  population: number
}

export interface Grid extends RecordBase {
  villageId: string
  name: string
  households: number
}

export interface Unit extends RecordBase {
  name: string
  kind: UnitKind
  villageId: string | null
  headcount: number
}

const setupInput = z
  .strictObject({
    mode: z.enum(modes, { error: '请选择使用模式（乡镇或县区）' }),
    name: text('乡镇（街道）名称', 50).optional(),
    code: z.string({ error: '请填写区划代码' }).trim(),
    county: requiredText('县（区）名称', 50),
    countyCode: z.string().trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.mode === 'township') {
      if (!v.name || v.name.trim() === '')
        ctx.addIssue({ code: 'custom', path: ['name'], message: '请填写乡镇（街道）名称' })
      if (!/^(\d{9}|\d{12})$/.test(v.code))
        ctx.addIssue({ code: 'custom', path: ['code'], message: '乡镇区划代码应为9位或12位数字' })
      if (v.countyCode && !/^\d{6}$/.test(v.countyCode))
        ctx.addIssue({ code: 'custom', path: ['countyCode'], message: '县（区）区划代码应为6位数字' })
      if (v.countyCode && /^\d{9,12}$/.test(v.code) && !v.code.startsWith(v.countyCode))
        ctx.addIssue({ code: 'custom', path: ['countyCode'], message: '乡镇区划代码的前6位应与县（区）区划代码相同' })
    } else if (!/^\d{6}$/.test(v.code)) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: '县区模式下区划代码应为县（区）的6位代码' })
    }
  })

const villageFields = {
  name: requiredText('村（社区）名称', 50),
  kind: z.enum(villageKinds, { error: '请选择类型（村或社区）' }),
  households: count('户数'),
  population: count('人口'),
}
const gridFields = {
  villageId: refId('所属村（社区）'),
  name: requiredText('网格名称', 50),
  households: count('户数'),
}
const unitFields = {
  name: requiredText('单位名称', 100),
  kind: z.enum(unitKinds, { error: '请选择单位类型' }),
  villageId: refId('所属村（社区）').nullable().optional(),
  headcount: count('人数'),
}

const orgListFilters = { villageId: z.string().max(64), kind: z.string().max(20), name: z.string().max(100) }

export const orgApi = {
  'township.get': method<Township | null>('none')(empty),
  'township.setup': method<Township>('record')(setupInput, { name: '乡镇（街道）名称', code: '区划代码', county: '县（区）名称', countyCode: '县（区）区划代码', mode: '使用模式' }),
  'villages.create': method<Village>('record')(z.strictObject({ ...villageFields, households: villageFields.households.default(0), population: villageFields.population.default(0) }), { name: '名称', kind: '类型', households: '户数', population: '人口' }),
  'villages.get': method<Village>('none')(idInput),
  'villages.list': method<ListResult<Village>>('none')(listInput(orgListFilters)),
  'villages.update': method<Village>('record')(z.strictObject({ id: idInput.shape.id, ...villageFields }).partial({ name: true, kind: true, households: true, population: true }), { name: '名称', kind: '类型', households: '户数', population: '人口' }),
  'villages.delete': method<{ id: string }>('record')(idInput),
  'villages.restore': method<Village>('record')(idInput),
  'grids.create': method<Grid>('record')(z.strictObject({ ...gridFields, households: gridFields.households.default(0) }), { name: '网格名称', villageId: '所属村（社区）', households: '户数' }),
  'grids.list': method<ListResult<Grid>>('none')(listInput(orgListFilters)),
  'grids.update': method<Grid>('record')(z.strictObject({ id: idInput.shape.id, ...gridFields }).partial({ villageId: true, name: true, households: true }), { name: '网格名称', villageId: '所属村（社区）', households: '户数' }),
  'grids.delete': method<{ id: string }>('record')(idInput),
  'grids.restore': method<Grid>('record')(idInput),
  'units.create': method<Unit>('record')(z.strictObject({ ...unitFields, headcount: unitFields.headcount.default(0) }), { name: '单位名称', kind: '单位类型', villageId: '所属村（社区）', headcount: '人数' }),
  'units.list': method<ListResult<Unit>>('none')(listInput(orgListFilters)),
  'units.update': method<Unit>('record')(z.strictObject({ id: idInput.shape.id, ...unitFields }).partial({ name: true, kind: true, villageId: true, headcount: true }), { name: '单位名称', kind: '单位类型', villageId: '所属村（社区）', headcount: '人数' }),
  'units.delete': method<{ id: string }>('record')(idInput),
  'units.restore': method<Unit>('record')(idInput),
}
