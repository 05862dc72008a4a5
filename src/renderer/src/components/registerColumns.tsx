import { Space, Tag } from 'antd'
import type { ColDef } from 'ag-grid-community'
import { displayValue, type FieldDef, type GridColumn, type RegisterDefinition } from '../../../shared/registers/define'

const TEXT_FILTER = { filter: 'agTextColumnFilter', filterParams: { filterOptions: ['contains'], maxNumConditions: 1 } }

export const seqColumn: ColDef = { headerName: '序号', colId: 'seq', valueGetter: (p) => (p.node?.rowIndex ?? 0) + 1, width: 72, sortable: false }

/** What a cell shows: the column's own text, or the record's value under its key (coded values by label). */
function cellText<R>(c: GridColumn<R>, field: FieldDef | undefined, r: R): string {
  return c.value ? c.value(r) : displayValue(field, (r as Record<string, unknown>)[c.key])
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
    ...(c.width !== undefined ? { width: c.width } : {}),
    ...(c.flex !== undefined ? { flex: c.flex } : {}),
    ...(c.minWidth !== undefined ? { minWidth: c.minWidth } : {}),
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
