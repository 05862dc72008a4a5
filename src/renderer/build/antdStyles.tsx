/** @jsxRuntime automatic */
import { renderToString } from 'react-dom/server'
import { createCache, extractStyle, StyleProvider } from '@ant-design/cssinjs'
import { App, Button, Card, ConfigProvider, Layout, Menu, Select, Space, Spin, Tooltip, Typography } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { SearchOutlined } from '@ant-design/icons'
import { antdConfig } from '../src/theme'

/**
 * The styles of the antd components drawn before the first screen is painted (the shell; the start
 * page's cards and year switcher, drawn the moment after; not the top bar's search), rendered at build
 * time with the program's own settings (theme.ts) and written as plain CSS into index.html. antd computes a component's styles in
 * the browser the first time it is drawn, which on an office PC was a third of the first screen's
 * time; with them in the page, antd finds each one already there (the map at the end of the CSS says
 * which) and skips the work. Only the first screen's: all of them would be 800 KB of CSS to read before
 * anything shows; a page opened later (forms, date pickers, drawers) computes its own as before.
 */
function Everything() {
  const items = [{ key: 'a', label: '工作台', icon: <SearchOutlined /> }]
  return (
    <App>
      <Layout>
        <Layout.Sider theme="light">
          <Menu mode="inline" items={items} selectedKeys={['a']} />
        </Layout.Sider>
        <Layout.Content>
          <Typography.Title level={4}>平安台账</Typography.Title>
          <Typography.Text type="secondary">文字</Typography.Text>
          <Typography.Paragraph>段落</Typography.Paragraph>
          <Space wrap>
            <Button type="primary" icon={<SearchOutlined />}>按钮</Button>
            <Button type="link" size="small" danger>删除</Button>
            <Button type="text">文字</Button>
            <Spin />
            <Tooltip title="提示"><span>提示</span></Tooltip>
          </Space>
          <Card size="small" title="卡片">卡片</Card>
          <Select options={[{ value: 1, label: '一' }]} />
        </Layout.Content>
      </Layout>
    </App>
  )
}

/** The CSS, with antd's map of the styles it holds (`.data-ant-cssinjs-cache-path{content:…}`) at the end. */
export function antdStylesCss(): string {
  const cache = createCache()
  renderToString(
    <StyleProvider cache={cache}>
      <ConfigProvider locale={zhCN} {...antdConfig}>
        <Everything />
      </ConfigProvider>
    </StyleProvider>,
  )
  return extractStyle(cache, true)
}
