import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './vite.renderer.config'

/**
 * main: electron-vite leaves `dependencies` external (its externalizeDeps) and bundles the rest, so main's
 * pure-JS libraries (docx, kysely, zod) are devDependencies and end up inside out/main/index.cjs; only
 * better-sqlite3 (native) and exceljs (src/main/excel/reader.ts loads its inner files by path) stay real
 * modules in the package. tests/desktop/dist.test.ts runs the packaged bundle (Word, Excel, SQLite).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts'), excelReader: resolve(__dirname, 'src/main/excel/readerWorker.ts') }, external: ['better-sqlite3', 'electron'], output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  preload: {
    build: { outDir: 'out/preload', rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: { ...rendererConfig, build: { ...rendererConfig.build, rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } } },
})
