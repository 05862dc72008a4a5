import { prefetch } from './transport'
import { prefetchStartPage } from './features/home/reads'

/**
 * index.html's first script, a few kilobytes: it asks for what the first screen shows (is the
 * database sound, which township, the start page's figures) while the program's own script, some
 * 700 KB, is still loading and starting. The answers wait in transport.ts for the screens' calls.
 */
prefetch('recovery.status', {})
prefetch('township.get', {})
prefetchStartPage()
