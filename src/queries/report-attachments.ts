/** A report's attachments: all of them for the reporter's tracking page, the agency's public ones for the public page. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import type { AppDb } from '../db/client.ts';
import { attachments, reportEvents } from '../db/schema.ts';
import { neutralFilename, originalFilename } from '../presenters/attachment.ts';

/** One attachment as listed: to the reporter under its own name, to the public under the neutral one. */
export interface ReportAttachment {
  id: string;
  filename: string;
  mime: string;
  size: number;
  uploadedBy: string;
}

const LISTED = {
  id: attachments.id,
  filename: attachments.filename,
  filenameEnc: attachments.filenameEnc,
  mime: attachments.mime,
  size: attachments.size,
  uploadedBy: attachments.uploadedBy,
};

/** A listed row under the name the caller may see (the sealed name never leaves this module). */
function listed(f: ReportAttachment & { filenameEnc: string | null }, filename: string): ReportAttachment {
  return { id: f.id, filename, mime: f.mime, size: f.size, uploadedBy: f.uploadedBy };
}

/**
 * Every attachment of the report, oldest first, under the uploader's own names: for the reporter's own tracking
 * page (the reporter sees their own file names, and the agency's, as before names were sealed).
 */
export async function reportAttachments(
  svc: Pick<Services, 'db' | 'sealer'>,
  reportId: string,
): Promise<ReportAttachment[]> {
  const rows = await svc.db
    .select(LISTED)
    .from(attachments)
    .where(eq(attachments.reportId, reportId))
    .orderBy(asc(attachments.createdAt));
  return rows.map((f) => listed(f, originalFilename(f, svc.sealer)));
}

/** How many files a report holds (against `ATTACHMENT_LIMITS.maxPerReport`). */
export async function countReportAttachments(db: AppDb, reportId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(attachments)
    .where(eq(attachments.reportId, reportId));
  return Number(row?.n ?? 0);
}

/**
 * The agency's files on a public report page: staff uploads whose upload event is public, and, when the file is
 * tied to an event (`event_id`), only if that event is public too (never a file of an internal note). Reporter
 * uploads are never listed here. The caller checks first that the report itself is public.
 */
export async function publicFollowUpAttachments(db: AppDb, reportId: string): Promise<ReportAttachment[]> {
  const rows = await db
    .select(LISTED)
    .from(attachments)
    .where(publicFollowUp(reportId))
    .orderBy(asc(attachments.createdAt));
  // Always the neutral name, also for a row stored before names were sealed.
  return rows.map((f) => listed(f, neutralFilename(f)));
}

/** Whether one attachment is among {@link publicFollowUpAttachments} of its report. */
export async function isPublicFollowUpAttachment(db: AppDb, reportId: string, attachmentId: string) {
  const rows = await db
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), publicFollowUp(reportId)))
    .limit(1);
  return rows.length > 0;
}

function publicFollowUp(reportId: string) {
  return and(
    eq(attachments.reportId, reportId),
    eq(attachments.uploadedBy, 'staff'),
    sql`exists (select 1 from ${reportEvents} e where e.report_id = ${attachments.reportId}
          and e.type = 'attachment' and e.visibility = 'public'
          and e.data->>'attachmentId' = ${attachments.id}::text)`,
    sql`(${attachments.eventId} is null or exists (select 1 from ${reportEvents} f
          where f.id = ${attachments.eventId} and f.report_id = ${attachments.reportId}
          and f.visibility = 'public'))`,
  );
}
