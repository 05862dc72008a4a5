/** A small seeded generator, so the demo township is the same on every machine. */
export function rng(seed: number) {
  let s = seed >>> 0
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  }
}
export type Rng = ReturnType<typeof rng>

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文辉春梅海波宁建新德福冬梅金凤小红立新利民永生国庆跃进卫东翠花'

export function personName(r: Rng): string {
  const s = r.pick([...SURNAMES])
  const g = [...GIVEN]
  return s + (r.chance(0.6) ? r.pick(g) + r.pick(g) : r.pick(g))
}

export function mobile(r: Rng): string {
  return r.pick(['138', '139', '137', '150', '151', '152', '158', '159', '182', '187', '188', '135', '136', '133', '153', '177', '180', '189']) + String(r.int(0, 99_999_999)).padStart(8, '0')
}

export function isoDay(r: Rng, from: string, to: string): string {
  const a = Date.parse(from + 'T00:00:00Z')
  const b = Date.parse(to + 'T00:00:00Z')
  return new Date(a + Math.floor(r.next() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10)
}
