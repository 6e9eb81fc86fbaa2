/**
 * Verifiers can set *anonim* and *rahasia* at any time (a reporter may ask, or the content may require it).
 * No status change: the flags change and an internal event records who changed what.
 */
import { eq } from 'drizzle-orm';
import { reports } from '../db/schema.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { loadReport } from '../db/repositories/reports.ts';
import type { Caller, Services } from '../app/context.ts';
import { authorisingGrant, authorize } from '../queries/access.ts';

export interface SetPrivacyInput {
  anonymous?: boolean | undefined;
  confidential?: boolean | undefined;
}

/** Changes the privacy flags of a report. */
export async function setReportPrivacy(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: SetPrivacyInput,
) {
  return svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    const subject = authorize(report, caller, 'setPrivacy');
    const row = report!.row;
    const now = svc.now();
    const next = {
      anonymous: input.anonymous ?? row.anonymous,
      confidential: input.confidential ?? row.confidential,
    };
    const [updated] = await tx
      .update(reports)
      .set({ ...next, updatedAt: now })
      .where(eq(reports.id, row.id))
      .returning();
    const grant = authorisingGrant(caller, 'setPrivacy', subject);
    await appendEvent(tx, updated!, {
      type: 'privacy',
      visibility: 'internal',
      actorUserId: caller.actor.userId,
      actorRole: grant?.role ?? null,
      actorAgencyId: grant?.agencyId ?? null,
      createdAt: now,
      data: { before: { anonymous: row.anonymous, confidential: row.confidential }, after: next },
    });
    return (await loadReport(tx, trackingId))!;
  });
}
