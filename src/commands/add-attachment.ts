/**
 * Attachments: photos (JPEG, PNG, WebP) and PDF, size-limited, recognised by their bytes (not the file name).
 * Images are re-encoded and PDFs rewritten so that GPS, authors and every other metadata field are dropped before
 * anything is stored. The uploader's own file name is stored sealed (it often carries a NIK or a name); the
 * `filename` column holds the neutral `lampiran-<id>.<ext>` (docs/security.md).
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { attachments, piiAccessLog, reports } from '../db/schema.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { loadReport } from '../db/repositories/reports.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { authorize, refusalFor } from '../queries/access.ts';
import { isPublicFollowUpAttachment } from '../queries/report-attachments.ts';
import { can, receivesHandOff } from '../policies/can.ts';
import { query, type AppDb } from '../db/client.ts';
import type { ActionResult } from './report-action.ts';
import { cleanPdf, UnreadablePdfError } from '../integrations/pdf-metadata.ts';
import {
  attachmentFilename,
  neutralFilename,
  revealsReporterName,
  withheldInline,
} from '../presenters/attachment.ts';

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

/** A checked upload: its type recognised by its bytes, its metadata removed. */
export interface CleanFile {
  bytes: Buffer;
  mime: string;
  ext: string;
}

/**
 * Checks one uploaded file (present, within the size limit, a type we take) and strips its metadata. A file whose
 * metadata cannot be removed is refused (422), never stored as it came: a PDF that cannot be parsed or is
 * encrypted, an image sharp cannot decode. Used by every upload path (API, staff pages, channels, web drafts).
 */
export async function cleanUpload(data: Buffer): Promise<CleanFile> {
  if (data.length === 0) throw invalid({ file: { key: 'required' } });
  if (data.length > ATTACHMENT_LIMITS.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
  const type = await fileTypeFromBuffer(data);
  if (!type || !ATTACHMENT_LIMITS.types.includes(type.mime)) {
    throw invalid({ file: { key: 'one_of', params: { options: 'JPEG, PNG, WebP, PDF' } } });
  }
  if (type.mime === 'application/pdf') return { bytes: await stripPdf(data), mime: type.mime, ext: type.ext };
  try {
    return { bytes: await stripImageMetadata(data, type.mime), mime: type.mime, ext: type.ext };
  } catch {
    throw invalid({ file: { key: 'invalid_format' } });
  }
}

async function stripPdf(data: Buffer): Promise<Buffer> {
  try {
    return await cleanPdf(data);
  } catch (e) {
    const encrypted = e instanceof UnreadablePdfError && e.reason === 'encrypted';
    throw invalid({ file: { key: encrypted ? 'pdf_encrypted' : 'pdf_unreadable' } });
  }
}

/** The uploader's file name, reduced to letters, digits and `._ -` (it is shown in pages and headers). */
export function cleanFilename(filename: string, ext: string): string {
  return filename.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || `lampiran.${ext}`;
}

/** An upload already checked and cleaned (`prepareAttachment`), ready to be stored. */
export interface PreparedAttachment {
  /** The uploader's file name, cleaned (`cleanFilename`). */
  filename: string;
  file: CleanFile;
}

/**
 * Checks and cleans one upload without storing it (`cleanUpload`): a form can check every file before it posts
 * anything, and refuse the whole submission when one file is refused.
 */
export async function prepareAttachment(file: AttachmentInput): Promise<PreparedAttachment> {
  const clean = await cleanUpload(file.data);
  return { filename: cleanFilename(file.filename, clean.ext), file: clean };
}

/** How a file is stored beyond its bytes. */
export interface StoreOptions {
  /** The file an action's event was sent with (a follow-up). */
  eventId?: number;
  /** An image from the body of an emailed complaint, not an attached file (`withheldInline`). */
  emailInline?: boolean | undefined;
}

/** Stores an attachment on a report for the reporter or staff in scope. */
export async function addAttachment(
  svc: Services,
  caller: Caller,
  trackingId: string,
  file: AttachmentInput,
  opts: Pick<StoreOptions, 'emailInline'> = {},
) {
  return storeAttachment(svc, caller, trackingId, await prepareAttachment(file), opts);
}

/**
 * Stores a prepared attachment on a report for the reporter or staff in scope, with its own `attachment` event;
 * `eventId` ties the file to the event it belongs to (a follow-up). The stored bytes are removed again when the
 * row is not written.
 */
export async function storeAttachment(
  svc: Services,
  caller: Caller,
  trackingId: string,
  prepared: PreparedAttachment,
  opts: StoreOptions = {},
) {
  const { bytes, mime, ext } = prepared.file;
  const key = `${new Date().getUTCFullYear()}/${randomUUID()}.${ext}`;
  const id = randomUUID();
  const filename = prepared.filename;
  let put = false;
  try {
    return await svc.db.transaction(async (tx) => {
      const report = await loadReport(tx, trackingId, { forUpdate: true });
      const subject = authorize(report, caller, 'view');
      const staff = can(caller.actor, 'note', { ...subject, isReporter: false });
      if (!subject.isReporter && !staff) throw refusalFor(caller);
      const [{ n } = { n: 0 }] = await query<{ n: number }>(
        tx,
        sql`select count(*)::int as n from attachments where report_id = ${report!.row.id}`,
      );
      if (n >= ATTACHMENT_LIMITS.maxPerReport)
        throw invalid({ file: { key: 'too_big', params: { max: ATTACHMENT_LIMITS.maxPerReport } } });
      put = true;
      await svc.storage.put(key, bytes);
      const now = svc.now();
      const [row] = await tx
        .insert(attachments)
        .values({
          id,
          reportId: report!.row.id,
          eventId: opts.eventId ?? null,
          filename: neutralFilename({ id, mime }),
          filenameEnc: svc.sealer.seal(filename),
          mime,
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          storageKey: key,
          uploadedBy: subject.isReporter ? 'reporter' : 'staff',
          createdAt: now,
          emailInline: opts.emailInline === true,
        })
        .returning();
      const [fresh] = await tx.select().from(reports).where(eq(reports.id, report!.row.id));
      await appendEvent(tx, fresh!, {
        type: 'attachment',
        visibility: subject.isReporter ? 'reporter' : 'public',
        actorUserId: caller.actor.userId,
        actorRole: subject.isReporter ? 'reporter' : 'staff',
        createdAt: now,
        data: {
          attachmentId: row!.id,
          mime,
          size: bytes.length,
          ...(opts.emailInline ? { emailInline: true } : {}),
        },
      });
      // The uploader gets back the name they sent (the row itself holds only the neutral one).
      return { ...row!, originalFilename: filename };
    });
  } catch (e) {
    if (put) await svc.storage.remove(key).catch(() => undefined);
    throw e;
  }
}

/**
 * Runs a report action and stores the prepared files on the event it appended (`attachments.event_id`), in one
 * transaction: the action and its files are posted together or not at all (a file over the report's limit undoes
 * the action too). Check the files first (`prepareAttachment`), so a refused file posts nothing.
 */
export async function withAttachments(
  svc: Services,
  caller: Caller,
  trackingId: string,
  files: PreparedAttachment[],
  action: (svc: Services) => Promise<ActionResult>,
): Promise<ActionResult> {
  if (files.length === 0) return action(svc);
  const keys: string[] = [];
  try {
    return await svc.db.transaction(async (tx) => {
      const inner: Services = { ...svc, db: tx as unknown as AppDb };
      const result = await action(inner);
      for (const file of files) {
        const row = await storeAttachment(inner, caller, trackingId, file, { eventId: result.event.id });
        keys.push(row.storageKey);
      }
      return result;
    });
  } catch (e) {
    // Files of a rolled-back transaction have no row: remove their bytes.
    await Promise.all(keys.map((k) => svc.storage.remove(k).catch(() => undefined)));
    throw e;
  }
}

/**
 * Loads an attachment for download if the caller may see it (reporter uploads: reporter and staff only), with
 * the name to send: a reporter's own file name only to the reporter and to staff allowed to see who reported,
 * and such a view by staff is logged like any view of the reporter's identity (revealReporter).
 */
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
  const mayViewReporter = subject.isReporter || can(caller.actor, 'viewReporter', subject);
  // An image from an anonim reporter's email body, not released by a verifier: as if it did not exist.
  if (withheldInline(row, report!.row.anonymous, mayViewReporter)) throw new AppError('NOT_FOUND');
  const staff = can(caller.actor, 'viewInternal', subject);
  // The Ombudsman office a report was handed over to opens the reporter's files its package lists (under the
  // package's names), without reading internal notes.
  const handOff = row.uploadedBy === 'reporter' && receivesHandOff(caller.actor, subject);
  if (row.uploadedBy === 'reporter' && !subject.isReporter && !staff && !handOff)
    throw new AppError('NOT_FOUND');
  // Anyone else gets only the files the public report page lists (never a file of an internal note, whose id a
  // staff page shows), by the same rule.
  if (
    !subject.isReporter &&
    !staff &&
    !handOff &&
    !(await isPublicFollowUpAttachment(svc.db, row.reportId, row.id))
  )
    throw new AppError('NOT_FOUND');
  if (revealsReporterName(row, mayViewReporter, subject.isReporter)) {
    await svc.db
      .insert(piiAccessLog)
      .values({ userId: caller.actor.userId, reportId: row.reportId, purpose: 'attachment.filename' });
  }
  const name = attachmentFilename(row, mayViewReporter, svc.sealer);
  return { row, name, stream: await svc.storage.stream(row.storageKey) };
}

/**
 * Seals the names of attachments stored before migration 0025, when `filename` held the uploader's own name in
 * clear: SQL cannot seal (the key lives with the app), so the app does it. Idempotent and safe to run at every
 * start or alongside uploads: a row is changed only while `filename_enc` is still null and its name is the one
 * read. Until a row is sealed, the readers (presenters/attachment.ts) take its plain name as the original.
 * Returns how many rows it sealed.
 */
export async function sealLegacyAttachmentFilenames(svc: Services, opts: { page?: number } = {}) {
  const page = opts.page ?? 500;
  let sealed = 0;
  for (;;) {
    const rows = await svc.db
      .select({ id: attachments.id, filename: attachments.filename, mime: attachments.mime })
      .from(attachments)
      .where(isNull(attachments.filenameEnc))
      .limit(page);
    if (rows.length === 0) return sealed;
    const changes = rows.map((r) => ({
      id: r.id,
      old: r.filename,
      name: neutralFilename(r),
      enc: svc.sealer.seal(r.filename),
    }));
    const done = await query<{ n: number }>(
      svc.db,
      sql`with v as (
            select * from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as v(id uuid, old text, name text, enc text)
          ), u as (
            update attachments a set filename = v.name, filename_enc = v.enc from v
            where a.id = v.id and a.filename_enc is null and a.filename = v.old
            returning 1
          )
          select count(*)::int as n from u`,
    );
    sealed += done[0]?.n ?? 0;
  }
}
