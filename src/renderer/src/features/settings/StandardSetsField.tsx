import { useEffect, useState } from 'react'
import { Checkbox, Form, Space, Typography } from 'antd'
import type { SetInfo } from '../../../../shared/checklist/schema'
import { invoke } from '../../api'

/** How a set is named in a choice: its title, and where it came from when the county sent it. */
export function setLabel(s: SetInfo): string {
  return `${s.title}${s.origin === 'imported' ? '（县里下发）' : ''}`
}

/**
 * 适用的创建标准: the standard sets that apply to this township. Only these are used by 创建自查,
 * 文书打印 and the 迎检档案; a set the county sends later applies too.
 */
export function StandardSetsField() {
  const [sets, setSets] = useState<SetInfo[]>([])
  useEffect(() => {
    void invoke('settings.standardSets', {}).then((c) => setSets(c.sets))
  }, [])
  return (
    <Form.Item
      name="standardSets"
      label="适用的创建标准"
      extra="只勾选本乡镇（街道）执行的标准。创建自查、文书打印和迎检档案只使用勾选的标准；县里以后下发的标准会自动加入。"
    >
      <SetChoices sets={sets} />
    </Form.Item>
  )
}

/** The sets to tick, one a line with where each comes from (设置 and the checklist's first question). */
export function SetChoices(p: { sets: SetInfo[]; value?: string[]; onChange?: (v: string[]) => void }) {
  return (
    <Checkbox.Group value={p.value} onChange={p.onChange}>
      <Space direction="vertical" size={4}>
        {p.sets.map((s) => (
          <Checkbox key={s.id} value={s.id}>
            {setLabel(s)}
            <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
              {s.source}
            </Typography.Text>
          </Checkbox>
        ))}
      </Space>
    </Checkbox.Group>
  )
}
