import { contextBridge, ipcRenderer } from 'electron'

/** The renderer gets exactly one function. No ipcRenderer, no Node, nothing else. */
contextBridge.exposeInMainWorld('pingan', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke('pingan:invoke', method, input),
})
