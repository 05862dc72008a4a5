import { forwardRef, useImperativeHandle, useMemo, useRef, useState } from 'react'
import { AgGridReact } from 'ag-grid-react'
import {
  AllCommunityModule,
  ModuleRegistry,
  themeQuartz,
  type ColDef,
  type GridApi,
  type IDatasource,
  type IGetRowsParams,
  type RowDoubleClickedEvent,
  type CellKeyDownEvent,
} from 'ag-grid-community'
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale'

ModuleRegistry.registerModules([AllCommunityModule])

// narrow cell padding: a dozen columns fit a 1366-pixel screen
const theme = themeQuartz.withParams({ fontSize: 14, headerFontSize: 13, rowHeight: 36, headerHeight: 38, fontFamily: 'inherit', cellHorizontalPadding: 8 })

/** What a register's list method accepts; the grid turns its sort and column filters into this. */
export interface GridQuery {
  offset: number
  limit: number
  sort: { field: string; dir: 'asc' | 'desc' }[]
  filters: Record<string, string>
}

export interface RegisterGridHandle {
  refresh: () => void
  /** the current sort and column filters, for "export what I see" */
  query: () => Omit<GridQuery, 'offset' | 'limit'>
}

interface Props<T> {
  columns: ColDef<T>[]
  /** fetches one page in SQL; total is every matching row */
  fetch: (q: GridQuery) => Promise<{ rows: T[]; total: number }>
  onOpen?: (row: T) => void
  height?: number | string
  /** change it to reload from the first row (e.g. a search box or a switch) */
  reloadKey?: string
  onTotal?: (total: number) => void
  /** a record shown above the rows and selected (the one just saved) */
  pinned?: T | null
  /** what an empty list says (it fits the page: a register, the 操作记录…) */
  emptyText?: string
}

function toQuery(p: Pick<IGetRowsParams, 'sortModel' | 'filterModel'>): Omit<GridQuery, 'offset' | 'limit'> {
  const filters: Record<string, string> = {}
  for (const [col, model] of Object.entries((p.filterModel ?? {}) as Record<string, { filter?: unknown; dateFrom?: string }>)) {
    const v = model.filter ?? model.dateFrom
    if (v !== undefined && v !== null && v !== '') filters[col] = String(v).slice(0, 100)
  }
  return { sort: p.sortModel.map((s) => ({ field: s.colId, dir: s.sort })), filters }
}

/**
 * Every register's table: AG Grid's infinite row model, so only the visible block of rows is ever
 * fetched; sorting and filtering happen in SQL on the main side.
 */
function RegisterGridInner<T extends { id: string }>(props: Props<T>, ref: React.Ref<RegisterGridHandle>) {
  const api = useRef<GridApi<T> | null>(null)
  const fetchRef = useRef(props.fetch)
  fetchRef.current = props.fetch
  const onTotal = useRef(props.onTotal)
  onTotal.current = props.onTotal
  // the record just saved: marked where it stands in the first rows, or shown above them when the sort puts it further down
  const saved = useRef(props.pinned)
  saved.current = props.pinned
  const [pinTop, setPinTop] = useState(false)

  const datasource: IDatasource = useMemo(
    () => ({
      getRows: (p) => {
        const q = toQuery(p)
        fetchRef
          .current({ ...q, offset: p.startRow, limit: p.endRow - p.startRow })
          .then((r) => {
            onTotal.current?.(r.total)
            p.successCallback(r.rows, r.total)
            const s = saved.current
            if (s && p.startRow === 0) {
              const here = r.rows.some((x) => x.id === s.id)
              setPinTop(!here)
              const node = here ? api.current?.getRowNode(s.id) : undefined
              if (node && node.rowIndex !== null) {
                api.current!.ensureNodeVisible(node)
                // focused: Enter opens it, the arrow keys go on from it
                const col = api.current!.getAllDisplayedColumns()[0]
                if (col) api.current!.setFocusedCell(node.rowIndex, col)
              }
            }
            if (r.total === 0) api.current?.showNoRowsOverlay()
            else api.current?.hideOverlay()
          })
          .catch(() => p.failCallback())
      },
    }),
    // a new reloadKey means a new datasource: the grid starts again from the first row
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [props.reloadKey],
  )

  useImperativeHandle(ref, () => ({
    refresh: () => api.current?.refreshInfiniteCache(),
    query: () => {
      const a = api.current
      if (!a) return { sort: [], filters: {} }
      const sortModel = a
        .getColumnState()
        .filter((c) => c.sort)
        .map((c) => ({ colId: c.colId, sort: c.sort! }))
      return toQuery({ sortModel, filterModel: a.getFilterModel() })
    },
  }))

  const pinnedRows = useMemo(() => (props.pinned && pinTop ? [props.pinned] : undefined), [props.pinned, pinTop])
  const emptyHtml = useMemo(() => `<span style="color:#888">${escapeHtml(props.emptyText ?? '暂无记录')}</span>`, [props.emptyText])
  return (
    <div style={{ height: props.height ?? 'calc(100vh - 260px)', minHeight: 200 }}>
      <AgGridReact<T>
        theme={theme}
        localeText={AG_GRID_LOCALE_CN}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={100}
        maxBlocksInCache={50}
        columnDefs={props.columns}
        defaultColDef={{ sortable: true, resizable: true, minWidth: 80 }}
        getRowId={(p) => p.data.id}
        // registers have a dozen columns: keep them all in the page so a row reads (and searches) whole
        suppressColumnVirtualisation
        overlayNoRowsTemplate={emptyHtml}
        pinnedTopRowData={pinnedRows}
        getRowClass={(p) => (p.node.rowPinned || (p.data && p.data.id === saved.current?.id) ? 'row-just-saved' : undefined)}
        tooltipShowDelay={300}
        onGridReady={(e) => (api.current = e.api)}
        onRowDoubleClicked={(e: RowDoubleClickedEvent<T>) => e.data && props.onOpen?.(e.data)}
        onCellKeyDown={(e: CellKeyDownEvent<T>) => {
          const key = (e.event as KeyboardEvent | undefined)?.key
          if (key === 'Enter' && e.data) props.onOpen?.(e.data)
        }}
      />
    </div>
  )
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export const RegisterGrid = forwardRef(RegisterGridInner) as <T extends { id: string }>(
  p: Props<T> & { ref?: React.Ref<RegisterGridHandle> },
) => ReturnType<typeof RegisterGridInner>
