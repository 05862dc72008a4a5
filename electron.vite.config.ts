import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './vite.renderer.config'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') }, external: ['better-sqlite3', 'electron'], output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  preload: {
    build: { outDir: 'out/preload', rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: { ...rendererConfig, build: { ...rendererConfig.build, rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } } },
})
