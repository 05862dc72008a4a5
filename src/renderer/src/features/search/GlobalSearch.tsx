import { useEffect, useRef, useState } from 'react'
import { AutoComplete, Input, Tag, type InputRef } from 'antd'
import { SearchOutlined } from '@ant-design/icons'
import { useNav } from '../../nav'
import { searchAll, type Hit } from './searchAll'

const colors: Record<Hit['register'], string> = { members: 'red', mediation: 'blue', aftercare: 'green', hazards: 'orange' }

/**
 * The top bar's one search box: a name, 身份证号, phone or case number, looked up in the members,
 * the cases (parties too), the aftercare people and the hazards at once; picking a hit opens it.
 */
export function GlobalSearch() {
  const nav = useNav()
  const [hits, setHits] = useState<Hit[] | null>(null)
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const asked = useRef(0)
  const input = useRef<InputRef>(null)
  // Ctrl+K (⌘K on a Mac) from anywhere: the clerk types a name without reaching for the mouse
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        input.current?.focus({ cursor: 'all' })
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const run = (q: string) => {
    const t = q.trim()
    const n = ++asked.current
    if (t.length < 2) return setHits(null)
    setBusy(true)
    void searchAll(t).then((h) => {
      // an older answer arriving after a newer question is dropped
      if (n !== asked.current) return
      setHits(h)
      setBusy(false)
    })
  }
  const open = (key: string) => {
    const hit = hits?.find((h) => `${h.register}:${h.id}` === key)
    if (!hit) return
    setText('')
    setHits(null)
    nav.go(hit.register, { open: hit.id })
  }

  const options = hits
    ? hits.length
      ? hits.map((h) => ({
          value: `${h.register}:${h.id}`,
          label: (
            <div className="search-hit" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <Tag color={colors[h.register]} style={{ margin: 0 }}>
                {h.registerLabel}
              </Tag>
              <b>{h.title}</b>
              <span style={{ color: '#888', overflow: 'hidden', textOverflow: 'ellipsis' }}>{h.detail}</span>
            </div>
          ),
        }))
      : [{ value: 'none', disabled: true, label: <span style={{ color: '#888' }}>没有找到“{text.trim()}”。可以换用姓名、身份证号、电话或案件编号再试。</span> }]
    : []

  return (
    <AutoComplete
      value={text}
      options={options}
      onSearch={(v) => (setText(v), run(v))}
      onSelect={(v: string) => open(v)}
      popupMatchSelectWidth={520}
      style={{ width: 360 }}
      aria-label="全局搜索"
    >
      <Input
        ref={input}
        prefix={<SearchOutlined style={{ color: '#999' }} />}
        placeholder="查找人员或案件：姓名、身份证号、电话、案件编号（Ctrl+K）"
        allowClear
        suffix={busy ? <span style={{ color: '#999', fontSize: 12 }}>查找中…</span> : undefined}
        data-testid="global-search"
      />
    </AutoComplete>
  )
}
