import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

/** The renderer alone, for browser mode and e2e tests; electron.vite.config.ts reuses it. */
export const rendererConfig = {
  root: resolve(__dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  // minified in both builds (electron-vite leaves the renderer unminified unless told): the entry script stays small
  build: { outDir: resolve(__dirname, 'out/renderer'), emptyOutDir: true, chunkSizeWarningLimit: 6000, minify: 'esbuild' as const },
}

export default defineConfig(rendererConfig)
