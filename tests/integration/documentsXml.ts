import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import JSZip from 'jszip'

/**
 * Reading the Word files the program writes, as the tests need them: the parts of the package, the
 * text, and tables with their nesting (a register's last rows and its 填表人 line are one row holding
 * a table of those rows), and LibreOffice renders to PDF pages.
 */
export interface Docx {
  xml: string
  footers: string[]
  settings: string
  styles: string
}

export async function openDocx(buf: Buffer): Promise<Docx> {
  const zip = await JSZip.loadAsync(buf)
  const xml = await zip.file('word/document.xml')!.async('string')
  const footers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/footer\d*\.xml$/.test(n)).map((n) => zip.file(n)!.async('string')))
  const settings = await zip.file('word/settings.xml')!.async('string')
  const styles = await zip.file('word/styles.xml')!.async('string')
  return { xml, footers, settings, styles }
}

export const unesc = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
/** the document's text, runs joined, line breaks as \n */
export const textOf = (x: string) => unesc([...x.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)].map((m) => m[1] ?? '\n').join(''))

/** the top-level elements `tag` directly inside `xml` (nested ones stay inside their parent) */
function topLevel(xml: string, tag: 'w:tbl' | 'w:tr' | 'w:tc'): string[] {
  const open = new RegExp(`<${tag}>|<${tag} |</${tag}>`, 'g')
  const out: string[] = []
  let depth = 0
  let start = -1
  for (const m of xml.matchAll(open)) {
    if (m[0].startsWith('</')) {
      depth--
      if (depth === 0) out.push(xml.slice(start, m.index! + m[0].length))
    } else {
      if (depth === 0) start = m.index!
      depth++
    }
  }
  return out
}

/** the body's tables, each whole with any table nested in it */
export const tables = (xml: string) => topLevel(xml, 'w:tbl')
/** a table's own rows */
export const rowsOf = (tbl: string) => topLevel(tbl.slice(tbl.indexOf('>') + 1, tbl.lastIndexOf('</w:tbl>')), 'w:tr')
/** a row's own cells, as text */
export const cellsXml = (tr: string) => topLevel(tr.slice(tr.indexOf('>') + 1, tr.lastIndexOf('</w:tr>')), 'w:tc')
export const cells = (tr: string) => cellsXml(tr).map(textOf)

/** a table's data rows as cell texts: the header left out, the closing row's nested rows in their place */
export function dataRows(tbl: string): string[][] {
  return rowsOf(tbl).flatMap((r) => {
    if (r.includes('<w:tblHeader/>')) return []
    const [only] = cellsXml(r)
    const nested = only && cellsXml(r).length === 1 ? tables(only.slice(only.indexOf('>') + 1)) : []
    return nested.length ? nested.flatMap(dataRows) : [cells(r)]
  })
}

/** the closing line under a table (填表人…), if it has one */
export function closingText(tbl: string): string | null {
  const rows = rowsOf(tbl)
  const last = rows[rows.length - 1]
  const only = last ? cellsXml(last) : []
  if (only.length !== 1 || !only[0]!.includes('<w:tbl>')) return null
  const inner = only[0]!
  return textOf(inner.slice(inner.lastIndexOf('</w:tbl>')))
}

/** data rows of every table */
export const bodyRows = (xml: string) => tables(xml).flatMap(dataRows)

/** the header row's cells of a table */
export const headerOf = (tbl: string) => cells(rowsOf(tbl).find((r) => r.includes('<w:tblHeader/>'))!)

// ---------------------------------------------------------------------------------------------
// LibreOffice

export const hasSoffice = (() => {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore' })
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/**
 * Times New Roman's metrics are on this machine (the font itself, or Liberation Serif, metric-equal
 * to it: Debian's fonts-liberation): the render then is a standard PC's, and its pages the program's.
 */
export const hasTimesMetrics = (() => {
  try {
    return /Liberation Serif|Times New Roman/i.test(execFileSync('fc-match', ['Times New Roman'], { encoding: 'utf8' }))
  } catch {
    return false
  }
})()

/**
 * A fontconfig that stands for a PC without Times New Roman: the metric-compatible Liberation fonts
 * hidden (or LibreOffice puts them back by its own substitution table) and Times New Roman drawn in
 * the wider DejaVu Serif.
 */
function wideFonts(dir: string): string {
  const file = join(dir, 'fonts.conf')
  writeFileSync(
    file,
    `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<selectfont><rejectfont><glob>*/Liberation*</glob></rejectfont></selectfont>
<match target="pattern"><test name="family"><string>Times New Roman</string></test>
<edit name="family" mode="assign" binding="strong"><string>DejaVu Serif</string></edit></match></fontconfig>`,
  )
  return file
}

export interface PdfPage {
  width: number
  height: number
  /** the page's text, line by line as laid out */
  text: string
  /** words with their boxes (points, from the top left) */
  words: { xMin: number; yMin: number; xMax: number; yMax: number; text: string }[]
}

/** Renders a .docx with LibreOffice to PDF and reads its pages. `wide`: as a PC without Times New Roman would. */
export function renderPdf(buf: Buffer, opts: { wide?: boolean } = {}): PdfPage[] {
  return renderPdfs([buf], opts)[0]!
}

/** Several files in one LibreOffice run (it starts once): each file's pages. */
export function renderPdfs(bufs: Buffer[], opts: { wide?: boolean } = {}): PdfPage[][] {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-pdf-'))
  try {
    const files = bufs.map((b, i) => {
      const f = join(dir, `doc${i}.docx`)
      writeFileSync(f, b)
      return f
    })
    const env = { ...process.env, ...(opts.wide ? { FONTCONFIG_FILE: wideFonts(dir) } : {}) }
    execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...files], { stdio: 'ignore', timeout: 600_000, env })
    return files.map((f) => readPdf(f.replace(/\.docx$/, '.pdf')))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function readPdf(pdf: string): PdfPage[] {
  const layoutText = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\f')
  const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 })
  const pages: PdfPage[] = []
  let i = 0
  for (const m of bbox.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words = [...m[3]!.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)].map((w) => ({
      xMin: Number(w[1]),
      yMin: Number(w[2]),
      xMax: Number(w[3]),
      yMax: Number(w[4]),
      text: unesc(w[5]!),
    }))
    pages.push({ width: Number(m[1]), height: Number(m[2]), text: layoutText[i] ?? '', words })
    i++
  }
  return pages
}

/** the page number printed in the footer ("— N —"), or null */
export function footerNumber(p: PdfPage): number | null {
  const m = /—\s*(\d+)\s*—/.exec(p.text)
  return m ? Number(m[1]) : null
}

/** mm of the page's top and bottom margins by orientation: register pages (landscape) 20/20, 公文 pages 37/35 */
export function bodyFill(p: PdfPage): number {
  const landscape = p.width > p.height
  const top = ((landscape ? 20 : 37) * 72) / 25.4
  const bottom = p.height - ((landscape ? 20 : 35) * 72) / 25.4
  const inBody = p.words.filter((w) => w.yMax <= bottom + 2)
  const lowest = Math.max(top, ...inBody.map((w) => w.yMax))
  return (lowest - top) / (bottom - top)
}

/** the page's body text without the footer's page number, lines trimmed, blank lines dropped */
export function bodyLines(p: PdfPage): string[] {
  return p.text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^—\s*\d+\s*—$/.test(l))
}
