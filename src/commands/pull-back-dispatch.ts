/**
 * Pulling a dispatch back to verification. A wrong dispatch (the verifier picked the wrong agency, or the
 * auto-dispatcher did) goes back to the verifier queue through the ordinary bukan-wewenang `returnReport`: one
 * transaction with a hash-chained `return` event (the working days lost are counted, the follow-up clocks stop, the
 * verification clock restarts, the reporter is told) that the routing model learns from at the next training like
 * any misrouting. The event records who pulled it back (the grant's role and agency) and `data.pullBack`.
 *
 * `pullBack` is the shared path; two rules use it:
 * - `pullBackDispatch` (this file): the verifier who may verify the report once it is back (the national admin, the
 *   coordinator of the report's region) pulls back any dispatch while the agency has not acted on it (still
 *   `dispatched`, no disposisi, assignment or follow-up since the verify);
 * - `reverseAutoDispatch` (reverse-auto-dispatch.ts): an auto-dispatch, by whoever has the `return` right or manages
 *   the dispatched agency.
 */
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import type { AppDb, Tx } from '../db/client.ts';
import { loadReport, type LoadedReport } from '../db/repositories/reports.ts';
import { transition } from '../domain/report/lifecycle.ts';
import type { ReportSubject, RoleGrant } from '../policies/can.ts';
import { authorize, refusalFor } from '../queries/access.ts';
import { dispatchUntouched, pullBackGrant } from '../queries/report-returns.ts';
import type { ActionResult } from './report-action.ts';
import { returnReport } from './return-report.ts';

/** Input of a pull-back: why (shown in the timeline like any return note). */
export interface PullBackInput {
  note: string;
}

/** Who may pull back and what the dispatch must be, for one kind of pull-back. */
export interface PullBackRule {
  kind: 'dispatch' | 'auto_dispatch';
  /**
   * The grant that authorises the pull-back, `'return'` when the caller's own return right does (then it is an
   * ordinary return by the agency side, not marked as a pull-back), or null (403).
   */
  authorise: (subject: ReportSubject, report: LoadedReport) => Promise<RoleGrant | 'return' | null>;
  /** Refuses a report this rule does not apply to; run before, and again inside the transaction on the locked row. */
  check: (db: AppDb | Tx, report: LoadedReport) => Promise<void>;
}

/**
 * Pulls a dispatched report back to the verifier queue under `rule`. 404 when the caller cannot see the report, 403
 * when the rule does not authorise the caller, then the rule's own refusal, 422 (`note` required), 409
 * (`ILLEGAL_TRANSITION`) when it is no longer `dispatched`.
 */
export async function pullBack(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: PullBackInput,
  rule: PullBackRule,
): Promise<ActionResult> {
  const report = await loadReport(svc.db, trackingId);
  const subject = authorize(report, caller, 'view');
  // Rights first (403), so someone who may not pull back learns nothing more about the dispatch.
  const by = await rule.authorise(subject, report!);
  if (!by) throw refusalFor(caller);
  await rule.check(svc.db, report!);
  const note = input.note.trim();
  if (!note) throw invalid({ note: { key: 'required' } });
  // Already returned (or further along): the same 409 the return itself would give.
  const step = transition(subject.status, 'return');
  if (!step.ok) throw new AppError(step.error.code, {}, { action: 'return', status: subject.status });
  const precondition = (tx: Tx, locked: LoadedReport) => rule.check(tx, locked);
  if (by === 'return') return returnReport(svc, caller, trackingId, { note }, { precondition });
  return returnReport(
    svc,
    caller,
    trackingId,
    { note },
    { precondition, authorisedBy: by, pullBack: rule.kind },
  );
}

/**
 * A verifier pulls a dispatch back to verification while the agency has not acted on it (issue M2: a wrong manual
 * dispatch, e.g. to an agency without staff, could only be rescued by the national admin). Who: whoever may verify
 * the report once it is back (`pullBackGrant`); the event records that grant's role. 409 AGENCY_ALREADY_ACTED once the
 * agency acted (a disposisi, an assignment or a follow-up).
 */
export function pullBackDispatch(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: PullBackInput,
): Promise<ActionResult> {
  return pullBack(svc, caller, trackingId, input, {
    kind: 'dispatch',
    authorise: (subject) => Promise.resolve(pullBackGrant(caller, subject)),
    check: async (db, report) => {
      // The status alone does not tell it (a disposisi keeps `dispatched`): say what happened.
      if (!(await dispatchUntouched(db, report.row))) throw new AppError('AGENCY_ALREADY_ACTED');
    },
  });
}
