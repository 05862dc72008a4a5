/**
 * UTF-8 written straight into buffers of about CHUNK_BYTES, each handed on when full (and never
 * reused: the deflater holds it). Text is encoded as it comes; the fixed markup of a register's cells
 * is encoded once and copied (`bytes`). Writing many short pieces this way costs a fraction of joining
 * them into one long string, which V8 must flatten before encoding it (issue 15.5).
 */
const CHUNK_BYTES = 256 * 1024

export class ByteSink {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES)
  private off = 0
  private ready: Buffer[] = []

  private room(most: number): void {
    if (most <= this.buf.length - this.off) return
    if (this.off > 0) this.ready.push(this.buf.subarray(0, this.off))
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, most))
    this.off = 0
  }

  /** text as UTF-8 */
  str(s: string): void {
    // a UTF-16 code unit is at most 3 bytes of UTF-8
    this.room(s.length * 3)
    this.off += this.buf.write(s, this.off, 'utf8')
  }

  /** bytes already encoded */
  bytes(b: Uint8Array): void {
    this.room(b.length)
    this.buf.set(b, this.off)
    this.off += b.length
  }

  /** the buffers filled so far */
  take(): Buffer[] {
    const out = this.ready
    this.ready = []
    return out
  }

  /** every buffer, the last one too */
  end(): Buffer[] {
    if (this.off > 0) this.ready.push(this.buf.subarray(0, this.off))
    this.buf = Buffer.allocUnsafe(0)
    this.off = 0
    return this.take()
  }
}
