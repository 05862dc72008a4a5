// Draws the program's emblem (a blue shield with a white 安 and a gold rim) and writes the icons the
// packages use: resources/icons/png/NxN.png (16…1024, Linux and the window) and resources/icons/icon.ico
// (Windows: exe, installer, shortcuts). No image library: shapes are sampled on a fine grid per pixel
// (anti-aliasing), PNG is zlib + CRC32, and an .ico is a small directory of images.
// Run `node scripts/make-icons.mjs` after changing the drawing; the output is committed.
/* global process, console, Buffer */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'

const OUT = join(import.meta.dirname, '..', 'resources', 'icons')
const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]

// ---- the drawing, in a 0..1 square -------------------------------------------------------------

/** The shield's outline: flat-ish top with a raised centre, straight sides, curved to a point. */
function shieldOutline(inset) {
  const pts = []
  const curve = (p0, p1, p2, n) => {
    for (let i = 1; i <= n; i++) {
      const t = i / n
      const a = (1 - t) * (1 - t)
      const b = 2 * (1 - t) * t
      const c = t * t
      pts.push([a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1]])
    }
  }
  const L = 0.1 + inset
  const R = 0.9 - inset
  const top = 0.1 + inset
  const dip = 0.05 + inset * 1.1
  pts.push([0.5, dip])
  curve([0.5, dip], [0.7, 0.12 + inset * 0.6], [R, top + 0.01], 16)
  pts.push([R, 0.52])
  curve([R, 0.52], [R - 0.02, 0.8 - inset * 0.4], [0.5, 0.96 - inset * 1.4], 24)
  curve([0.5, 0.96 - inset * 1.4], [L + 0.02, 0.8 - inset * 0.4], [L, 0.52], 24)
  pts.push([L, top + 0.01])
  curve([L, top + 0.01], [0.3, 0.12 + inset * 0.6], [0.5, dip], 16)
  return pts
}

/**
 * 安: 宀 (dot, left drop, top bar with a hook) over 女 (く-stroke, long sweep, cross bar). Each stroke
 * is a polyline drawn with round ends; a glyph built from strokes stays crisp at any size.
 */
const AN = [
  [[0.5, 0.02], [0.54, 0.12]],
  [[0.1, 0.23], [0.08, 0.37]],
  [[0.1, 0.23], [0.9, 0.23], [0.86, 0.35]],
  [[0.47, 0.37], [0.27, 0.7], [0.84, 0.98]],
  [[0.7, 0.45], [0.6, 0.74], [0.14, 0.98]],
  [[0.04, 0.62], [0.96, 0.62]],
]

const BLUE_TOP = [38, 92, 178]
const BLUE_BOTTOM = [20, 56, 122]
const GOLD = [242, 192, 78]
const WHITE = [255, 255, 255]

/** Scanline spans of a polygon at height y (even-odd rule). */
function spans(poly, y) {
  const xs = []
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [x1, y1] = poly[i]
    const [x2, y2] = poly[j]
    if (y1 > y !== y2 > y) xs.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1))
  }
  return xs.sort((a, b) => a - b)
}
const inSpans = (xs, x) => {
  let inside = false
  for (const v of xs) {
    if (x < v) break
    inside = !inside
  }
  return inside
}

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy))
}

/** RGBA pixels of the emblem at size×size. */
function render(size) {
  // small icons: a larger glyph with strokes about one pixel wide, snapped to whole pixels, and no
  // rim, so 安 stays readable at 16 px instead of turning into a grey blur
  const small = size <= 32
  const crisp = size <= 24
  const stroke = crisp ? 1.15 / size : small ? 1.7 / size : 0.062
  const rim = size < 48 ? 0 : 0.035
  const sub = size <= 64 ? 8 : size <= 256 ? 4 : 3
  const gx = small ? (x) => 0.15 + x * 0.7 : (x) => 0.2 + x * 0.6
  const gy = small ? (y) => 0.13 + y * 0.66 : (y) => 0.17 + y * 0.6
  const segs = AN.flatMap((line) => line.slice(1).map((p, i) => [[gx(line[i][0]), gy(line[i][1])], [gx(p[0]), gy(p[1])]]))
  const outer = shieldOutline(size < 48 ? -0.05 : 0)
  const inner = rim ? shieldOutline(rim) : outer
  const px = Buffer.alloc(size * size * 4)
  for (let y = 0; y < size; y++) {
    const rows = []
    for (let sy = 0; sy < sub; sy++) {
      const v = (y + (sy + 0.5) / sub) / size
      rows.push({ v, outer: spans(outer, v), inner: spans(inner, v), segs: segs.filter(([a, b]) => v > Math.min(a[1], b[1]) - stroke && v < Math.max(a[1], b[1]) + stroke) })
    }
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0]
      const under = [0, 0, 0]
      let inside = 0
      let glyph = 0
      for (const row of rows) {
        for (let sx = 0; sx < sub; sx++) {
          const u = (x + (sx + 0.5) / sub) / size
          if (!inSpans(row.outer, u)) continue
          inside++
          let c
          const t = Math.min(1, Math.max(0, (row.v - 0.05) / 0.9))
          const ground = inSpans(row.inner, u) ? BLUE_TOP.map((k, i) => k + (BLUE_BOTTOM[i] - k) * t) : GOLD
          if (row.segs.some(([p, q]) => distToSegment(u, row.v, p, q) <= stroke / 2)) {
            c = WHITE
            glyph++
          } else c = ground
          for (let i = 0; i < 3; i++) {
            sum[i] += c[i]
            under[i] += ground[i]
          }
        }
      }
      if (!inside) continue
      const o = (y * size + x) * 4
      // the smallest sizes: a pixel is either glyph or ground (crisp strokes); large ones blend (smooth edges)
      const color = !crisp ? sum : glyph / inside >= 0.38 ? WHITE.map((k) => k * inside) : under
      for (let i = 0; i < 3; i++) px[o + i] = Math.round(color[i] / inside)
      px[o + 3] = Math.round((inside / (sub * sub)) * 255)
    }
  }
  return px
}

// ---- file formats ---------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}

/** A classic icon image (BITMAPINFOHEADER, BGRA bottom-up, AND mask): what every Windows tool reads. */
function dib(size, rgba) {
  const header = Buffer.alloc(40)
  header.writeUInt32LE(40, 0)
  header.writeInt32LE(size, 4)
  header.writeInt32LE(size * 2, 8) // XOR image + AND mask
  header.writeUInt16LE(1, 12)
  header.writeUInt16LE(32, 14)
  const pixels = Buffer.alloc(size * size * 4)
  const maskRow = Math.ceil(size / 32) * 4
  const mask = Buffer.alloc(maskRow * size)
  for (let y = 0; y < size; y++) {
    const dst = size - 1 - y
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 4
      const d = (dst * size + x) * 4
      pixels[d] = rgba[s + 2]
      pixels[d + 1] = rgba[s + 1]
      pixels[d + 2] = rgba[s]
      pixels[d + 3] = rgba[s + 3]
      if (rgba[s + 3] === 0) mask[dst * maskRow + (x >> 3)] |= 0x80 >> (x & 7)
    }
  }
  return Buffer.concat([header, pixels, mask])
}

/** .ico: the 256 px image as PNG (Windows Vista and later), the smaller ones as classic bitmaps. */
function ico(images) {
  const head = Buffer.alloc(6 + images.length * 16)
  head.writeUInt16LE(1, 2)
  head.writeUInt16LE(images.length, 4)
  let offset = head.length
  images.forEach(({ size, data }, i) => {
    const e = 6 + i * 16
    head[e] = size >= 256 ? 0 : size
    head[e + 1] = size >= 256 ? 0 : size
    head.writeUInt16LE(1, e + 4)
    head.writeUInt16LE(32, e + 6)
    head.writeUInt32LE(data.length, e + 8)
    head.writeUInt32LE(offset, e + 12)
    offset += data.length
  })
  return Buffer.concat([head, ...images.map((i) => i.data)])
}

// ---- main -----------------------------------------------------------------------------------------

mkdirSync(join(OUT, 'png'), { recursive: true })
const rendered = new Map()
for (const size of [...new Set([...PNG_SIZES, ...ICO_SIZES])]) rendered.set(size, render(size))
for (const size of PNG_SIZES) writeFileSync(join(OUT, 'png', `${size}x${size}.png`), png(size, rendered.get(size)))
const icoImages = ICO_SIZES.map((size) => ({ size, data: size >= 256 ? png(size, rendered.get(size)) : dib(size, rendered.get(size)) }))
writeFileSync(join(OUT, 'icon.ico'), ico(icoImages))
console.log(`图标已写入 ${OUT}：png/${PNG_SIZES.join('、')} 像素，icon.ico（${ICO_SIZES.join('、')}）`)
process.exitCode = 0
