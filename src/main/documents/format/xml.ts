/** Small helpers for the WordprocessingML the program writes by hand (large tables). */

// eslint-disable-next-line no-control-regex
const BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g
// eslint-disable-next-line no-control-regex
const BAD_TEST = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/
const SPECIAL = /[&<>"]/

export function esc(s: string): string {
  let out = BAD_TEST.test(s) ? s.replace(BAD, '') : s
  if (SPECIAL.test(out)) out = out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  return out
}

/** rFonts with the East Asian slot set: Chinese text ignores a font named only for Latin text. */
export function rFonts(eastAsia: string, latin: string): string {
  const e = esc(eastAsia)
  const l = esc(latin)
  return `<w:rFonts w:ascii="${l}" w:hAnsi="${l}" w:eastAsia="${e}" w:cs="${l}" w:hint="eastAsia"/>`
}
