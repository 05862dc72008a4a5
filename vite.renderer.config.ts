import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineConfig, type HtmlTagDescriptor, type Plugin, type Rollup } from 'vite'
import react from '@vitejs/plugin-react'
import { tsImport } from 'tsx/esm/api'

/**
 * The start page's chunks fetched beside the entry script instead of after it has run (the page asks
 * for them only once the entry is evaluated): <link rel="modulepreload"> for the chunk and its imports.
 */
function startPagePreloads(bundle: Rollup.OutputBundle | undefined): HtmlTagDescriptor[] {
  if (!bundle) return []
  const chunks = Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk')
  // the chunk holding StartPage.tsx (not always its facade: the start page's lazy rest shares its modules)
  const start = chunks.find((c) => c.moduleIds.some((m) => m.endsWith('features/home/StartPage.tsx')))
  if (!start) return []
  const files = new Set<string>()
  const visit = (file: string) => {
    const c = chunks.find((x) => x.fileName === file)
    if (!c || c.isEntry || files.has(file)) return
    files.add(file)
    c.imports.forEach(visit)
  }
  visit(start.fileName)
  return [...files].map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const }))
}

/**
 * The first screen's antd styles, rendered once per build (src/renderer/build/antdStyles.tsx) and put
 * in index.html, so the browser does not compute them while the clerk waits (issue 18, point 13).
 */
function antdStyles(): Plugin {
  let css: Promise<string> | undefined
  return {
    name: 'pingan-antd-styles',
    transformIndexHtml: async (_html, ctx) => {
      css ??= tsImport(pathToFileURL(resolve(__dirname, 'src/renderer/build/antdStyles.tsx')).href, import.meta.url).then((m: { antdStylesCss: () => string }) => m.antdStylesCss())
      return [{ tag: 'style', attrs: { 'data-antd': 'first-screen' }, children: await css, injectTo: 'head' }, ...startPagePreloads(ctx.bundle)]
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
