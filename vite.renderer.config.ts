import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { tsImport } from 'tsx/esm/api'

/**
 * The first screen's antd styles, rendered once per build (src/renderer/build/antdStyles.tsx) and put
 * in index.html, so the browser does not compute them while the clerk waits (issue 18, point 13).
 */
function antdStyles(): Plugin {
  let css: Promise<string> | undefined
  return {
    name: 'pingan-antd-styles',
    transformIndexHtml: async () => {
      css ??= tsImport(pathToFileURL(resolve(__dirname, 'src/renderer/build/antdStyles.tsx')).href, import.meta.url).then((m: { antdStylesCss: () => string }) => m.antdStylesCss())
      return [{ tag: 'style', attrs: { 'data-antd': 'first-screen' }, children: await css, injectTo: 'head' }]
    },
  }
}

/** The renderer alone, for browser mode and e2e tests; electron.vite.config.ts reuses it. */
export const rendererConfig = {
  root: resolve(__dirname, 'src/renderer'),
  base: './',
  plugins: [react(), antdStyles()],
  // minified in both builds (electron-vite leaves the renderer unminified unless told): the entry script stays small
  build: { outDir: resolve(__dirname, 'out/renderer'), emptyOutDir: true, chunkSizeWarningLimit: 6000, minify: 'esbuild' as const },
}

export default defineConfig(rendererConfig)
