import type { DocumentFile } from '../../shared/documents/schema'
import { documentKindLabels } from '../../shared/documents/schema'
import type { HandlerMap } from '../api/handlers-type'
import { exportDocument } from './export'

export const documentHandlers: HandlerMap<'documents.export'> = {
  'documents.export': async (input, ctx): Promise<DocumentFile> => {
    const r = await exportDocument(ctx, input)
    void documentKindLabels
    return { fileName: r.fileName, base64: r.buffer.toString('base64'), pages: r.pages }
  },
}
