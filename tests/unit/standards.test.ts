import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { validateStandardSet, type Check, type StandardSet } from '../../src/shared/checklist/catalog'
import { metricNames, metrics, requiredGuards } from '../../src/shared/checklist/metrics'

const standardsDir = fileURLToPath(new URL('../../resources/standards/', import.meta.url))
/** the source documents, when this checkout sits beside ../shared (DESIGN.md) */
const seedsDir = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url))

const seedOf: Record<string, string> = {
  'liuda-2015': '000_',
  cunju: '001_',
  'xibao-2017': '002_',
  'shida-2020': '003_',
  jingqu: '004_',
}

function raw(id: string): unknown {
  return JSON.parse(readFileSync(join(standardsDir, `${id}.json`), 'utf8')) as unknown
}

function load(id: string): StandardSet {
  const r = validateStandardSet(raw(id))
  if (!r.ok) throw new Error(`${id}:\n${r.errors.join('\n')}`)
  return r.set
}

function countsByTarget(set: StandardSet): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of set.criteria) out[c.target] = (out[c.target] ?? 0) + 1
  return out
}

/** a check's meaning in one short string, for exact comparisons */
function sig(c: Check): string {
  const scope = c.appliesTo ? `@${c.appliesTo.join('+')}` : ''
  if (c.kind === 'metric') return `metric:${c.metric}${c.op}${c.threshold}${scope}`
  if (c.kind === 'value') return `value:${c.key}${c.op}${c.threshold}${scope}`
  return `attest${scope}`
}

function checksOf(set: StandardSet, id: string): Check[] {
  const c = set.criteria.find((x) => x.id === id)
  if (!c) throw new Error(`missing criterion ${id}`)
  return c.checks
}

/** Criteria count per target, from a reading of each source document. */
const expectedCounts: Record<string, Record<string, number>> = {
  // 000 江州县2015年“六大平安”创建标准及创建任务: 一、平安村(社区) 1–9; 二、平安校园 1–7; 三、平安医院 1–4;
  // 四、平安商圈 1–6; 五、平安景区 1–5; 六、平安家庭 1–6.
  'liuda-2015': { village: 9, school: 7, hospital: 4, market: 6, scenic: 5, family: 6 },
  // 001 全县平安村居建构方案: 二、总体目标 split into 5 goals (township 1–5) and the numbered 五、工作措施
  // that set a figure for a township (township 6–9: 措施 9, 16 twice, 17); 三(一) 共性标准 1–11;
  // 三(二) 分类标准: 社区 1–4, 村居 1–3, 单位 1–5.
  cunju: { township: 9, common: 11, community: 4, village: 3, unit: 5 },
  // 002 2017年度徐城街道…“平安细胞”创建工作方案: 二、创建目标 coverage goal (township, 1) and
  // 四、工作步骤's 10月底前自查 (township, 2); 三、创建内容 (一)平安校园 4, (二)平安医院 5, (三)平安家庭 2,
  // (四)平安企业 3 requirements (paragraphs split at 。 and ; after the opening 由…牵头 sentence).
  'xibao-2017': { township: 2, school: 4, hospital: 5, family: 2, enterprise: 3 },
  // 003 大托铺街道2020年“十大平安”创建实施方案, 创建内容及标准 1.–10., items （1）…:
  'shida-2020': {
    family: 2, // 1.平安家庭 （1）–（2）
    grid: 8, // 2.平安网格 （1）–（8）
    property: 7, // 3.平安物业 （1）–（7）
    village: 9, // 4.平安村 （1）–（9）
    street: 10, // 5.平安街道 （1）–（10）
    school: 7, // 6.平安校园 （1）–（7）
    business: 6, // 7.平安经营单位 （1）–（6）
    hospital: 7, // 8.平安医院（卫生服务中心） （1）–（7）
    enterprise: 7, // 9.平安企事业单位 （1）–（7）
    association: 4, // 10.平安创建协会 （1）–（4）
  },
  // 004 XX县公安局景区和非景区景点安全管理工作制度和执行机制: 一–五 five 制度 (1–5),
  // 六、执行保障机制 (一)–(五) (6–10). 1 联席会议, 9 救援保障 (民警搜救训练) and 10 督导问效 are the
  // county's and townships' work, not a scenic spot's: township 1, 9, 10; scenic 2–8.
  jingqu: { township: 3, scenic: 7 },
}

/** documents whose items carry their own numbers: an item judged for another target keeps its number */
const keepsItemNumbers = new Set(['jingqu'])

describe('standard-set catalogs', () => {
  it('resources/standards holds exactly the five sets', () => {
    const files = readdirSync(standardsDir).filter((f) => f.endsWith('.json')).sort()
    expect(files).toEqual(Object.keys(expectedCounts).map((id) => `${id}.json`).sort())
  })

  for (const [id, counts] of Object.entries(expectedCounts)) {
    describe(id, () => {
      it('passes validateStandardSet', () => {
        const r = validateStandardSet(raw(id))
        expect(r.ok ? [] : r.errors).toEqual([])
        if (r.ok) expect(r.set.id).toBe(id)
      })

      it('has the criteria count per target found in the document', () => {
        const set = load(id)
        expect(countsByTarget(set)).toEqual(counts)
        expect(set.targets.map((t) => t.id).sort()).toEqual(Object.keys(counts).sort())
      })

      it('numbers each target 1, 2, 3… without gaps (or keeps the document’s item numbers)', () => {
        const set = load(id)
        if (keepsItemNumbers.has(id)) {
          const all = set.criteria.map((c) => c.n).sort((a, b) => a - b)
          expect(all).toEqual(all.map((_, i) => i + 1))
          return
        }
        for (const target of Object.keys(counts)) {
          const ns = set.criteria.filter((c) => c.target === target).map((c) => c.n)
          expect(ns).toEqual(ns.map((_, i) => i + 1))
        }
      })

      it('says which words of the text every number check comes from, and every check of a criterion with several', () => {
        for (const c of load(id).criteria) {
          for (const k of c.checks) {
            if (k.kind !== 'attest' || c.checks.length > 1) expect(k.words, `${c.id} ${k.label}`).toBeDefined()
            for (const w of k.words ?? []) expect(c.text, c.id).toContain(w)
          }
        }
      })

      it('keeps no leading item number in the text', () => {
        for (const c of load(id).criteria) {
          expect(c.text).not.toMatch(/^\s*(\d+[.、．]|（\d+）|\(\d+\)|[一二三四五六七八九十]+、)/)
          expect(c.text).toBe(c.text.trim())
        }
      })

      const prefix = seedOf[id]
      const seedFile =
        prefix !== undefined && existsSync(seedsDir) ? readdirSync(seedsDir).find((f) => f.startsWith(prefix)) : undefined
      it.skipIf(seedFile === undefined)('copies every text word for word from the source document', () => {
        const source = readFileSync(join(seedsDir, seedFile ?? ''), 'utf8')
        for (const c of load(id).criteria) expect(source.includes(c.text), c.id).toBe(true)
      })
    })
  }

  it('gives every quantity in a criterion a metric or value check (except documented "未发生" alternatives)', () => {
    // a percentage, or a count of people/cameras, written in the text
    const quantity = /\d+(\.\d+)?\s*(%|‰|人|名|处)/
    // 无群体性上访（或进京上访比上年减少30%）: an alternative inside a "none happened" item → attested
    const attestedAnyway = new Set(['shida-2020.village.4', 'shida-2020.street.5'])
    for (const id of Object.keys(expectedCounts)) {
      for (const c of load(id).criteria) {
        const numeric = c.checks.filter((k) => k.kind !== 'attest').length
        if (quantity.test(c.text) && !attestedAnyway.has(c.id)) expect(numeric, c.id).toBeGreaterThan(0)
        if (numeric === 0) expect(c.checks.length, c.id).toBe(1)
      }
    }
  })

  it('binds the required criteria exactly', () => {
    const liuda = load('liuda-2015')
    const cunju = load('cunju')
    const shida = load('shida-2020')
    const xibao = load('xibao-2017')

    // 专兼职 (both roles) ≥ 6, the 红袖标 joint patrols attested, then the two survey figures
    expect(checksOf(liuda, 'liuda-2015.village.4').map(sig)).toEqual([
      'metric:patrolTeamSize>=6',
      'attest',
      'value:awareness>=0.9',
      'value:satisfaction>=0.9',
    ])
    const liudaV4 = checksOf(liuda, 'liuda-2015.village.4')
    expect(liudaV4[2]).toMatchObject({ kind: 'value', key: 'awareness', label: '群众知晓率', unit: '%' })
    expect(liudaV4[3]).toMatchObject({ kind: 'value', key: 'satisfaction', unit: '%' })
    // coverage goal sits in the village target, item 2, after its 年度计划
    expect(checksOf(liuda, 'liuda-2015.village.2').map(sig)).toEqual(['attest', 'metric:creationRate>=1', 'metric:passRate>=0.9'])

    // 专职巡防队伍: full-time members only
    expect(checksOf(cunju, 'cunju.common.7').map(sig)).toEqual([
      'metric:fulltimePatrolTeamSize>=6@village',
      'metric:fulltimePatrolTeamSize>=8@community',
      'attest',
    ])
    // 刑释解教人员: released people only
    expect(checksOf(cunju, 'cunju.common.8').map(sig)).toEqual(['metric:releasedAftercareRate=1', 'metric:releasedPlacementRate>=0.98'])
    expect(checksOf(cunju, 'cunju.common.9').map(sig)).toEqual([
      'metric:mediationRate=1',
      'metric:mediationSuccessRate>=0.98',
      'metric:mediationFulfillmentRate=1',
    ])
    expect(checksOf(cunju, 'cunju.common.10').map(sig)).toEqual(['value:awareness>=0.9'])
    // 安全感 and 满意度 are two values
    expect(checksOf(cunju, 'cunju.common.11').map(sig)).toEqual(['value:safetySense>=0.98', 'value:satisfaction>=0.98'])
    expect(checksOf(cunju, 'cunju.common.11').map((k) => k.label)).toEqual(['群众安全感', '群众满意度'])
    expect(checksOf(cunju, 'cunju.unit.2').map(sig)).toEqual(['attest', 'metric:guardSufficiency>=1', 'value:trainingRate>=1'])
    expect(checksOf(cunju, 'cunju.unit.2')[2]).toMatchObject({ label: '上岗培训率' })

    // cunju 二、总体目标
    expect(checksOf(cunju, 'cunju.township.2').map(sig)).toEqual([
      'value:urbanPatrolSize>=210',
      'value:urbanPlainclothesSize>=10',
      'value:seatPatrolSize>=20',
      'metric:communityFulltimePatrolMin>=8',
      'metric:villageFulltimePatrolMin>=6',
    ])
    expect(checksOf(cunju, 'cunju.township.3').map(sig)).toEqual(['value:villageCameraShare>=0.8'])
    expect(checksOf(cunju, 'cunju.township.4').map(sig)).toEqual(['value:zeroIncidentUnitShare>=0.8'])
    // 85%以上的社区村居单位: over all of them, not only those that joined
    expect(checksOf(cunju, 'cunju.township.5').map(sig)).toEqual(['metric:passShare>=0.85'])
    // 五、工作措施 with a figure for a township
    expect(checksOf(cunju, 'cunju.township.6').map(sig)).toEqual(['value:keyUnitSecurityOrgRate>=1', 'value:keyUnitGuardStaffingRate>=1'])
    expect(checksOf(cunju, 'cunju.township.7').map(sig)).toEqual([
      'value:rentalRegistrationRate>=1',
      'value:rentalPledgeRate>=1',
      'value:temporaryResidentEntryRate>=1',
      'value:temporaryHighRiskRegistrationRate>=1',
    ])
    expect(checksOf(cunju, 'cunju.township.8').map(sig)).toEqual(['value:migrantsPerAssistant<=500', 'value:rentalsPerAssistant<=200', 'attest'])
    expect(checksOf(cunju, 'cunju.township.9').map(sig)).toEqual(['metric:releasedAftercareRate=1', 'metric:releasedPlacementRate>=0.98'])

    expect(checksOf(shida, 'shida-2020.grid.1').map(sig)).toEqual(['attest', 'metric:redArmbandRatio>=0.2'])
    expect(checksOf(shida, 'shida-2020.village.2').map(sig)).toEqual(['attest', 'metric:associationRatio>=0.2'])
    // 刑满释放人员 重新犯罪率; 村服刑人员 (社区矫正对象) 脱管漏管 over the year; 综治中心 attested
    expect(checksOf(shida, 'shida-2020.village.3').map(sig)).toEqual([
      'attest',
      'metric:releasedRecidivismRate<=0.028',
      'metric:correctionLostContactCount=0',
      'value:mentalHealthManagement>=0.95',
    ])
    expect(checksOf(shida, 'shida-2020.village.3')[3]).toMatchObject({ label: '严重精神障碍患者规范管理率', unit: '%' })
    expect(shida.targets.find((t) => t.id === 'enterprise')?.unitKinds).toEqual(['enterprise', 'agency', 'institution'])
    expect(shida.targets.find((t) => t.id === 'association')?.unitKinds).toEqual(['peace_association'])

    // xibao's coverage goal: a township-kind target (the whole 街道); 10月底前自查 is the 街道's too
    expect(checksOf(xibao, 'xibao-2017.township.1').map(sig)).toEqual(['metric:creationRate>=1', 'metric:passRate>=0.9'])
    expect(checksOf(xibao, 'xibao-2017.township.2').map(sig)).toEqual(['value:octoberSelfCheckShare>=1', 'attest'])
    // 五无: each asked on its own
    expect(checksOf(xibao, 'xibao-2017.school.2').map((k) => (k.kind === 'attest' ? `attest:${k.key}` : sig(k)))).toEqual([
      'attest:license',
      'attest:gate',
      'attest:wall',
      'attest:cameras',
      'metric:guardCount>=2',
    ])
  })

  it('checks the rest of a criterion’s text with an attestation where the text asks more than its numbers', () => {
    const sets = Object.keys(expectedCounts).map(load)
    const all = new Map(sets.flatMap((s) => s.criteria.map((c) => [c.id, c] as const)))
    for (const id of [
      'liuda-2015.village.2', // 年度计划
      'liuda-2015.village.4', // 红袖标联合巡逻
      'cunju.common.7',
      'cunju.unit.2',
      'cunju.unit.3',
      'cunju.unit.4',
      'shida-2020.grid.1',
      'shida-2020.village.2',
      'shida-2020.village.3', // 综治中心规范运行
      'shida-2020.property.6',
      'shida-2020.business.6',
      'shida-2020.hospital.7',
      'xibao-2017.enterprise.3',
    ]) {
      const c = all.get(id)!
      expect(c.checks.some((k) => k.kind === 'attest'), id).toBe(true)
      expect(c.checks.some((k) => k.kind !== 'attest'), id).toBe(true)
    }
  })

  it('lists every criterion in docs/standards.md with its checks', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/standards.md', import.meta.url)), 'utf8')
    for (const id of Object.keys(expectedCounts))
      for (const c of load(id).criteria) {
        const row = doc.split('\n').find((l) => l.startsWith(`| \`${c.id}\` |`))
        expect(row, c.id).toBeDefined()
        for (const k of c.checks) if (k.kind !== 'attest') expect(row, c.id).toContain(k.kind === 'metric' ? k.metric : k.key)
      }
  })

  it('attests every "未发生…" criterion', () => {
    for (const id of Object.keys(expectedCounts)) {
      for (const c of load(id).criteria) {
        if (/^年内未发生/.test(c.text)) expect(c.checks.map(sig), c.id).toEqual(['attest'])
      }
    }
  })
})

describe('metrics', () => {
  it('lists the metrics the engine computes, each with a Chinese label', () => {
    for (const name of [
      'patrolTeamSize',
      'mediationRate',
      'mediationSuccessRate',
      'mediationFulfillmentRate',
      'aftercareRate',
      'placementRate',
      'recidivismRate',
      'lostContactCount',
      'redArmbandRatio',
      'associationRatio',
      'guardSufficiency',
      'creationRate',
      'passRate',
    ]) {
      expect(metricNames).toContain(name)
    }
    for (const name of metricNames) expect(metrics[name].label).toMatch(/[\u4e00-\u9fff]/)
  })

  it('computes required guards by 工作措施 9', () => {
    expect(requiredGuards(0)).toBeNull()
    expect(requiredGuards(50)).toBe(2)
    expect(requiredGuards(199)).toBe(2)
    // 以上/以下 include the number: 200 is in 200人以下 (2) and 200人以上 (3) → both must be met
    expect(requiredGuards(200)).toBe(3)
    expect(requiredGuards(201)).toBe(3)
    expect(requiredGuards(499)).toBe(3)
    expect(requiredGuards(500)).toBe(3) // 3, and 5‰ of 500 = 2.5 → 3
    expect(requiredGuards(1000)).toBe(5)
    expect(requiredGuards(1999)).toBe(10)
    // 2000 is in 500–2000 (5‰ = 10) and 2000人以上 (4‰ = 8) → 10
    expect(requiredGuards(2000)).toBe(10)
    expect(requiredGuards(2001)).toBe(9)
    expect(requiredGuards(3001)).toBe(13)
  })
})

describe('validateStandardSet rejects bad catalogs with Chinese messages naming the path', () => {
  interface Fixture {
    [field: string]: unknown
    targets: Record<string, unknown>[]
    criteria: (Record<string, unknown> & { checks: Record<string, unknown>[] })[]
  }

  const good = (): Fixture => ({
    formatVersion: 1,
    id: 'demo',
    title: '示例',
    source: '示例文件',
    targets: [{ id: 'village', label: '平安村' }],
    criteria: [
      {
        id: 'demo.village.1',
        target: 'village',
        n: 1,
        text: '调解成功率达到98%。',
        lead: ['县综治办'],
        assist: [],
        checks: [{ kind: 'metric', metric: 'mediationSuccessRate', op: '>=', threshold: 0.98, label: '调解成功率' }],
      },
      {
        id: 'demo.village.2',
        target: 'village',
        n: 2,
        text: '年内未发生群体性事件。',
        lead: [],
        assist: [],
        checks: [{ kind: 'attest', label: '未发生群体性事件' }],
      },
    ],
  })

  function at<T>(xs: T[], i: number): T {
    const x = xs[i]
    if (x === undefined) throw new Error(`no element ${i}`)
    return x
  }

  function errorsOf(json: unknown): string[] {
    const r = validateStandardSet(json)
    expect(r.ok).toBe(false)
    return r.ok ? [] : r.errors
  }

  it('accepts the fixture', () => {
    const r = validateStandardSet(good())
    expect(r.ok ? [] : r.errors).toEqual([])
  })

  it('rejects a non-object', () => {
    for (const bad of [42, 'abc', null, [], undefined]) {
      expect(errorsOf(bad)).toEqual(['（整个文件）：应为对象'])
    }
  })

  it('rejects a missing text', () => {
    const set = good()
    delete at(set.criteria, 1).text
    expect(errorsOf(set)).toEqual(['criteria[1].text：缺少必填项'])
  })

  it('rejects an empty text', () => {
    const set = good()
    at(set.criteria, 0).text = '  '
    expect(errorsOf(set)).toEqual(['criteria[0].text：不能为空'])
  })

  it('rejects a duplicate id', () => {
    const set = good()
    const c = at(set.criteria, 1)
    c.id = 'demo.village.1'
    c.n = 1
    expect(errorsOf(set)).toEqual(['criteria[1].id：编号“demo.village.1”重复（与 criteria[0] 相同）'])
  })

  it('rejects an unknown metric', () => {
    const set = good()
    at(at(set.criteria, 0).checks, 0).metric = 'happiness'
    const errors = errorsOf(set)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^criteria\[0\]\.checks\[0\]\.metric：未知的指标名“happiness”/)
  })

  it('rejects a threshold that is a string', () => {
    const set = good()
    at(at(set.criteria, 0).checks, 0).threshold = '98%'
    expect(errorsOf(set)).toEqual(['criteria[0].checks[0].threshold：应为数字'])
  })

  it('rejects an id that does not spell <set>.<target>.<n>', () => {
    const set = good()
    at(set.criteria, 1).id = 'demo.village.7'
    expect(errorsOf(set)).toEqual(['criteria[1].id：编号应为“demo.village.2”（标准集编号.创建对象.序号），现为“demo.village.7”'])
  })

  it('rejects a criterion whose target is not listed', () => {
    const set = good()
    const c = at(set.criteria, 1)
    c.target = 'school'
    c.id = 'demo.school.2'
    expect(errorsOf(set)).toEqual(['criteria[1].target：创建对象“school”未在 targets 中列出'])
  })

  it('rejects a metric used for a target it does not fit', () => {
    const set = good()
    const k = at(at(set.criteria, 0).checks, 0)
    k.metric = 'redArmbandRatio'
    k.threshold = 0.2
    const errors = errorsOf(set)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^criteria\[0\]\.checks\[0\]\.metric：指标“红袖标会员占住户比例”（redArmbandRatio）不适用于创建对象“village”/)
  })

  it('rejects a percentage written as 98 instead of 0.98', () => {
    const set = good()
    at(at(set.criteria, 0).checks, 0).threshold = 98
    const errors = errorsOf(set)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^criteria\[0\]\.checks\[0\]\.threshold：百分比应写成 0 到 1 之间的小数/)
  })

  it('rejects an unknown check kind, an unknown field, no checks, and a newer format', () => {
    const set = good()
    set.formatVersion = 2
    at(at(set.criteria, 1).checks, 0).kind = 'vote'
    const c = at(set.criteria, 0)
    c.checks = []
    c.treshold = 1
    const errors = errorsOf(set)
    expect(errors).toContain('formatVersion：不支持的格式版本 2，本程序只能读取格式版本 1')
    expect(errors).toContain('criteria[0].checks：至少应有 1 项')
    expect(errors).toContain('criteria[0].treshold：不认识的字段（是否拼写有误？）')
    expect(errors.some((e) => e.startsWith('criteria[1].checks[0].kind：应为 metric'))).toBe(true)
  })

  it('refuses words not in the text, a repeated key, two attestations without keys, and unit kinds on a village target', () => {
    const set = good()
    const c = at(set.criteria, 0)
    c.checks = [
      { kind: 'metric', metric: 'mediationSuccessRate', op: '>=', threshold: 0.98, label: '调解成功率', words: ['调解成功率达到99%'] },
      { kind: 'attest', label: '甲' },
      { kind: 'attest', label: '乙' },
      { kind: 'value', key: 'x', op: '>=', threshold: 1, label: '丙' },
      { kind: 'value', key: 'x', op: '>=', threshold: 1, label: '丁' },
    ]
    set.targets = [{ id: 'village', label: '平安村', unitKinds: ['school'] }]
    const errors = errorsOf(set)
    expect(errors).toContain('criteria[0].checks[0].words[0]：依据的原文“调解成功率达到99%”不在本条标准的原文中')
    expect(errors).toContain('criteria[0].checks[2].key：本条有多个确认项，每个都要写 key（与 checks[1] 区分）')
    expect(errors).toContain('criteria[0].checks[4].key：“x”在本条中重复（与 checks[3] 相同），每个数值和确认项的名称应不同')
    expect(errors).toContain('targets[0].unitKinds：创建对象“village”不是单位，不能指定单位类型')
  })

  it('writes every message in Chinese', () => {
    const set = good()
    set.id = 'Bad Id'
    set.targets = [{ id: 'moon', label: '' }]
    const errors = errorsOf(set)
    expect(errors.length).toBeGreaterThanOrEqual(3)
    for (const e of errors) expect(e).toMatch(/：.*[\u4e00-\u9fff]/)
  })
})
