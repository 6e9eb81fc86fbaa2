/**
 * Keeps a file uploaded during the web report journey until the report is submitted. The file is checked
 * (type by its bytes, size) and images are re-encoded at once, so GPS and other metadata never reach the
 * disk even for a draft that is abandoned. On submission each staged file goes through `addAttachment`.
 */
import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import type { DraftFile } from '../queries/draft.ts';
import { ATTACHMENT_LIMITS, stripImageMetadata } from './add-attachment.ts';

/** Validates, strips and stores one file; returns its draft record. */
export async function stageDraftFile(svc: Services, filename: string, data: Buffer): Promise<DraftFile> {
  if (data.length === 0) throw invalid({ file: { key: 'required' } });
  if (data.length > ATTACHMENT_LIMITS.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
  const type = await fileTypeFromBuffer(data);
  if (!type || !ATTACHMENT_LIMITS.types.includes(type.mime)) {
    throw invalid({ file: { key: 'one_of', params: { options: 'JPEG, PNG, WebP, PDF' } } });
  }
  let bytes = data;
  if (type.mime.startsWith('image/')) {
    try {
      bytes = await stripImageMetadata(data, type.mime);
    } catch {
      throw invalid({ file: { key: 'invalid_format' } });
    }
  }
  const key = `drafts/${randomUUID()}.${type.ext}`;
  await svc.storage.put(key, bytes);
  const clean = filename.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || `lampiran.${type.ext}`;
  return { key, filename: clean, mime: type.mime, size: bytes.length };
}
