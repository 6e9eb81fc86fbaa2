/**
 * Keeps a file uploaded during the web report journey until the report is submitted. The file is checked
 * (type by its bytes, size) and its metadata removed at once (images re-encoded, PDFs rewritten), so GPS, authors
 * and other metadata never reach the disk even for a draft that is abandoned; a PDF that cannot be cleaned is
 * refused here already. The draft, file name included, is stored sealed (form_drafts.data_enc). On submission
 * each staged file goes through `addAttachment`.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../app/context.ts';
import type { DraftFile } from '../queries/draft.ts';
import { cleanFilename, cleanUpload } from './add-attachment.ts';

/** Validates, strips and stores one file; returns its draft record. */
export async function stageDraftFile(svc: Services, filename: string, data: Buffer): Promise<DraftFile> {
  const { bytes, mime, ext } = await cleanUpload(data);
  const key = `drafts/${randomUUID()}.${ext}`;
  await svc.storage.put(key, bytes);
  return { key, filename: cleanFilename(filename, ext), mime, size: bytes.length };
}
