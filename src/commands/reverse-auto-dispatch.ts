/**
 * Reversing an auto-dispatch (issue 7: "every auto-dispatch is logged and reversible"): the report goes back
 * to the verifier queue through the ordinary bukan-wewenang `returnReport`, so the reversal is one
 * transaction with a hash-chained `return` event (the working days lost are counted, the verification clock
 * restarts, the reporter is told) and the model learns from it at the next training like any misrouting.
 * Who may do it is the `return` right (the national admin, the dispatched agency's admin); only reports
 * whose current dispatch came from the auto-dispatcher are accepted here.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { reportEvents } from '../db/schema.ts';
import { authorize } from '../queries/access.ts';
import { returnReport } from './return-report.ts';

/** Input of {@link reverseAutoDispatch}: why (shown in the timeline like any return note). */
export interface ReverseAutoDispatchInput {
  note: string;
}

/**
 * Pulls an auto-dispatched report back to the verifier queue. 404 when the caller cannot see the report,
 * 422 (`not_auto_dispatched`) when its current dispatch was a person's, 403 without the return right,
 * 409 (`ILLEGAL_TRANSITION`) when it is no longer `dispatched`.
 */
export async function reverseAutoDispatch(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: ReverseAutoDispatchInput,
) {
  const report = await loadReport(svc.db, trackingId);
  authorize(report, caller, 'view');
  const [lastVerify] = await svc.db
    .select({ actorRole: reportEvents.actorRole })
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, report!.row.id), eq(reportEvents.type, 'verify')))
    .orderBy(desc(reportEvents.seq))
    .limit(1);
  if (lastVerify?.actorRole !== 'system:auto-dispatch')
    throw invalid({ trackingId: { key: 'not_auto_dispatched' } });
  if (!input.note.trim()) throw invalid({ note: { key: 'required' } });
  return returnReport(svc, caller, trackingId, { note: input.note.trim() });
}
