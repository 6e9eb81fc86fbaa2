/**
 * Attachments: photos (JPEG, PNG, WebP) and PDF, size-limited, recognised by their bytes (not the file name).
 * Images are re-encoded so that GPS and every other metadata field is dropped before anything is stored.
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { attachments, reports } from '../db/schema.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { loadReport } from '../db/repositories/reports.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { authorize } from '../queries/access.ts';
import { can } from '../policies/can.ts';
import { query } from '../db/client.ts';

/** Limits shown on the form and enforced here. */
export const ATTACHMENT_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxPerReport: 10,
  types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
};

export interface AttachmentInput {
  filename: string;
  data: Buffer;
}

/** Removes metadata (EXIF GPS, XMP, comments) by re-encoding; orientation is applied first. */
export async function stripImageMetadata(data: Buffer, mime: string): Promise<Buffer> {
  const img = sharp(data, { failOn: 'error' }).rotate();
  if (mime === 'image/png') return img.png().toBuffer();
  if (mime === 'image/webp') return img.webp().toBuffer();
  return img.jpeg({ quality: 88 }).toBuffer();
}

/** Stores an attachment on a report for the reporter or staff in scope. */
export async function addAttachment(
  svc: Services,
  caller: Caller,
  trackingId: string,
  file: AttachmentInput,
) {
  if (file.data.length === 0) throw invalid({ file: { key: 'required' } });
  if (file.data.length > ATTACHMENT_LIMITS.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
  const type = await fileTypeFromBuffer(file.data);
  if (!type || !ATTACHMENT_LIMITS.types.includes(type.mime)) {
    throw invalid({ file: { key: 'one_of', params: { options: 'JPEG, PNG, WebP, PDF' } } });
  }
  let bytes = file.data;
  if (type.mime.startsWith('image/')) {
    try {
      bytes = await stripImageMetadata(file.data, type.mime);
    } catch {
      throw invalid({ file: { key: 'invalid_format' } });
    }
  }
  const key = `${new Date().getUTCFullYear()}/${randomUUID()}.${type.ext}`;
  const filename = file.filename.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || `lampiran.${type.ext}`;
  return svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    const subject = authorize(report, caller, 'view');
    const staff = can(caller.actor, 'note', { ...subject, isReporter: false });
    if (!subject.isReporter && !staff) throw new AppError('FORBIDDEN');
    const [{ n } = { n: 0 }] = await query<{ n: number }>(
      tx,
      sql`select count(*)::int as n from attachments where report_id = ${report!.row.id}`,
    );
    if (n >= ATTACHMENT_LIMITS.maxPerReport)
      throw invalid({ file: { key: 'too_big', params: { max: ATTACHMENT_LIMITS.maxPerReport } } });
    await svc.storage.put(key, bytes);
    const now = svc.now();
    const [row] = await tx
      .insert(attachments)
      .values({
        reportId: report!.row.id,
        filename,
        mime: type.mime,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        storageKey: key,
        uploadedBy: subject.isReporter ? 'reporter' : 'staff',
        createdAt: now,
      })
      .returning();
    const [fresh] = await tx.select().from(reports).where(eq(reports.id, report!.row.id));
    await appendEvent(tx, fresh!, {
      type: 'attachment',
      visibility: subject.isReporter ? 'reporter' : 'public',
      actorUserId: caller.actor.userId,
      actorRole: subject.isReporter ? 'reporter' : 'staff',
      createdAt: now,
      data: { attachmentId: row!.id, mime: type.mime, size: bytes.length },
    });
    return row!;
  });
}

/** Loads an attachment for download if the caller may see it (reporter uploads: reporter and staff only). */
export async function openAttachment(
  svc: Services,
  caller: Caller,
  trackingId: string,
  attachmentId: string,
) {
  const report = await loadReport(svc.db, trackingId);
  const subject = authorize(report, caller, 'view');
  const [row] = await svc.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), eq(attachments.reportId, report!.row.id)))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND');
  const staff = can(caller.actor, 'viewInternal', subject);
  if (row.uploadedBy === 'reporter' && !subject.isReporter && !staff) throw new AppError('NOT_FOUND');
  return { row, stream: await svc.storage.stream(row.storageKey) };
}
