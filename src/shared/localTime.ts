/**
 * A moment as every screen shows it, in the PC's time zone: 2026-11-30 15:05 (with `seconds`,
 * 2026-11-30 15:05:09). One style everywhere: never 2026/11/30 (the browser's zh-CN default) or
 * 2026年11月30日 beside it. What is not a time is shown as it came.
 */
export function localTime(iso: string, opts: { seconds?: boolean } = {}): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}${opts.seconds ? `:${p(d.getSeconds())}` : ''}`
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${hm}`
}
