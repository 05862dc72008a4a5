import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkDigit, checkIdNumber, makeIdNumber, maskIdNumber } from '../../src/shared/idNumber'
import { checkPhone } from '../../src/shared/phone'

const TODAY = '2026-11-23'

describe('身份证号 (GB 11643-1999)', () => {
  it('accepts the standard example and derives birth date and sex', () => {
    // the worked example of GB 11643-1999: 11010519491231002X
    const r = checkIdNumber('11010519491231002X', TODAY)
    expect(r).toEqual({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31', sex: 'female' })
  })

  it('accepts a lower-case x and stores it upper-case', () => {
    const r = checkIdNumber('11010519491231002x', TODAY)
    expect(r.ok && r.value).toBe('11010519491231002X')
  })

  it('odd 17th digit is male', () => {
    const id = makeIdNumber('430103', '1990-01-01', 1)
    expect(checkIdNumber(id, TODAY)).toMatchObject({ ok: true, sex: 'male' })
  })

  it.each([
    ['11010519491231002Y', '身份证号只能是17位数字加1位数字或X'],
    ['110105194912310021', '身份证号最后一位（校验位）不对，请核对'],
    ['110105194902300021', '身份证号中的出生日期无效'],
    ['11010519491331002X', '身份证号中的出生日期无效'],
    ['1101051949123100', '身份证号应为18位，现为16位'],
    ['110105491231002', '这是15位旧身份证号，请填写18位身份证号'],
    ['4.30103E+17', '身份证号位数不对（可能被表格软件当成数字，末几位已丢失），请按文本重新填写18位号码'],
    ['', '请填写身份证号'],
  ])('refuses %s: %s', (id, message) => {
    expect(checkIdNumber(id, TODAY)).toEqual({ ok: false, message })
  })

  it('refuses a birth date after today', () => {
    const id = makeIdNumber('430103', '2026-11-24', 5)
    expect(checkIdNumber(id, TODAY)).toEqual({ ok: false, message: '身份证号中的出生日期晚于今天' })
    expect(checkIdNumber(makeIdNumber('430103', '2026-11-23', 5), TODAY).ok).toBe(true)
  })

  it('every single-character change of a valid number is caught', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = makeIdNumber('430103', '1985-06-15', 42)
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1)
        return !checkIdNumber(changed, TODAY).ok
      }),
    )
  })

  it('check digit matches the MOD 11-2 table', () => {
    expect(checkDigit('11010519491231002')).toBe('X')
    expect(checkDigit('44052418800101001')).toBe('4')
  })

  it('masks all but the first 6 and last 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X')
    expect(maskIdNumber('')).toBe('')
  })
})

describe('联系电话', () => {
  it.each(['13812345678', '0731-85551234', '073185551234', '010-12345678'])('accepts %s', (p) => expect(checkPhone(p).ok).toBe(true))
  it.each([
    ['1381234567', '联系电话应为11位手机号或带区号的固定电话'],
    ['85551234', '固定电话请加区号，例如 0731-85551234'],
    ['abc', '联系电话应为11位手机号或带区号的固定电话'],
  ])('refuses %s', (p, message) => expect(checkPhone(p)).toEqual({ ok: false, message }))
})
