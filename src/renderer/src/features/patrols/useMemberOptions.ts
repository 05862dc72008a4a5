import { useEffect, useState } from 'react'
import type { Member } from '../../../../shared/members/schema'
import type { Role } from '../../../../shared/domain'
import { invoke } from '../../api'

/** Active members holding any of the roles (optionally of one village), for pickers. */
export function useMemberOptions(roles: readonly Role[], villageId?: string | null, enabled = true) {
  const [members, setMembers] = useState<Member[]>([])
  const key = roles.join(',')
  useEffect(() => {
    if (!enabled) return
    let live = true
    void Promise.all(
      roles.map((role) => invoke('members.list', { filters: { role, active: true, ...(villageId ? { villageId } : {}) }, limit: 2000, sort: [{ field: 'name', dir: 'asc' }] })),
    ).then((rs) => {
      if (!live) return
      const seen = new Map<string, Member>()
      for (const r of rs) for (const m of r.rows) seen.set(m.id, m)
      setMembers([...seen.values()])
    })
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, villageId, enabled])
  return members
}
