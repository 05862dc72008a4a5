import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { dataDirFrom } from './app'
import { openGuarded } from './recovery/guarded'
import { serve } from './http/server'
import { parseArgs, intOpt } from './cli/args'
import { privateUmask } from './fs/private'

/** `npm run serve [-- --port N --data-dir D]`: the same app in a browser, on this computer only. */
async function main(): Promise<void> {
  privateUmask()
  const args = parseArgs(process.argv.slice(2))
  // a database that will not open starts the recovery screen instead of failing; backups run automatically
  const app = openGuarded(dataDirFrom(process.argv), { autoBackup: true, writer: true })
  const here = dirname(fileURLToPath(import.meta.url))
  const running = await serve({ invoke: app.invoke, staticDir: join(here, '../../out/renderer'), port: intOpt(args, 'port', '端口') ?? 5178 })
  process.stdout.write(`平安台账（浏览器模式）已启动，数据目录：${app.dataDir}\n${app.problem() ? `注意：数据库未能打开（${app.problem()!.message}），浏览器中将显示恢复界面。\n` : ''}请在浏览器中打开：${running.url}\n`)
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
