import type { ConfigProviderProps } from 'antd'

/**
 * The program's antd settings, in one place: main.tsx gives them to the ConfigProvider and the build
 * renders the components with the same ones to write their styles into a CSS file
 * (scripts/antdStyles.tsx), so the first screen does not compute them in the browser.
 */
export const antdConfig: ConfigProviderProps = {
  button: { autoInsertSpace: false },
  theme: { token: { colorPrimary: '#b7312c', fontSize: 15 } },
}
