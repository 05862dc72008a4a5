import { DatePicker, Select, Space, Switch } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { ScreenFilter } from '../../../shared/registers/define'
import type { Village } from '../../../shared/org/schema'

export type FilterValue = string | number | boolean
export type FilterValues = Record<string, FilterValue | undefined>

/** The filters' starting values: switches that start on. */
export function initialFilters(filters: readonly ScreenFilter[]): FilterValues {
  return Object.fromEntries(filters.filter((f) => f.kind === 'switch' && f.defaultOn).map((f) => [f.key, true]))
}

/** The values the list method gets: an empty picker or a switch that is off sends nothing. */
export function activeFilters(values: FilterValues): Record<string, FilterValue> {
  const out: Record<string, FilterValue> = {}
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '' && v !== false) out[k] = v
  return out
}

const recentYears = (n: number) => {
  const y = new Date().getFullYear()
  return Array.from({ length: n }, (_, i) => ({ value: y - i, label: `${y - i}年` }))
}
const asDay = (v: FilterValue | undefined): Dayjs | null => (typeof v === 'string' && v ? dayjs(v) : null)

/** The pickers and switches a register's definition declares above its grid. */
export function ScreenFilters(p: { filters: readonly ScreenFilter[]; values: FilterValues; villages: Village[]; onChange: (key: string, value: FilterValue | undefined) => void }) {
  return (
    <>
      {p.filters.map((f) => {
        const style = { width: f.width ?? 150 }
        const pick = (options: { value: string | number; label: string }[]) => (
          <Select
            key={f.key}
            aria-label={f.placeholder}
            allowClear
            showSearch={options.length > 10}
            optionFilterProp="label"
            placeholder={f.placeholder}
            style={style}
            value={p.values[f.key] as string | number | undefined}
            onChange={(v: string | number | undefined) => p.onChange(f.key, v)}
            options={options}
          />
        )
        switch (f.kind) {
          case 'village':
            return pick(p.villages.map((v) => ({ value: v.id, label: v.name })))
          case 'options':
            return pick(Object.entries(f.options ?? {}).map(([value, label]) => ({ value, label })))
          case 'year':
            return pick(recentYears(5))
          case 'switch':
            return (
              <Space key={f.key}>
                <Switch aria-label={f.placeholder} checked={p.values[f.key] === true} onChange={(on) => p.onChange(f.key, on)} />
                <span>{f.placeholder}</span>
              </Space>
            )
          case 'dateRange':
            return (
              <DatePicker.RangePicker
                key={f.key}
                aria-label={f.placeholder}
                allowEmpty={[true, true]}
                value={[asDay(p.values[`${f.key}From`]), asDay(p.values[`${f.key}To`])]}
                onChange={(v) => {
                  p.onChange(`${f.key}From`, v?.[0]?.format('YYYY-MM-DD'))
                  p.onChange(`${f.key}To`, v?.[1]?.format('YYYY-MM-DD'))
                }}
              />
            )
        }
      })}
    </>
  )
}
