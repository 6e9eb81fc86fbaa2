/** Arsipkan: the verifier closes a report without processing it, with a reason code. */
import type { ArchiveReason } from '../domain/report/report.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { runReportAction } from './report-action.ts';

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
      const kept = await loadReport(tx, input.duplicateOf);
      if (!kept) throw invalid({ duplicateOf: { key: 'duplicate_of_unknown' } });
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
