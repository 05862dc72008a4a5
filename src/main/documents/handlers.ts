import type { DocumentFile } from '../../shared/documents/schema'
import type { HandlerMap } from '../api/handlers-type'
import { exportDocument } from './export'
import { readSelfCheckTexts, saveSelfCheckTexts } from './selfCheckTexts'

export const documentHandlers: HandlerMap<'documents.export' | 'documents.selfCheckTexts.get' | 'documents.selfCheckTexts.save'> = {
  'documents.export': async (input, ctx): Promise<DocumentFile> => {
    const r = await exportDocument(ctx, input)
    return { fileName: r.fileName, base64: r.buffer.toString('base64'), pages: r.pages }
  },
  'documents.selfCheckTexts.get': (input, ctx) => readSelfCheckTexts(ctx, input.targetId, input.year),
  'documents.selfCheckTexts.save': (input, ctx) => saveSelfCheckTexts(ctx, input),
}
