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

export function lineCount(text: string, widthTwip: number, sizePt: number, firstLineIndentEm = 0): number {
  const full = (widthTwip / (sizePt * 20)) * 0.98
  const cap = Math.max(1, Math.floor(full))
  let lines = 0
  text.split('\n').forEach((para, n) => {
    const indent = n === 0 ? firstLineIndentEm : 0
    let total = indent
    for (let i = 0; i < para.length; i++) total += em(para.charCodeAt(i))
    lines++
    if (total <= full) return
    let used = indent
    let prev = 0
    let i = 0
    while (i < para.length) {
      const c = para.charCodeAt(i)
      // a run of Latin letters/digits is one unbreakable word (unless longer than a whole line)
      if (c > 0x20 && c < 0x80 && !NO_START.has(c)) {
        let j = i
        while (j < para.length && para.charCodeAt(j) > 0x20 && para.charCodeAt(j) < 0x80) j++
        let w = 0
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
      const w = em(c)
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
