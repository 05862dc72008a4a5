/** UUIDv7: time-ordered, made where the record is born, so packages from many townships merge without clashes. */

// getRandomValues costs microseconds per call whatever the size; bulk work (demo data, imports) makes
// ids by the million, so random bytes are drawn 4 KiB at a time.
const POOL = 4096
const pool = new Uint8Array(POOL)
let used = POOL

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function uuidv7(now: number = Date.now()): string {
  if (used + 10 > POOL) {
    globalThis.crypto.getRandomValues(pool)
    used = 0
  }
  const b = new Array<number>(16)
  let ms = now
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  for (let i = 6; i < 16; i++) b[i] = pool[used++]!
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.map((x) => HEX[x]!)
  return `${h[0]}${h[1]}${h[2]}${h[3]}-${h[4]}${h[5]}-${h[6]}${h[7]}-${h[8]}${h[9]}-${h[10]}${h[11]}${h[12]}${h[13]}${h[14]}${h[15]}`
}
