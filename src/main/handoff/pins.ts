import type { PackageItem, RekeyInfo } from '../../shared/handoff/schema'
import { uuidv7 } from '../../shared/uuid'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { requireTownship } from '../org/township'
import { operatorName } from '../settings/store'
import { PackageError, type Manifest } from './format'
import { fingerprintOf } from './signing'

/**
 * The receiving side's memory of who signs for whom (trust on first use): the first package accepted
 * from a sender pins its public key; a later package signed by another key is refused unless the
 * receiving clerk confirms a re-keying (the sender's new PC), which replaces the pin and is written to
 * the audit trail. Pins are written inside the import's transaction, so a preview leaves none.
 */
interface Pin {
  sender: string
  name: string
  publicKey: string
  fingerprint: string
}

export function pinOf(ctx: Ctx, sender: string): Pin | undefined {
  return prepared(ctx.db, 'SELECT sender, name, publicKey, fingerprint FROM package_keys WHERE sender = ?').get(sender) as Pin | undefined
}

/** What a package's key means at this receiver: first of its sender, the pinned one, or another. */
export function keyStatus(ctx: Ctx, m: Manifest): { kind: 'first' } | { kind: 'pinned' } | { kind: 'other'; rekey: RekeyInfo } {
  const pin = pinOf(ctx, m.township.code)
  if (!pin) return { kind: 'first' }
  if (pin.publicKey === m.signer.publicKey) return { kind: 'pinned' }
  return {
    kind: 'other',
    rekey: { township: m.township.code, townshipName: m.township.name, oldKeyFingerprint: pin.fingerprint, newKeyFingerprint: fingerprintOf(m.signer.publicKey) },
  }
}

/** Pins (or, confirmed, re-pins) the key of a package's sender. */
export function pinKey(ctx: Ctx, m: Manifest, at: string): void {
  prepared(
    ctx.db,
    `INSERT INTO package_keys (sender, name, publicKey, fingerprint, pinnedAt, packageId) VALUES (?,?,?,?,?,?)
     ON CONFLICT(sender) DO UPDATE SET name = excluded.name, publicKey = excluded.publicKey, fingerprint = excluded.fingerprint,
       pinnedAt = excluded.pinnedAt, packageId = excluded.packageId`,
  ).run(m.township.code, m.township.name, m.signer.publicKey, fingerprintOf(m.signer.publicKey), at, m.packageId)
}

/** A confirmed re-keying: the new pin and an audit entry saying who confirmed which change. */
export function rekey(ctx: Ctx, m: Manifest, info: RekeyInfo, at: string): void {
  pinKey(ctx, m, at)
  const changes = {
    乡镇街道: [null, `${info.townshipName}（${info.township}）`],
    签名密钥指纹: [info.oldKeyFingerprint, info.newKeyFingerprint],
    说明: [null, '导入数据包时确认该乡镇已更换电脑（重新登记密钥）'],
  }
  prepared(ctx.db, 'INSERT INTO audit (id, at, operator, township, tableName, recordId, action, changes) VALUES (?,?,?,?,?,?,?,?)').run(
    uuidv7(),
    at,
    operatorName(ctx),
    requireTownship(ctx).code,
    'package_keys',
    info.township,
    'update',
    JSON.stringify(changes),
  )
}

/** Why a package signed by a new key waits for the clerk, with both fingerprints to compare on the phone. */
export function rekeyText(r: RekeyInfo, kind: PackageItem['kind']): string {
  const who = `${r.townshipName}（${r.township}）`
  return `${who}这次的数据包用新的签名密钥签名（县里登记的指纹 ${r.oldKeyFingerprint}，新指纹 ${r.newKeyFingerprint}）。${
    kind === 'standards' ? '如果县（区）确已更换电脑' : '如果该乡镇（街道）确已更换电脑'
  }或重装了平安台账，请先电话核对新指纹，再勾选“确认该乡镇已更换电脑（重新登记密钥）”后导入；否则这个数据包可能是伪造的，不要导入`
}

/**
 * A package's key against the pin of its sender, inside the import's transaction: the first package
 * pins it; another key is taken only when the clerk confirmed the re-keying (in a preview it is taken,
 * rolled back with the rest, so the counts show what the confirmed import would do).
 */
export function trustKey(
  ctx: Ctx,
  m: Manifest,
  item: PackageItem,
  o: { confirmRekey?: boolean; commit: boolean },
  at: string,
  rekeys: Map<string, RekeyInfo>,
): void {
  const k = keyStatus(ctx, m)
  if (k.kind === 'pinned') return
  if (k.kind === 'first') return pinKey(ctx, m, at)
  item.rekey = k.rekey
  rekeys.set(m.township.code, k.rekey)
  if (!o.confirmRekey) {
    if (o.commit) throw new PackageError('conflict', rekeyText(k.rekey, m.kind), 'confirmRekey')
    item.problems.push(`签名密钥与登记的不同（新指纹 ${k.rekey.newKeyFingerprint}），导入前须确认该乡镇已更换电脑（重新登记密钥）`)
  }
  rekey(ctx, m, k.rekey, at)
}
