import { useEffect, useState } from 'react'
import { Alert } from 'antd'
import type { RecoveryStatus } from '../../../../shared/recovery/schema'
import { invoke } from '../../api'

/** How often to ask while the background check runs (it takes seconds on a large database). */
const POLL_MS = 5000

/**
 * The desktop checks the whole database on a worker after start (recovery/guarded.ts). While that
 * check runs this asks now and then; if it finds damage, a banner above every page says what to do
 * until the program is restarted or a backup restored. Nothing shows while all is well.
 */
export function IntegrityWatch() {
  const [warning, setWarning] = useState('')
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    const ask = () => {
      invoke('recovery.status', {})
        .then((s: RecoveryStatus) => {
          if (stopped) return
          setWarning(s.integrity === 'failed' ? s.warning || '数据库文件可能已损坏。' : '')
          if (s.integrity === 'running' || s.integrity === 'failed') timer = setTimeout(ask, POLL_MS)
        })
        .catch(() => undefined)
    }
    ask()
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
    }
  }, [])
  if (!warning) return null
  return <Alert type="error" showIcon banner message="数据库可能已损坏" description={warning} style={{ marginBottom: 12 }} />
}
