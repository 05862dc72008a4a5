import { Space, Tag } from 'antd'
import type { ColDef } from 'ag-grid-community'
import { displayValue, type FieldDef, type GridColumn, type RegisterDefinition } from '../../../shared/registers/define'

const TEXT_FILTER = { filter: 'agTextColumnFilter', filterParams: { filterOptions: ['contains'], maxNumConditions: 1 } }

export const seqColumn: ColDef = { headerName: '序号', colId: 'seq', valueGetter: (p) => (p.node?.rowIndex ?? 0) + 1, width: 56, minWidth: 52, sortable: false }

/** What a cell shows: the column's own text, or the record's value under its key (coded values by label). */
function cellText<R>(c: GridColumn<R>, field: FieldDef | undefined, r: R): string {
  return c.value ? c.value(r) : displayValue(field, (r as Record<string, unknown>)[c.key])
}

/** Columns a clerk reads whole or not at all (a case number cut short names no case). */
const READ_WHOLE = new Set(['caseNo'])

/** A column that shows only tags (a case's 状态, a hazard's 等级): a state the clerk reads first. */
function stateOnly<R>(c: GridColumn<R>): boolean {
  if (!c.tags || !c.value) return false
  try {
    return c.value({} as R) === ''
  } catch {
    return false
  }
}

/**
 * The declared widths as shares of the grid's width, so on a 1366-pixel screen every column fits
 * without scrolling sideways: a column may shrink to half its width (its full text is in the
 * tooltip), a date never below what 2026-11-30 needs, an ID in monospace and tags never. State
 * columns stay in view at the right beside 操作 on a narrower window.
 */
function widths<R>(c: GridColumn<R>, field: FieldDef | undefined): ColDef<R> {
  // a long text (情况, 路线) takes the room that is left, down to a width that still shows a few words
  if (c.width === undefined) return { ...(c.flex !== undefined ? { flex: c.flex } : {}), ...(c.minWidth !== undefined ? { minWidth: Math.min(c.minWidth, 120) } : {}) }
  const whole = c.mono === true || c.tags !== undefined || READ_WHOLE.has(c.key)
  const date = field?.kind === 'date' || /(On|[dD]ate)$/.test(c.key)
  // a date or a phone number cut short is no date or number at all
  const floor = date ? 92 : field?.kind === 'phone' || c.key === 'phone' ? 104 : 48
  const min = whole ? c.width : Math.max(floor, Math.round(c.width * 0.5))
  // a pinned column does not flex: it keeps its declared width
  if (stateOnly(c)) return { pinned: 'right', width: c.width, minWidth: c.width }
  return { flex: c.width / 100, minWidth: Math.min(min, c.width) }
}

/** One AG Grid column from a register's grid column; the colId is the list method's sort/filter key. */
export function gridColumn<R>(c: GridColumn<R>, field: FieldDef | undefined): ColDef<R> {
  const tags = c.tags
  return {
    headerName: c.title ?? field?.label ?? c.key,
    colId: c.key,
    // a computed text has no column in SQL to sort by, unless the definition says which one it sorts
    sortable: c.sortable ?? c.value === undefined,
    valueGetter: (p) => (p.data ? cellText(c, field, p.data) : ''),
    // a cell too narrow for its text (a long role list, a route) shows it whole on hover
    tooltipValueGetter: (p) => (p.data ? [cellText(c, field, p.data), ...(tags ? tags(p.data).map((t) => t.text) : [])].filter(Boolean).join(' ') : ''),
    headerTooltip: c.title ?? field?.label ?? c.key,
    wrapHeaderText: true,
    autoHeaderHeight: true,
    ...widths(c, field),
    ...(c.textFilter ? TEXT_FILTER : {}),
    ...(c.mono ? { cellStyle: { fontFamily: 'monospace' } } : {}),
    ...(tags
      ? {
          cellRenderer: (p: { data?: R; value?: string }) =>
            p.data ? (
              <Space size={2}>
                {p.value ? <span>{p.value}</span> : null}
                {tags(p.data).map((t) => (
                  <Tag key={t.text} color={t.color}>
                    {t.text}
                  </Tag>
                ))}
              </Space>
            ) : null,
        }
      : {}),
  }
}

/** The grid's columns as the definition declares them, 序号 first when the screen numbers its rows. */
export function registerColumns<R>(def: RegisterDefinition<R>, numbered: boolean): ColDef<R>[] {
  const fields = new Map(def.fields.map((f) => [f.key, f]))
  const cols = def.grid.map((c) => gridColumn(c, fields.get(c.key)))
  return numbered ? [seqColumn as ColDef<R>, ...cols] : cols
}
