import { createCipheriv, createHmac, randomBytes, scrypt, timingSafeEqual, type CipherGCM } from 'node:crypto'
import type { GcmParams } from './reader'

/**
 * Package encryption: AES-256-GCM with a key from scrypt. The passphrase is never stored; the manifest
 * carries salt, iv, the GCM tag and a short key check, so a wrong passphrase is told apart from a
 * tampered file before a byte is decrypted.
 *
 * The scrypt cost is part of the format (SCRYPT): a package asking for any other cost is refused before
 * any key is derived, so a crafted file cannot make the program spend seconds and gigabytes. Keys are
 * derived with the asynchronous crypto.scrypt, on libuv's thread pool, so the window and browser mode
 * keep answering meanwhile.
 */
export interface EncryptionParams {
  cipher: 'aes-256-gcm'
  kdf: 'scrypt'
  N: number
  r: number
  p: number
  salt: string
  iv: string
  tag: string
  check: string
}

/** the one scrypt cost of package format 2 (about 32 MiB and a tenth of a second) */
export const SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const

export function isFormatScrypt(e: { N: number; r: number; p: number }): boolean {
  return e.N === SCRYPT.N && e.r === SCRYPT.r && e.p === SCRYPT.p
}

/** The AES key for a passphrase and salt, with the format's scrypt cost. */
export function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { ...SCRYPT, maxmem: 256 * SCRYPT.N * SCRYPT.r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

export function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('pingan-package-key-check').digest('base64url').slice(0, 22)
}

export function keyMatches(key: Buffer, check: string): boolean {
  const a = Buffer.from(keyCheck(key))
  const b = Buffer.from(check)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** A derived key with its salt, made before the export's synchronous part starts. */
export interface SealKey {
  key: Buffer
  salt: Buffer
}

export async function sealKey(passphrase: string): Promise<SealKey> {
  const salt = randomBytes(16)
  return { key: await deriveKey(passphrase, salt), salt }
}

export interface Sealer {
  cipher: CipherGCM
  key: Buffer
  salt: Buffer
  iv: Buffer
}

/** The encryption fields known before the payload is written (everything but the tag). */
export function sealHead(k: SealKey, iv: Buffer): Omit<EncryptionParams, 'tag'> {
  return { cipher: 'aes-256-gcm', kdf: 'scrypt', ...SCRYPT, salt: k.salt.toString('base64'), iv: iv.toString('base64'), check: keyCheck(k.key) }
}

export function newSealer(k: SealKey, iv: Buffer, aad: Buffer): Sealer {
  const cipher = createCipheriv('aes-256-gcm', k.key, iv)
  cipher.setAAD(aad)
  return { cipher, key: k.key, salt: k.salt, iv }
}

/** What a reader needs to decrypt and authenticate a payload (the decipher is made where it is read). */
export function gcmParams(key: Buffer, enc: EncryptionParams, aad: Buffer): GcmParams {
  return { key, iv: Buffer.from(enc.iv, 'base64'), tag: Buffer.from(enc.tag, 'base64'), aad }
}
