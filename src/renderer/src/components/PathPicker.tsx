import { useEffect, useState } from 'react'
import { Button, Input, Radio, Space, Typography } from 'antd'
import { FolderOpenOutlined, UsbOutlined } from '@ant-design/icons'
import type { PickResult } from '../../../shared/files/schema'
import { invoke } from '../api'

interface Props {
  value?: string
  onChange?: (v: string) => void
  kind: 'folder' | 'file'
  /** the system dialog's title */
  title?: string
  /** for a file: its extensions without the dot */
  extensions?: string[]
  /** the folder the program proposes when no USB stick is there (kept as the last choice) */
  fallback?: string
  placeholder?: string
}

/** The desktop program has the preload bridge; browser mode has none. */
const desktop = () => typeof window !== 'undefined' && window.pingan !== undefined

/**
 * A folder or file, picked rather than typed (a Form control). The desktop program opens the
 * system's own dialog (files.pick); in browser mode the main side lists the USB sticks and other
 * drives to choose from, exactly one stick being chosen at once. Typing a path stays possible.
 */
export function PathPicker(p: Props) {
  const [found, setFound] = useState<PickResult | null>(null)
  const [asking, setAsking] = useState(false)
  const { onChange, value, fallback } = p

  useEffect(() => {
    if (desktop()) return
    let live = true
    void invoke('files.pick', { kind: p.kind }).then((r) => {
      if (!live) return
      setFound(r)
      // one USB stick: it is the answer unless the clerk already chose
      if (r.suggested && (!value || value === fallback)) onChange?.(r.suggested)
    })
    return () => void (live = false)
    // once per opening: the drives do not change while the form is filled
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const browse = async () => {
    setAsking(true)
    try {
      const r = await invoke('files.pick', { kind: p.kind, ...(p.title ? { title: p.title } : {}), ...(p.extensions ? { extensions: p.extensions } : {}) })
      if (r.path) onChange?.(r.path)
      else if (!r.dialog) setFound(r)
    } finally {
      setAsking(false)
    }
  }

  const volumes = found?.volumes ?? []
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={6}>
      {!desktop() && found && (
        volumes.length ? (
          <Radio.Group value={volumes.find((v) => value === v.path || (p.kind === 'file' && value?.startsWith(v.path)))?.path} onChange={(e) => onChange?.(e.target.value as string)} aria-label="选择U盘或磁盘">
            <Space direction="vertical" size={2}>
              {volumes.map((v) => (
                <Radio key={v.path} value={v.path} data-volume={v.path}>
                  {v.removable && <UsbOutlined style={{ marginRight: 4 }} />}
                  {v.label}
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    {v.path}
                  </Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        ) : (
          <Typography.Text type="secondary" data-testid="no-volumes">
            没有找到U盘。请插上U盘后点“重新查找”，或在下面填写{p.kind === 'folder' ? '文件夹' : '文件'}的位置。
            <Button type="link" size="small" onClick={() => void invoke('files.pick', { kind: p.kind }).then(setFound)}>
              重新查找
            </Button>
          </Typography.Text>
        )
      )}
      <Space.Compact style={{ width: '100%' }}>
        <Input value={value} onChange={(e) => onChange?.(e.target.value)} placeholder={p.placeholder ?? (p.kind === 'folder' ? '也可以直接填写文件夹位置，例如 E:\\' : '也可以直接填写文件的位置')} aria-label={p.kind === 'folder' ? '文件夹位置' : '文件位置'} />
        {desktop() && (
          <Button icon={<FolderOpenOutlined />} loading={asking} onClick={() => void browse()}>
            {p.kind === 'folder' ? '选择文件夹…' : '选择文件…'}
          </Button>
        )}
      </Space.Compact>
    </Space>
  )
}
