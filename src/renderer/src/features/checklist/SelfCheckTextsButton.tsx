import { useState } from 'react'
import { App, Button, Form, Input, Modal, Typography } from 'antd'
import type { SelfCheckTexts } from '../../../../shared/documents/schema'
import { invoke } from '../../api'
import { clearApiError, showApiError } from '../../components/apiForm'

type Values = Pick<SelfCheckTexts, 'measures' | 'nextSteps'>

/**
 * 整改措施 and 下一步工作 of a target's 自查报告 for the year, as the clerk writes them: printed in the
 * report under 存在问题, kept with the year's answers and carried in packages.
 */
export function SelfCheckTextsButton({ targetId, targetName, year }: { targetId: string; targetName: string; year: number }) {
  const { message } = App.useApp()
  // the texts as stored when the dialog opened; null while it is closed
  const [values, setValues] = useState<Values | null>(null)
  const [saving, setSaving] = useState(false)
  const [form] = Form.useForm<Values>()
  const show = async () => {
    const t = await invoke('documents.selfCheckTexts.get', { targetId, year })
    setValues({ measures: t.measures, nextSteps: t.nextSteps })
  }
  const save = async (v: Values) => {
    setSaving(true)
    try {
      await invoke('documents.selfCheckTexts.save', { targetId, year, measures: v.measures ?? '', nextSteps: v.nextSteps ?? '' })
      message.success('已保存，自查报告将使用这些内容')
      setValues(null)
    } catch (e) {
      showApiError(form, e, message.error, ['measures', 'nextSteps'])
    } finally {
      setSaving(false)
    }
  }
  return (
    <>
      <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => void show()}>
        整改措施
      </Button>
      <Modal open={values !== null} title={`${targetName}${year}年自查报告：整改措施和下一步工作`} okText="保存" confirmLoading={saving} onOk={() => form.submit()} onCancel={() => setValues(null)} width={680} destroyOnHidden>
        <Typography.Paragraph type="secondary">自查报告的“存在问题”由程序按自查结果写出；整改措施和下一步工作请在这里填写，每段一行。</Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={values ?? {}} onFinish={(v) => void save(v)} onValuesChange={clearApiError(form)}>
          <Form.Item name="measures" label="整改措施">
            <Input.TextArea rows={5} maxLength={5000} placeholder="针对存在问题采取的整改措施" />
          </Form.Item>
          <Form.Item name="nextSteps" label="下一步工作">
            <Input.TextArea rows={4} maxLength={5000} placeholder="下一步的工作打算" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
