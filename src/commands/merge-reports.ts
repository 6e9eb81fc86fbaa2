/**
 * Merge a duplicate into the report that is kept (issue 7), in one transaction: the duplicate is
 * archived with reason `duplicate` (the ordinary archive action, so its reporter is told), its
 * supporters move to the kept report, and the kept report gets a `merge` event (so its reporter is
 * told too: appendEvent writes the outbox row for each event).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { loadReport, type LoadedReport } from '../db/repositories/reports.ts';
import { reports, supports } from '../db/schema.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { authorisingGrant, subjectOf } from '../queries/access.ts';
import { archiveReport, requireKeptReport } from './archive-report.ts';
import { ownIdentityOf } from './report-action.ts';
import { maskOwnIdentity } from '../domain/report/own-identity.ts';

/** Input of a merge. */
export interface MergeReportsInput {
  /** Tracking number of the report that stays. */
  keepTrackingId: string;
  note?: string | undefined;
}

/** The outcome: both reports after the merge and how many supporters moved. */
export interface MergeResult {
  duplicate: LoadedReport;
  kept: LoadedReport;
  supportersMoved: number;
}

/**
 * Archive `trackingId` as a duplicate of `input.keepTrackingId` and move its supporters. The caller
 * needs the archive right on the duplicate and must be able to see the kept report (422 `duplicate_of_unknown`
 * otherwise, as for a tracking number that does not exist).
 */
export async function mergeReports(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: MergeReportsInput,
): Promise<MergeResult> {
  if (input.keepTrackingId === trackingId) throw invalid({ keepTrackingId: { key: 'duplicate_of_self' } });
  return svc.db.transaction(async (tx) => {
    // Unknown, hidden or closed: a field error under this API's field name, before anything changes.
    await requireKeptReport(tx, caller, input.keepTrackingId, 'keepTrackingId');
    // Archive through the ordinary action (a savepoint inside this transaction).
    const archived = await archiveReport({ ...svc, db: tx as unknown as AppDb }, caller, trackingId, {
      reason: 'duplicate',
      duplicateOf: input.keepTrackingId,
      note: input.note,
    });
    const kept = await loadReport(tx, input.keepTrackingId, { forUpdate: true });
    if (!kept) throw invalid({ keepTrackingId: { key: 'duplicate_of_unknown' } });
    const subject = subjectOf(kept, caller);
    const dupId = archived.report.row.id;
    const keptId = kept.row.id;
    const moved = await tx.execute(
      sql`insert into supports (report_id, supporter_key, created_at)
          select ${keptId}, supporter_key, created_at from supports where report_id = ${dupId}
          on conflict do nothing returning supporter_key`,
    );
    const supportersMoved = (moved as unknown as { rows: unknown[] }).rows.length;
    // Whoever asked for updates on the duplicate gets them on the kept report (also when they supported both).
    await tx.execute(
      sql`update supports k set notify_lang = d.notify_lang from supports d
           where d.report_id = ${dupId} and d.notify_lang is not null
             and k.report_id = ${keptId} and k.supporter_key = d.supporter_key and k.notify_lang is null`,
    );
    await tx.delete(supports).where(eq(supports.reportId, dupId));
    await tx.update(reports).set({ supportCount: 0 }).where(eq(reports.id, dupId));
    const now = svc.now();
    await tx
      .update(reports)
      .set({ supportCount: sql`${reports.supportCount} + ${supportersMoved}`, updatedAt: now })
      .where(and(eq(reports.id, keptId)));
    const grant = authorisingGrant(caller, 'view', subject);
    const fresh = await loadReport(tx, input.keepTrackingId, { forUpdate: true });
    await appendEvent(tx, fresh!.row, {
      type: 'merge',
      visibility: 'reporter',
      createdAt: now,
      actorUserId: caller.actor.userId,
      actorRole: caller.system ? `system:${caller.system}` : (grant?.role ?? null),
      actorAgencyId: grant?.agencyId ?? null,
      // The kept report's agency reads this note: no identity of an anonim reporter of either report in it.
      body: [archived.report, fresh!]
        .filter((r) => r.row.anonymous)
        .reduce<string | null>(
          (note, r) => note && maskOwnIdentity(note, ownIdentityOf(svc, r)),
          input.note ?? null,
        ),
      data: { mergedFrom: trackingId, supportersMoved },
    });
    const [dup, keptAfter] = await Promise.all([
      loadReport(tx, trackingId),
      loadReport(tx, input.keepTrackingId),
    ]);
    if (!dup || !keptAfter) throw new AppError('REPORT_NOT_FOUND');
    return { duplicate: dup, kept: keptAfter, supportersMoved };
  });
}
