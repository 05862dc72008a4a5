import { createRoot } from 'react-dom/client'
import { ConfigProvider, App as AntApp } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { App } from './App'
import { antdConfig } from './theme'

dayjs.locale('zh-cn')

createRoot(document.getElementById('root')!).render(
  <ConfigProvider locale={zhCN} {...antdConfig}>
    {/* one message at a time, inside the top bar: a toast never covers a page's toolbar */}
    <AntApp message={{ maxCount: 1, top: 2 }}>
      <App />
    </AntApp>
  </ConfigProvider>,
)
