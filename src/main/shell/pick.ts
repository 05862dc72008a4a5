import { pickInput, type PickResult } from '../../shared/files/schema'

/** What the desktop's files.pick asks the system dialog (Electron's OpenDialogOptions, as plain data). */
export interface OpenDialogAsk {
  title: string
  buttonLabel: string
  properties: ('openDirectory' | 'openFile' | 'createDirectory')[]
  filters?: { name: string; extensions: string[] }[]
}

/**
 * The desktop answers files.pick with the system's own dialog: this turns the (checked) input into
 * the dialog's options, or null when the input is not a valid pick (the dispatcher then refuses it
 * the usual way).
 */
export function openDialogAsk(input: unknown): OpenDialogAsk | null {
  const r = pickInput.safeParse(input)
  if (!r.success) return null
  const p = r.data
  if (p.kind === 'folder') return { title: p.title ?? '选择文件夹', buttonLabel: '选择此文件夹', properties: ['openDirectory', 'createDirectory'] }
  return {
    title: p.title ?? '选择文件',
    buttonLabel: '打开',
    properties: ['openFile'],
    ...(p.extensions?.length ? { filters: [{ name: p.extensions.map((e) => `.${e}`).join('、'), extensions: p.extensions }] } : {}),
  }
}

/** The dialog's answer as the contract's PickResult (cancelled: path null). */
export function pickFromDialog(answer: { canceled: boolean; filePaths: string[] }): PickResult {
  const path = !answer.canceled && answer.filePaths[0] ? answer.filePaths[0] : null
  return { dialog: true, path, volumes: [], suggested: null }
}
