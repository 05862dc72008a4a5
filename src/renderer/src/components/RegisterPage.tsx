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
  /** a record to open as soon as the page shows (a to-do on the dashboard) */
  openId?: string
}

const NO_SCREEN = {}

/**
 * Every register's screen: title, 新增, quick search, the definition's filters, 显示完整证件号, the grid,
 * open-by-id, delete with undo, Excel and Word, the total. The grid, 导出Excel and 导出Word all read
 * the one query built here, so an export is exactly the view.
 */
export function RegisterPage<R extends { id: string }>({ definition: def, form: Form, summary: Summary, screen = NO_SCREEN, openId }: Props<R>) {
  const { message, notification } = App.useApp()
  const org = useOrg()
  const grid = useRef<RegisterGridHandle>(null)
  const calls = useMemo(() => registerCalls<R>(def), [def])
  const [q, setQ] = useState('')
  const [values, setValues] = useState<FilterValues>(() => initialFilters(def.filters))
  const [fullId, setFullId] = useState(false)
  const [editing, setEditing] = useState<R | null>(null)
  const [formOpen, setFormOpen] = useState(false)
  const [total, setTotal] = useState(0)
  const [version, setVersion] = useState(0)

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
    (r: R) => deleteWithUndo({ message, notification }, `${def.noun} ${nameOf(r)}`, () => calls.remove(r.id), () => calls.restore(r.id), refresh),
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
    refresh()
  }

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            {def.title}
          </Typography.Title>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => (setEditing(null), setFormOpen(true))}>
            {screen.addLabel ?? `新增${def.noun}`}
          </Button>
          <ExcelButtons register={def.key as RegisterKey} query={() => query(grid.current?.query())} onImported={refresh} />
          <ExportDocButton kind={def.key as DocumentKind} params={docParams} />
          <Input.Search allowClear placeholder={def.searchHint} style={{ width: 250 }} onSearch={setQ} />
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
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <RegisterGrid<R> ref={grid} columns={columns} fetch={fetch} onOpen={(r) => void open(r.id)} reloadKey={JSON.stringify([q, filters, wantFull])} onTotal={setTotal} />
      </Card>
      <Form open={formOpen} record={editing} org={org} onClose={() => setFormOpen(false)} onSaved={onSaved} onChanged={refresh} />
    </Space>
  )
}
