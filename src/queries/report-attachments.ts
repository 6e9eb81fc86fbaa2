/** A report's attachments for the reporter's tracking page (the caller's right to see the report is checked first). */
import { asc, eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { attachments } from '../db/schema.ts';

/** One attachment as listed to the reporter. */
export interface ReportAttachment {
  id: string;
  filename: string;
  mime: string;
  size: number;
  uploadedBy: string;
}

/** Every attachment of the report, oldest first. */
export async function reportAttachments(db: AppDb, reportId: string): Promise<ReportAttachment[]> {
  return db
    .select({
      id: attachments.id,
      filename: attachments.filename,
      mime: attachments.mime,
      size: attachments.size,
      uploadedBy: attachments.uploadedBy,
    })
    .from(attachments)
    .where(eq(attachments.reportId, reportId))
    .orderBy(asc(attachments.createdAt));
}
