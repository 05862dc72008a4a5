/** Table shapes of migration 004 (handoff). */
export interface HandoffExportsTable {
  packageId: string
  kind: 'data' | 'standards'
  seq: number
  full: number
  since: string | null
  highWater: string | null
  fileName: string
  file: string
  rows: number
  /** JSON { table: rows } */
  counts: string
  bytes: number
  sha256: string
  encrypted: number
  exportedAt: string
}

export interface HandoffImportsTable {
  packageId: string
  kind: 'data' | 'standards'
  township: string
  townshipName: string
  seq: number
  full: number
  createdAt: string
  importedAt: string
  fileName: string
  sha256: string
  rows: number
  counts: string
}

export interface TownshipsTable {
  code: string
  name: string
  lastSeq: number
  lastPackageAt: string | null
  lastImportedAt: string | null
  packages: number
}
