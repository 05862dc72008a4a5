import { useEffect, useState } from 'react'
import { Alert, App, Button, Space, Typography } from 'antd'
import type { SetInfo } from '../../../../shared/checklist/schema'
import { ApiCallError, invoke } from '../../api'
import { useTownship } from '../../nav'
import { SetChoices } from '../settings/StandardSetsField'

/**
 * The first visit of 创建自查 while no standard set is chosen: which sets apply to this township
 * (设置 has the same choice). Asked above the page, not in a dialog: the clerk can look at the sets
 * first. Until chosen every set shows, and the question comes back next time.
 */
export function StandardSetsQuestion({ onChosen }: { onChosen: () => void }) {
  const { message } = App.useApp()
  const t = useTownship()
  const [sets, setSets] = useState<SetInfo[] | null>(null)
  const [picked, setPicked] = useState<string[]>([])
  const [saving, setSaving] = useState(false)
  useEffect(() => {
    void invoke('settings.standardSets', {}).then((c) => {
      if (c.chosen !== null || c.sets.length === 0) return
      setSets(c.sets)
      // a set issued by this township or its county is most likely its own
      setPicked(c.sets.filter((s) => [t.name, t.county].some((n) => n && (s.title.includes(n) || (s.issuer ?? '').includes(n)))).map((s) => s.id))
    })
  }, [t.name, t.county])
  const save = async () => {
    setSaving(true)
    try {
      await invoke('settings.update', { standardSets: picked })
      message.success('已选定本乡镇（街道）适用的创建标准，可在“设置”中修改')
      setSets(null)
      onChosen()
    } catch (e) {
      message.error(e instanceof ApiCallError ? e.message : String(e))
    } finally {
      setSaving(false)
    }
  }
  if (sets === null) return null
  return (
    <Alert
      type="info"
      showIcon
      data-testid="standard-sets-question"
      message="本乡镇（街道）适用哪些创建标准？"
      description={
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            程序带有几个地方的创建标准。请只勾选本乡镇（街道）执行的标准：创建自查、文书打印和迎检档案只使用勾选的标准，其他地方的标准不会出现在文书里。以后可在“设置”中修改；县里下发的标准会自动加入。
          </Typography.Text>
          <SetChoices sets={sets} value={picked} onChange={setPicked} />
          <Space>
            <Button type="primary" disabled={picked.length === 0} loading={saving} onClick={() => void save()}>
              确定
            </Button>
            <Button onClick={() => setSets(null)}>以后再选</Button>
          </Space>
        </Space>
      }
    />
  )
}
