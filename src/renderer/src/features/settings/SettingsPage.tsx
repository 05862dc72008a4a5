import { useEffect } from 'react'
import { App, Button, Card, Form, Input, Radio, Typography } from 'antd'
import type { Settings } from '../../../../shared/settings/schema'
import { invoke } from '../../api'
import { showApiError, clearApiError } from '../../components/apiForm'
import { useTownship } from '../../nav'
import { CaseNoPreview } from './CaseNoPreview'
import { StandardSetsField } from './StandardSetsField'
import { retentionTerms } from '../../../../shared/settings/schema'

/** the form's values: the standard sets are empty until chosen (null on the main side) */
type Values = Omit<Settings, 'standardSets' | 'standardSetsChosenAt'> & { standardSets?: string[] }
const valuesOf = ({ standardSets, standardSetsChosenAt: _at, ...rest }: Settings): Values => (void _at, { ...rest, ...(standardSets ? { standardSets } : {}) })

export function SettingsPage() {
  const [form] = Form.useForm<Values>()
  const { message } = App.useApp()
  const t = useTownship()
  useEffect(() => {
    void invoke('settings.get', {}).then((s) => form.setFieldsValue(valuesOf(s)))
  }, [form])
  const save = async (v: Values) => {
    try {
      // the standard sets are sent once chosen (never chosen: left as they are)
      form.setFieldsValue(valuesOf(await invoke('settings.update', v)))
      message.success('设置已保存')
    } catch (e) {
      showApiError(form, e, message.error, ['operator', 'caseNoFormat', 'caseNoShort', 'fontProfile', 'standardSets', 'retention'])
    }
  }
  return (
    <Card title="设置" style={{ maxWidth: 720 }}>
      <Typography.Paragraph type="secondary">
        本机：{t.mode === 'county' ? `${t.county}（县区汇总，代码 ${t.code}）` : `${t.name}（区划代码 ${t.code}），${t.county}`}
      </Typography.Paragraph>
      <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" onFinish={save}>
        <Form.Item name="operator" label="操作员姓名" extra="记入操作记录，用于说明每条修改由谁完成。">
          <Input maxLength={30} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="caseNoShort" label="调解案件编号简称" extra="例如“大托”，编号显示为〔2026〕大托调字第12号">
          <Input maxLength={10} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="caseNoFormat" label="调解案件编号格式" extra="{year} 年份，{short} 简称，{seq} 序号">
          <Input maxLength={60} style={{ width: 360 }} />
        </Form.Item>
        <CaseNoPreview form={form} />
        <Form.Item name="fontProfile" label="文书字体方案">
          <Radio.Group
            options={[
              { value: 'system', label: '系统字体（仿宋、楷体、黑体、宋体；Windows 10/11 推荐）' },
              { value: 'gb2312', label: '公文字体（仿宋_GB2312、楷体_GB2312、方正小标宋简体；需已安装）' },
            ]}
          />
        </Form.Item>
        <StandardSetsField />
        <Form.Item name="retention" label="迎检档案保管期限" extra="印在迎检档案封面上（现行保管期限：永久、30年、10年）">
          <Radio.Group options={retentionTerms.map((r) => ({ value: r, label: r }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          保存设置
        </Button>
      </Form>
    </Card>
  )
}
