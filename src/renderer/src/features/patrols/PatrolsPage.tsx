import { useEffect, useState } from 'react'
import { Card, Space, Tag } from 'antd'
import type { Patrol, PatrolMonthly, PatrolTeamSize } from '../../../../shared/patrols/schema'
import { patrolsRegister } from '../../../../shared/registers/patrols'
import { invoke } from '../../api'
import { RegisterPage, type RegisterScreen, type RegisterSummaryProps } from '../../components/RegisterPage'
import { PatrolForm } from './PatrolForm'

const screen: RegisterScreen<Patrol> = {
  numbered: true,
  addLabel: '登记巡逻',
  recordName: (p) => `${p.date} ${p.villageName ?? ''}`.trim(),
}

/** Each village's team against the standard's minimum, and this year's patrols. */
function PatrolSummary({ filters, version }: RegisterSummaryProps) {
  const villageId = typeof filters.villageId === 'string' ? filters.villageId : undefined
  const year = new Date().getFullYear()
  const [team, setTeam] = useState<PatrolTeamSize | null>(null)
  const [monthly, setMonthly] = useState<PatrolMonthly | null>(null)
  useEffect(() => {
    const scope = villageId ? { villageId } : {}
    void invoke('patrols.teamSize', scope).then(setTeam)
    void invoke('patrols.monthly', { year, ...scope }).then(setMonthly)
  }, [villageId, year, version])
  if (!team || !monthly) return null
  return (
    <Card size="small" title={`${year}年巡逻 ${monthly.total} 次；在岗巡防队员 ${team.total} 人`} data-testid="register-summary">
      <Space wrap size={[4, 6]}>
        {team.rows.map((r) => {
          const m = monthly.rows.find((x) => x.villageId === r.villageId)
          return (
            <Tag
              key={r.villageId}
              color={r.short ? 'orange' : undefined}
              title={`专职 ${r.fulltime} 人，兼职 ${r.parttime} 人${asked(r) ? `（创建标准要求${asked(r)}）` : ''}；${year}年各月巡逻：${m?.months.join('、') ?? ''}`}
            >
              {r.villageName}：队员 {r.total} 人{r.short ? `（${shortText(r)}）` : ''}，本年巡逻 {m?.total ?? 0} 次
            </Tag>
          )
        })}
      </Space>
    </Card>
  )
}

export function PatrolsPage({ openId, filter }: { openId?: string; filter?: string }) {
  return <RegisterPage definition={patrolsRegister} form={PatrolForm} summary={PatrolSummary} screen={screen} openId={openId} filter={filter} />
}

type TeamRow = PatrolTeamSize['rows'][number]
/** what the standards ask of this village's team: in all, and of 专职 members */
function asked(r: TeamRow): string {
  return [r.minimum ? `不少于 ${r.minimum} 人` : '', r.fulltimeMinimum ? `专职不少于 ${r.fulltimeMinimum} 人` : ''].filter(Boolean).join('，')
}
/** which of the two the team falls short of */
function shortText(r: TeamRow): string {
  return [
    r.minimum !== null && r.total < r.minimum ? `应不少于 ${r.minimum} 人` : '',
    r.fulltimeMinimum !== null && r.fulltime < r.fulltimeMinimum ? `专职应不少于 ${r.fulltimeMinimum} 人，现 ${r.fulltime} 人` : '',
  ]
    .filter(Boolean)
    .join('；')
}
