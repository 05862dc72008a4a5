import { cellText, isBlank } from '../../shared/excel/cells'
import { importColumns, type ExcelRegister } from '../../shared/excel/columns'
import type { SheetRow } from './reader'

/**
 * Old ledgers as villages keep them: a 调委会's own ledger has no 村（社区） column, its village is in
 * the title (黄土岭村人民调解委员会矛盾纠纷排查调处登记台账（2024年度）). The wizard proposes that
 * village and the clerk picks one for all rows (CLI: --village NAME); the import then reads the
 * sheet as if every record row had that village in one more column.
 */

/** The register's village column (its import key), if it has one. */
export function villageKey(register: ExcelRegister): string | undefined {
  return importColumns(register).find((c) => c.kind === 'village')?.key
}

/** The village the rows above the header name: a known village first (longest name), else a 村/社区 before 调委会 and the like. */
export function villageFromTitle(rows: SheetRow[], headerRow: number, known: readonly string[]): string | null {
  const text = rows
    .filter((r) => r.row < headerRow)
    .flatMap((r) => r.cells.map(cellText))
    .join(' ')
  if (!text.trim()) return null
  const hit = [...known].sort((a, b) => b.length - a.length).find((n) => text.includes(n))
  if (hit) return hit
  const m = /([\u4e00-\u9fff]{1,12}?(?:村|社区))(?:人民调解委员会|调解委员会|调委会|村民委员会|居民委员会|委员会)/.exec(text)
  return m ? m[1]! : null
}

/** The column the chosen village stands in: one past the last the sheet shows above its data. */
export function virtualColumn(headers: Record<number, string>, topRows: SheetRow[]): number {
  return Math.max(0, ...Object.keys(headers).map(Number), ...topRows.map((r) => r.cells.length)) + 1
}

/**
 * The sheet's rows with the chosen village in column `col` of every row that has anything in it (a
 * blank row stays blank, so the end of the data is still seen as such).
 */
export async function* withVillage(rows: AsyncGenerator<SheetRow>, col: number, village: string): AsyncGenerator<SheetRow> {
  for await (const r of rows) {
    if (r.cells.every((c) => isBlank(c ?? null))) yield r
    else {
      const cells = r.cells.slice()
      while (cells.length < col - 1) cells.push(null)
      cells[col - 1] = village
      yield { row: r.row, cells }
    }
  }
}
