/**
 * A verifier releases an image from the body of an anonim reporter's email (a signature logo, the sender's photo:
 * `attachments.email_inline`) to the agency, after looking at it: until then only those who may see the reporter
 * list or open it (`withheldInline`, docs/security.md). The release is audited as an internal `attachment_release`
 * event naming the verifier and the file. Leaving it withheld needs nothing.
 */
import { and, eq } from 'drizzle-orm';
import { attachments, reports } from '../db/schema.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { can } from '../policies/can.ts';
import { authorisingGrant, authorize } from '../queries/access.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';

/** The released file: its id and when it was released (the first release, for a release sent twice). */
export interface ReleasedImage {
  id: string;
  releasedAt: Date;
}

/**
 * Releases one withheld inline image. Only a verifier who may see the reporter (`setPrivacy` and `viewReporter` as
 * staff: a coordinator in the region, the national admin) may; anyone else who sees the report is refused (403), a
 * hidden report or an unknown file is 404, and a file that is not withheld (an attached file, an image on a report
 * that is not anonim) is 409 NOT_WITHHELD. Releasing an already released image changes nothing.
 */
export async function releaseInlineImage(
  svc: Services,
  caller: Caller,
  trackingId: string,
  attachmentId: string,
): Promise<ReleasedImage> {
  return svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    const subject = authorize(report, caller, 'setPrivacy');
    const asStaff = { ...subject, isReporter: false };
    if (!can(caller.actor, 'viewReporter', asStaff)) throw new AppError('FORBIDDEN');
    const row = report!.row;
    const [file] = await tx
      .select()
      .from(attachments)
      .where(and(eq(attachments.id, attachmentId), eq(attachments.reportId, row.id)))
      .limit(1);
    if (!file) throw new AppError('NOT_FOUND');
    if (file.releasedAt) return { id: file.id, releasedAt: file.releasedAt };
    if (!file.emailInline || !row.anonymous) throw new AppError('NOT_WITHHELD');
    const now = svc.now();
    await tx.update(attachments).set({ releasedAt: now }).where(eq(attachments.id, file.id));
    const [fresh] = await tx.select().from(reports).where(eq(reports.id, row.id));
    const grant = authorisingGrant(caller, 'setPrivacy', subject);
    await appendEvent(tx, fresh!, {
      type: 'attachment_release',
      visibility: 'internal',
      actorUserId: caller.actor.userId,
      actorRole: grant?.role ?? null,
      actorAgencyId: grant?.agencyId ?? null,
      createdAt: now,
      data: { attachmentId: file.id },
    });
    return { id: file.id, releasedAt: now };
  });
}
