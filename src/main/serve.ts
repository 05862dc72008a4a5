import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { dataDirFrom, openApp } from './app'
import { serve } from './http/server'
import { parseArgs, intOpt } from './cli/args'

/** `npm run serve [-- --port N --data-dir D]`: the same app in a browser, on this computer only. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const app = openApp(dataDirFrom(process.argv))
  const here = dirname(fileURLToPath(import.meta.url))
  const running = await serve({ invoke: app.invoke, staticDir: join(here, '../../out/renderer'), port: intOpt(args, 'port', '端口') ?? 5178 })
  process.stdout.write(`平安台账（浏览器模式）已启动，数据目录：${app.ctx.dataDir}\n请在浏览器中打开：${running.url}\n`)
  const stop = () => {
    void running.close().then(() => {
      app.close()
      process.exit(0)
    })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  process.stderr.write(`启动失败：${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
