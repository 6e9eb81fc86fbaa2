/** Arsipkan: the verifier closes a report without processing it, with a reason code. */
import { OPEN_STATUSES, type ArchiveReason, type ReportStatus } from '../domain/report/report.ts';
import type { AppDb, Tx } from '../db/client.ts';
import { loadReport, type LoadedReport } from '../db/repositories/reports.ts';
import { can } from '../policies/can.ts';
import { subjectOf } from '../queries/access.ts';
import { stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { runReportAction } from './report-action.ts';

/**
 * The report a duplicate is archived into, or a field error on `field`: unknown, or hidden from the caller
 * (the same answer, never revealing that it exists), or no longer open (archived, completed, transferred: a
 * duplicate merged into it would be closed with nobody handling it, against "no wrong door").
 */
export async function requireKeptReport(
  db: AppDb | Tx,
  caller: Caller,
  trackingId: string,
  field: string,
): Promise<LoadedReport> {
  const kept = await loadReport(db, trackingId);
  if (!kept || !can(caller.actor, 'view', subjectOf(kept, caller)))
    throw invalid({ [field]: { key: 'duplicate_of_unknown' } });
  if (!OPEN_STATUSES.includes(kept.row.status as ReportStatus))
    throw invalid({ [field]: { key: 'duplicate_of_closed' } });
  return kept;
}

export interface ArchiveReportInput {
  reason: ArchiveReason;
  note?: string | undefined;
  /** Tracking number of the report this one duplicates (required when reason is `duplicate`). */
  duplicateOf?: string | undefined;
}

/** Archives a report; a duplicate links to the report that is kept. */
export function archiveReport(svc: Services, caller: Caller, trackingId: string, input: ArchiveReportInput) {
  return runReportAction(svc, caller, trackingId, 'archive', input, async ({ tx, report, now }) => {
    let duplicateOfId: string | null = null;
    let keptConfidential = false;
    if (input.reason === 'duplicate') {
      if (!input.duplicateOf) throw invalid({ duplicateOf: { key: 'duplicate_of_required' } });
      if (input.duplicateOf === trackingId) throw invalid({ duplicateOf: { key: 'duplicate_of_self' } });
      const kept = await requireKeptReport(tx, caller, input.duplicateOf, 'duplicateOf');
      duplicateOfId = kept.row.id;
      keptConfidential = kept.row.confidential;
    }
    await stopClocks(tx, report.row.id, 'all', now, 'cancel');
    return {
      patch: { archiveReason: input.reason, duplicateOfId, closedAt: now },
      event: {
        type: 'archive',
        visibility: 'reporter',
        body: input.note ?? null,
        // The duplicate's reporter reads `duplicateOf`; a confidential kept report's number stays with staff
        // (`keptTrackingId` is not among the event data keys a reporter sees, presenters/report.ts).
        data: {
          reason: input.reason,
          ...(input.duplicateOf
            ? keptConfidential
              ? { keptTrackingId: input.duplicateOf }
              : { duplicateOf: input.duplicateOf }
            : {}),
        },
      },
      deadline: null,
    };
  });
}
