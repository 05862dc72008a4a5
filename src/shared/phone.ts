/** 11-digit mobile, or a landline with its area code (0xx-xxxxxxxx, with or without the dash). */
export function checkPhone(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = raw.trim().replace(/\s+/g, '')
  if (/^1[3-9]\d{9}$/.test(value)) return { ok: true, value }
  if (/^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(value)) return { ok: true, value }
  if (/^\d{7,8}$/.test(value)) return { ok: false, message: '固定电话请加区号，例如 0731-85551234' }
  return { ok: false, message: '联系电话应为11位手机号或带区号的固定电话' }
}
