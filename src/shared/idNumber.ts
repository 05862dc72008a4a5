/**
 * 公民身份号码 per GB 11643-1999: 17 digits + ISO 7064 MOD 11-2 check character.
 * Messages are what the clerk sees beside the field.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export type IdCheck =
  | { ok: true; value: string; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; message: string }

export function checkDigit(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK[sum % 11]!
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return d <= days
}

/** today: 'YYYY-MM-DD', passed in so the check is deterministic in tests. */
export function checkIdNumber(raw: string, today: string = new Date().toISOString().slice(0, 10)): IdCheck {
  const value = raw.trim().toUpperCase()
  if (value === '') return { ok: false, message: '请填写身份证号' }
  if (/^\d{15}$/.test(value)) return { ok: false, message: '这是15位旧身份证号，请填写18位身份证号' }
  if (/^\d+(\.\d+)?E\+?\d+$/i.test(value))
    return { ok: false, message: '身份证号位数不对（可能被表格软件当成数字，末几位已丢失），请按文本重新填写18位号码' }
  if (value.length !== 18) return { ok: false, message: `身份证号应为18位，现为${value.length}位` }
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, message: '身份证号只能是17位数字加1位数字或X' }
  const y = Number(value.slice(6, 10))
  const m = Number(value.slice(10, 12))
  const d = Number(value.slice(12, 14))
  if (y < 1900 || !isRealDate(y, m, d)) return { ok: false, message: '身份证号中的出生日期无效' }
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`
  if (birthDate > today) return { ok: false, message: '身份证号中的出生日期晚于今天' }
  if (checkDigit(value.slice(0, 17)) !== value[17]) return { ok: false, message: '身份证号最后一位（校验位）不对，请核对' }
  const sex = Number(value[16]) % 2 === 1 ? 'male' : 'female'
  return { ok: true, value, birthDate, sex }
}

/** Lists and printed registers show the first 6 and last 4 characters. */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return ''
  if (id.length <= 10) return id
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4)
}

/** Builds a valid number from a 6-digit area, a birth date and a sequence: for demo data and tests. */
export function makeIdNumber(area: string, birth: string, seq: number): string {
  const first17 = area + birth.replace(/-/g, '') + String(seq % 1000).padStart(3, '0')
  return first17 + checkDigit(first17)
}
