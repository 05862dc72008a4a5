import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { join } from 'node:path'
import { ApiError } from '../../shared/errors'
import { FILE_MODE, makePrivate, privateDir } from '../fs/private'

/**
 * The installation's own Ed25519 key pair (DESIGN §6): every package it writes is signed with it, and
 * the receiving side pins the key at the first package it accepts. The private key lives in a file of
 * the data folder, readable by the clerk's account only, and never in the database: backups and
 * packages carry the database, and a stolen backup must not let anyone sign as the township. A data
 * folder restored onto a new PC therefore gets a new key, which the county confirms as a re-keying.
 */
export const KEY_FILE = 'signing-key.pem'

export interface SigningKey {
  privateKey: KeyObject
  /** the raw 32-byte public key, base64url: what a package carries */
  publicKey: string
  fingerprint: string
}

/** The raw public key of an Ed25519 KeyObject, base64url (43 characters). */
function rawPublic(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x?: string }
  if (!jwk.x) throw new Error('not an Ed25519 key')
  return jwk.x
}

/** A public key carried by a package (raw, base64url) as a KeyObject; null when it is not one. */
export function publicKeyOf(raw: string): KeyObject | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(raw)) return null
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' })
  } catch {
    return null
  }
}

/**
 * What a clerk compares on the phone with the township: SHA-256 of the raw public key, the first
 * 128 bits as eight groups of four hex digits.
 */
export function fingerprintOf(publicKey: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').toUpperCase()
  return (hex.slice(0, 32).match(/.{4}/g) ?? []).join(' ')
}

function fromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey({ key: pem, format: 'pem' })
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key')
  const publicKey = rawPublic(createPublicKey(privateKey))
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey) }
}

/** The key of this data folder, or null when none was made yet. Throws when the file is unreadable. */
export function readSigningKey(dataDir: string): SigningKey | null {
  const file = join(dataDir, KEY_FILE)
  let pem: string
  try {
    pem = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new ApiError('conflict', `读不到本机的数据包签名密钥文件（${KEY_FILE}），请检查数据文件夹的权限`)
  }
  return fromPem(pem)
}

function writeKeyFile(file: string, pem: string): void {
  // written beside, flushed, then renamed: a crash never leaves a half-written key under the real name
  const part = `${file}.part`
  const fd = openSync(part, 'w', FILE_MODE)
  try {
    writeSync(fd, pem)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  makePrivate(part)
  renameSync(part, file)
}

/**
 * The key of this data folder, made on first use (at set-up, or at the first export of a database set
 * up before packages were signed). A key file that cannot be read as a key is kept aside, not
 * overwritten, and a new key is made: the county then sees a re-keying and its clerk confirms it.
 */
export function ensureSigningKey(dataDir: string): SigningKey {
  privateDir(dataDir)
  const file = join(dataDir, KEY_FILE)
  try {
    const key = readSigningKey(dataDir)
    if (key) {
      makePrivate(file)
      return key
    }
  } catch (e) {
    if (e instanceof ApiError) throw e
    renameSync(file, `${file}.damaged-${Date.now()}`)
  }
  rmSync(`${file}.part`, { force: true })
  const { privateKey } = generateKeyPairSync('ed25519')
  writeKeyFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())
  const key = readSigningKey(dataDir)
  if (!key) throw new Error('signing key not written')
  return key
}

/** Ed25519 signature of a message (the package's head). */
export function signWith(key: SigningKey, message: Buffer): Buffer {
  return sign(null, message, key.privateKey)
}

export function verifyWith(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, message, publicKey, signature)
  } catch {
    return false
  }
}
