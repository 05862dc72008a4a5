import { Select } from 'antd'
import { YEARS } from './reads'

/** The start page's year switcher: this year and the YEARS − 1 before it. */
export function YearSelect({ year, thisYear, onChange }: { year: number; thisYear: number; onChange: (year: number) => void }) {
  return <Select aria-label="统计年度" value={year} onChange={onChange} style={{ width: 110 }} options={Array.from({ length: YEARS }, (_, i) => ({ value: thisYear - i, label: `${thisYear - i}年` }))} />
}
