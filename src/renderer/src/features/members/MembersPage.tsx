import { useEffect, useState } from 'react'
import { Card, Space, Tag } from 'antd'
import type { Member, MemberStats } from '../../../../shared/members/schema'
import { roleLabels } from '../../../../shared/domain'
import { membersRegister } from '../../../../shared/registers/members'
import { invoke } from '../../api'
import { RegisterPage, type RegisterScreen, type RegisterSummaryProps } from '../../components/RegisterPage'
import { MemberForm } from './MemberForm'

const screen: RegisterScreen<Member> = { numbered: true, totalUnit: '人' }

/** 在岗/登记 counts, by role (a click filters by it) and by village, for the village chosen above. */
function MemberSummary({ filters, version, setFilter }: RegisterSummaryProps) {
  const villageId = typeof filters.villageId === 'string' ? filters.villageId : undefined
  const [stats, setStats] = useState<MemberStats | null>(null)
  useEffect(() => {
    void invoke('members.stats', villageId ? { villageId } : {}).then(setStats)
  }, [villageId, version])
  if (!stats) return null
  return (
    <Card size="small" title={`在岗 ${stats.active} 人（登记 ${stats.total} 人）`} data-testid="register-summary">
      <Space wrap size={[4, 6]}>
        {stats.byRole
          .filter((r) => r.count > 0)
          .map((r) => (
            <Tag key={r.role} color="red" style={{ cursor: 'pointer' }} onClick={() => setFilter('role', r.role)}>
              {roleLabels[r.role]} {r.count}
            </Tag>
          ))}
        <span style={{ width: 12 }} />
        {stats.byVillage.map((v) => (
          <Tag key={v.villageId ?? 'none'}>
            {v.villageName} {v.count}
          </Tag>
        ))}
      </Space>
    </Card>
  )
}

export function MembersPage({ openId, filter }: { openId?: string; filter?: string }) {
  return <RegisterPage definition={membersRegister} form={MemberForm} summary={MemberSummary} screen={screen} openId={openId} filter={filter} />
}
