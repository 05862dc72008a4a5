import { useCallback, useEffect, useMemo, useRef, useState, type ComponentType } from 'react'
import { App, Button, Card, Input, Space, Switch, Typography } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import type { ColDef } from 'ag-grid-community'
import type { RegisterDefinition } from '../../../shared/registers/define'
import type { RegisterKey } from '../../../shared/registers'
import type { DocumentKind } from '../../../shared/documents/schema'
import { ExcelButtons, type ExcelQuery } from '../features/excel/ExcelButtons'
import { ExportDocButton } from '../features/documents/ExportDocButton'
import { actionsColumn } from './actionsColumn'
import { registerColumns } from './registerColumns'
import { RegisterGrid, type GridQuery, type RegisterGridHandle } from './RegisterGrid'
import { registerCalls } from './registerCalls'
import { ScreenFilters, activeFilters, initialFilters, type FilterValue, type FilterValues } from './ScreenFilters'
import { deleteWithUndo } from './undo'
import { useOrg } from './useOrg'
import { maskIdNumber } from '../../../shared/idNumber'

export type Org = ReturnType<typeof useOrg>

/** What RegisterPage hands the register's form (a drawer). */
export interface RegisterFormProps<R> {
  open: boolean
  /** null: a new record */
  record: R | null
  org: Org
  onClose: () => void
  onSaved: (saved: R) => void
  /** something kept under the record changed (an aftercare person's visits): the grid and summary reload */
  onChanged: () => void
}

/** What RegisterPage hands the register's summary card. */
export interface RegisterSummaryProps {
  /** the screen's filters as the list method gets them (villageId, year…) */
  filters: Record<string, FilterValue>
  /** goes up after every save, delete, undo and import: reload when it changes */
  version: number
  setFilter: (key: string, value: FilterValue | undefined) => void
}

/** How one register's screen differs from the others' (module-level constants, so they never change). */
export interface RegisterScreen<R> {
  /** the add button (default 新增 + the register's noun) */
  addLabel?: string
  /** the row's open button (default 修改) */
  openLabel?: string
  /** 共 N 人 / 件 / 条 (default 条) */
  totalUnit?: string
  /** a 序号 column first */
  numbered?: boolean
  /** how a record is named in the delete confirmation and the undo notice (default its nameField) */
  recordName?: (r: R) => string
  deleteHint?: string
  /** the form stays open after saving (it shows more once the record exists, e.g. visits) */
  keepOpenOnSave?: boolean
}

interface Props<R> {
  definition: RegisterDefinition<R>
  form: ComponentType<RegisterFormProps<R>>
  summary?: ComponentType<RegisterSummaryProps>
  screen?: RegisterScreen<R>
  /** a record to open as soon as the page shows (a to-do on the start page, a search result) */
  openId?: string
  /** filters to start with, as JSON (a bar clicked on the start page: {"year":2026,"category":"婚姻家庭"}) */
  filter?: string
}

/** The start filters from the page's parameter: only the keys this register's filters know. */
function presetFilters(def: RegisterDefinition<unknown>, json: string | undefined): FilterValues {
  const start = initialFilters(def.filters)
  if (!json) return start
  let given: Record<string, unknown>
  try {
    given = JSON.parse(json) as Record<string, unknown>
  } catch {
    return start
  }
  const keys = new Set(def.filters.flatMap((f) => (f.kind === 'dateRange' ? [`${f.key}From`, `${f.key}To`] : [f.key])))
  for (const [k, v] of Object.entries(given)) if (keys.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) start[k] = v
  return start
}

const NO_SCREEN = {}

/**
 * Every register's screen: title, 新增, quick search, the definition's filters, 显示完整证件号, the grid,
 * open-by-id, delete with undo, Excel and Word, the total. The grid, 导出Excel and 导出Word all read
 * the one query built here, so an export is exactly the view.
 */
export function RegisterPage<R extends { id: string }>({ definition: def, form: Form, summary: Summary, screen = NO_SCREEN, openId, filter }: Props<R>) {
  const { message, notification } = App.useApp()
  const org = useOrg()
  const grid = useRef<RegisterGridHandle>(null)
  const calls = useMemo(() => registerCalls<R>(def), [def])
  const [q, setQ] = useState('')
  const [values, setValues] = useState<FilterValues>(() => presetFilters(def as RegisterDefinition<unknown>, filter))
  const [fullId, setFullId] = useState(false)
  const [editing, setEditing] = useState<R | null>(null)
  const [formOpen, setFormOpen] = useState(false)
  const [total, setTotal] = useState(0)
  const [version, setVersion] = useState(0)
  // the record just saved: shown at the top of the grid and selected, wherever the sort puts it
  const [justSaved, setJustSaved] = useState<R | null>(null)

  const setFilter = useCallback((key: string, value: FilterValue | undefined) => setValues((v) => ({ ...v, [key]: value })), [])
  const filters = useMemo(() => activeFilters(values), [values])
  const wantFull = def.fullId === true && fullId

  /** the one query: search, the screen's filters, the grid's own sort and column filters */
  const query = useCallback(
    (g?: Omit<GridQuery, 'offset' | 'limit'>): ExcelQuery => ({
      q: q || undefined,
      sort: g?.sort,
      filters: { ...(g?.filters ?? {}), ...filters },
      fullId: wantFull || undefined,
    }),
    [q, filters, wantFull],
  )
  const fetch = useCallback((g: GridQuery) => calls.list({ ...query(g), offset: g.offset, limit: g.limit }), [calls, query])
  const docParams = () => ({
    year: typeof filters.year === 'number' ? filters.year : new Date().getFullYear(),
    ...(typeof filters.villageId === 'string' ? { villageId: filters.villageId } : {}),
    ...(wantFull ? { fullId: true } : {}),
  })

  // the summary reloads on the version, with the filters of the moment it renders: never stale
  const refresh = useCallback(() => {
    grid.current?.refresh()
    setVersion((v) => v + 1)
  }, [])

  const open = useCallback(
    (id: string) =>
      calls.get(id).then(
        (r) => (setEditing(r), setFormOpen(true)),
        (e: unknown) => void message.error(e instanceof Error ? e.message : String(e)),
      ),
    [calls, message],
  )
  useEffect(() => {
    if (openId) void open(openId)
  }, [openId, open])

  const nameOf = useCallback((r: R) => screen.recordName?.(r) ?? String((r as Record<string, unknown>)[def.nameField] ?? ''), [screen, def])
  const remove = useCallback(
    (r: R) => {
      // a deleted record is no longer "just saved"
      setJustSaved((j) => (j?.id === r.id ? null : j))
      return deleteWithUndo({ message, notification }, `${def.noun} ${nameOf(r)}`, () => calls.remove(r.id), () => calls.restore(r.id), refresh)
    },
    [message, notification, def, nameOf, calls, refresh],
  )

  const columns: ColDef<R>[] = useMemo(
    () => [
      ...registerColumns(def, screen.numbered === true),
      actionsColumn<R>({
        openLabel: screen.openLabel ?? '修改',
        onOpen: (r) => void open(r.id),
        onDelete: (r) => void remove(r),
        confirmTitle: (r) => `确定删除${def.noun}“${nameOf(r)}”吗？`,
        confirmHint: screen.deleteHint,
      }),
    ],
    [def, screen, open, remove, nameOf],
  )

  const onSaved = (r: R) => {
    if (screen.keepOpenOnSave) setEditing(r)
    else setFormOpen(false)
    setJustSaved(r)
    refresh()
  }
  // shown as the list shows it: 身份证号 masked unless 显示完整证件号 is on
  const pinned = useMemo(() => {
    if (!justSaved || wantFull) return justSaved
    const out: Record<string, unknown> = { ...justSaved }
    for (const f of def.fields) if (f.personal === 'idNumber' && typeof out[f.key] === 'string') out[f.key] = maskIdNumber(out[f.key] as string)
    return out as R
  }, [justSaved, wantFull, def])
  // a new search or filter shows its own rows: the pinned record goes
  const reloadKey = JSON.stringify([q, filters, wantFull])
  const lastKey = useRef(reloadKey)
  useEffect(() => {
    if (lastKey.current !== reloadKey) setJustSaved(null)
    lastKey.current = reloadKey
  }, [reloadKey])

  return (
    <div className="register-page" data-register={def.key}>
      <Card size="small" styles={{ body: { padding: '8px 12px' } }}>
        <Space wrap size={[8, 6]}>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            {def.title}
          </Typography.Title>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => (setEditing(null), setFormOpen(true))}>
            {screen.addLabel ?? `新增${def.noun}`}
          </Button>
          <ExcelButtons register={def.key as RegisterKey} query={() => query(grid.current?.query())} onImported={refresh} />
          <ExportDocButton kind={def.key as DocumentKind} params={docParams} />
          <Input.Search allowClear placeholder={def.searchHint} title={def.searchHint} style={{ width: def.searchHint.length * 16 + 96 }} onSearch={setQ} />
          <ScreenFilters filters={def.filters} values={values} villages={org.villages} onChange={setFilter} />
          {def.fullId && (
            <Space>
              <Switch aria-label="显示完整证件号" checked={fullId} onChange={setFullId} />
              <span>显示完整证件号</span>
            </Space>
          )}
          <Typography.Text type="secondary">
            共 {total.toLocaleString()} {screen.totalUnit ?? '条'}
          </Typography.Text>
        </Space>
      </Card>
      {Summary && <Summary filters={filters} version={version} setFilter={setFilter} />}
      <Card size="small" className="register-grid" styles={{ body: { padding: 0 } }}>
        <RegisterGrid<R>
          ref={grid}
          height="100%"
          columns={columns}
          fetch={fetch}
          onOpen={(r) => void open(r.id)}
          reloadKey={reloadKey}
          onTotal={setTotal}
          pinned={pinned}
          emptyText={q || Object.keys(filters).length ? '没有符合条件的记录。可以清空搜索框或筛选条件再看。' : `还没有${def.noun.endsWith('记录') ? def.noun : `${def.noun}记录`}。点击上方“${screen.addLabel ?? `新增${def.noun}`}”开始登记，或用“导入Excel”导入旧台账。`}
        />
      </Card>
      <Form open={formOpen} record={editing} org={org} onClose={() => setFormOpen(false)} onSaved={onSaved} onChanged={refresh} />
    </div>
  )
}
