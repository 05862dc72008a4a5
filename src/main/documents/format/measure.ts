/**
 * How many lines a text takes in a box of a given width: the program lays out every page itself
 * (DESIGN §5: page numbers in the dossier's table of contents), so it must never think a text is
 * shorter than Word, WPS or LibreOffice will make it. The estimate errs on the long side:
 * Latin letters and digits count their Times New Roman width rounded up, everything else 1 em;
 * a closing punctuation mark never starts a line (the character before it moves down with it), and
 * a Latin word is never broken.
 */
/** Times New Roman advance widths in em, rounded up; letters by their widest common members */
function latin(ch: number): number {
  if ((ch >= 0x30 && ch <= 0x39) || ch === 0x2a || ch === 0x23) return 0.5 // digits * #
  if (ch >= 0x41 && ch <= 0x5a) return 0.75 // A–Z
  if (ch >= 0x61 && ch <= 0x7a) return 0.55 // a–z
  if (ch === 0x20 || ch === 0x2e || ch === 0x2c || ch === 0x3a || ch === 0x3b) return 0.28 // space . , : ;
  if (ch === 0x2d || ch === 0x2f || ch === 0x28 || ch === 0x29) return 0.34 // - / ( )
  return 0.6
}

function em(ch: number): number {
  return ch < 0x80 ? latin(ch) : 1
}

/** characters a line may not start with: Word and WPS push the character before them down too */
const NO_START = new Set('，。、；：！？）》」』”’〕】…—·%,.;:!?)]}'.split('').map((c) => c.charCodeAt(0)))

/**
 * Word, WPS and LibreOffice put about a fifth of an em between Chinese text and Latin letters or digits
 * (autospace; the program's styles turn it off, but not every reader honours that): each change
 * between the two counts that much.
 */
const AUTOSPACE = 0.2
/** no measure here gives a text more than this many em a character (1 em, and a script change after it) */
export const MAX_EM_PER_CHAR = 1 + AUTOSPACE
const isLatinWord = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
const isCjk = (c: number) => c >= 0x2e80

function autospaces(s: string): number {
  let n = 0
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1)
    const b = s.charCodeAt(i)
    if ((isLatinWord(a) && isCjk(b)) || (isCjk(a) && isLatinWord(b))) n++
  }
  return n * AUTOSPACE
}

export function lineCount(text: string, widthTwip: number, sizePt: number, firstLineIndentEm = 0): number {
  const full = (widthTwip / (sizePt * 20)) * 0.98
  // a character is at most 1 em and each change of script adds AUTOSPACE: a text this short fits
  // one line whatever it holds (most cells of a register; the loop below would say the same)
  if (firstLineIndentEm === 0 && text.length * MAX_EM_PER_CHAR <= full && !text.includes('\n')) return 1
  const cap = Math.max(1, Math.floor(full))
  let lines = 0
  text.split('\n').forEach((para, n) => {
    const indent = n === 0 ? firstLineIndentEm : 0
    let total = indent
    for (let i = 0; i < para.length; i++) total += em(para.charCodeAt(i))
    lines++
    if (total + autospaces(para) <= full) return
    let used = indent
    let prev = 0
    let i = 0
    while (i < para.length) {
      const c = para.charCodeAt(i)
      // a run of Latin letters/digits is one unbreakable word (unless longer than a whole line)
      if (c > 0x20 && c < 0x80 && !NO_START.has(c)) {
        let j = i
        while (j < para.length && para.charCodeAt(j) > 0x20 && para.charCodeAt(j) < 0x80) j++
        let w = i > 0 && isCjk(para.charCodeAt(i - 1)) ? AUTOSPACE : 0
        for (let k = i; k < j; k++) w += latin(para.charCodeAt(k))
        if (w <= cap) {
          if (used + w > cap) {
            lines++
            used = 0
          }
          used += w
          prev = w
          i = j
          continue
        }
      }
      let w = em(c)
      // the gap after a Latin word or digit run that Chinese text follows
      if (i > 0 && isCjk(c) && isLatinWord(para.charCodeAt(i - 1))) w += AUTOSPACE
      if (used + w > cap) {
        lines++
        // a closing mark cannot start the line: the character before it comes down with it
        used = NO_START.has(c) ? prev : 0
      }
      used += w
      prev = w
      i++
    }
  })
  return lines
}

/**
 * Advance widths in em of a wide Latin face (DejaVu Serif and the like, what a PC without Times New
 * Roman draws digits in): columns are sized so a figure stays on one line even there.
 */
function wideLatin(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return 0.64 // digits
  if (ch >= 0x41 && ch <= 0x5a) return 0.8 // A–Z
  if (ch >= 0x61 && ch <= 0x7a) return 0.64 // a–z
  if (ch === 0x25) return 0.96 // %
  if (ch === 0x2e || ch === 0x2c || ch === 0x3a || ch === 0x3b || ch === 0x20) return 0.34 // . , : ; space
  if (ch === 0x2f || ch === 0x28 || ch === 0x29 || ch === 0x2d) return 0.42 // / ( ) -
  return 0.7
}

/** a run a reader expects on one line: a date, a number with its unit, sign and counts (≥20%, 0.5%（2/441）), an ID or phone number, a code */
const FIGURE = /\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}年|[≥≤<>=＝]?[-+]?[0-9][0-9A-Za-z.,:%‰/*~-]*(?:（[0-9/]+）)?|[A-Za-z*][0-9A-Za-z.*-]*/g
const HAS_FIGURE = /[0-9A-Za-z*]/

/** The widest figure in a text, in em of the wide face (0 when it has none). */
export function widestFigureEm(text: string): number {
  if (!HAS_FIGURE.test(text)) return 0
  let max = 0
  // exec on the one regex, not matchAll (which copies the regex on every call: a cell at a time, that showed)
  FIGURE.lastIndex = 0
  for (let m = FIGURE.exec(text); m; m = FIGURE.exec(text)) {
    const s = m[0]
    let w = autospaces(s)
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      w += c < 0x80 ? wideLatin(c) : 1
    }
    if (w > max) max = w
  }
  return max
}

/** The widest line of a text in em of the wide face: a cell whose lines must never wrap (案件编号). */
export function widestLineEm(text: string): number {
  let max = 0
  for (const line of text.split('\n')) {
    let w = autospaces(line)
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i)
      w += c < 0x80 ? wideLatin(c) : 1
    }
    if (w > max) max = w
  }
  return max
}

/** The widest line of a text in em as the program measures (Times New Roman's widths, rounded up). */
export function lineEm(text: string): number {
  let max = 0
  for (const line of text.split('\n')) {
    let w = autospaces(line)
    for (let i = 0; i < line.length; i++) w += em(line.charCodeAt(i))
    if (w > max) max = w
  }
  return max
}
