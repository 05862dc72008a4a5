import { createCipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual, type CipherGCM } from 'node:crypto'
import type { GcmParams } from './reader'

/**
 * Package encryption: AES-256-GCM with a key from scrypt. The passphrase is never stored; the manifest
 * carries salt, iv, the GCM tag and a short key check, so a wrong passphrase is told apart from a
 * tampered file before a byte is decrypted.
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

export const SCRYPT_DEFAULTS = { N: 1 << 15, r: 8, p: 1 }
/** bounds on what a manifest may ask for, so a crafted file cannot make the program spend minutes or gigabytes */
export const SCRYPT_LIMITS = { N: 1 << 20, r: 16, p: 4 }

export function deriveKey(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number } = SCRYPT_DEFAULTS): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 })
}

export function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('pingan-package-key-check').digest('base64url').slice(0, 22)
}

export function keyMatches(key: Buffer, check: string): boolean {
  const a = Buffer.from(keyCheck(key))
  const b = Buffer.from(check)
  return a.length === b.length && timingSafeEqual(a, b)
}

export interface Sealer {
  cipher: CipherGCM
  key: Buffer
  salt: Buffer
  iv: Buffer
}

export function newSealer(passphrase: string, aad: Buffer): Sealer {
  const salt = randomBytes(16)
  const iv = randomBytes(12)
  const key = deriveKey(passphrase, salt)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aad)
  return { cipher, key, salt, iv }
}

export function sealParams(s: Sealer): EncryptionParams {
  return {
    cipher: 'aes-256-gcm',
    kdf: 'scrypt',
    ...SCRYPT_DEFAULTS,
    salt: s.salt.toString('base64'),
    iv: s.iv.toString('base64'),
    tag: s.cipher.getAuthTag().toString('base64'),
    check: keyCheck(s.key),
  }
}

/** What a reader needs to decrypt and authenticate a payload (the decipher is made where it is read). */
export function gcmParams(key: Buffer, enc: EncryptionParams, aad: Buffer): GcmParams {
  return { key, iv: Buffer.from(enc.iv, 'base64'), tag: Buffer.from(enc.tag, 'base64'), aad }
}
