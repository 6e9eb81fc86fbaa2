/**
 * Reversing an auto-dispatch (issue 7: "every auto-dispatch is logged and reversible"): the report goes back
 * to the verifier queue through the ordinary bukan-wewenang `returnReport`, so the reversal is one
 * transaction with a hash-chained `return` event (the working days lost are counted, the verification clock
 * restarts, the reporter is told) and the model learns from it at the next training like any misrouting.
 * Who may do it: whoever has the `return` right (the national admin, the dispatched agency's admin), and
 * whoever may manage the dispatched agency, and so may switch its auto-dispatch on or off (the coordinator of
 * its region): the rule's owner can undo what the rule did. Only reports whose current dispatch came from the
 * auto-dispatcher are accepted, checked again inside the transaction.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import type { AppDb, Tx } from '../db/client.ts';
import { findAgency } from '../db/repositories/agencies.ts';
import { transition } from '../domain/report/lifecycle.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { reportEvents } from '../db/schema.ts';
import { can, type RoleGrant } from '../policies/can.ts';
import { authorize } from '../queries/access.ts';
import { canManageAgency } from './manage-agencies.ts';
import { returnReport } from './return-report.ts';

/** Input of {@link reverseAutoDispatch}: why (shown in the timeline like any return note). */
export interface ReverseAutoDispatchInput {
  note: string;
}

/**
 * Pulls an auto-dispatched report back to the verifier queue. 404 when the caller cannot see the report,
 * 403 without the return right or the right to manage the dispatched agency, 422 (`not_auto_dispatched`) when its
 * current dispatch was a person's, 409 (`ILLEGAL_TRANSITION`) when it is no longer `dispatched`.
 */
export async function reverseAutoDispatch(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: ReverseAutoDispatchInput,
) {
  const report = await loadReport(svc.db, trackingId);
  const subject = authorize(report, caller, 'view');
  // Rights first (403), so someone who may not reverse learns nothing about how the report was dispatched. Whoever
  // manages the agency of the last dispatch keeps the right after the report moved on (a stale form gets the 409).
  const mayReturn = can(caller.actor, 'return', subject);
  const last = await lastVerify(svc.db, report!.row.id);
  const grant = mayReturn
    ? null
    : await managingGrant(svc.db, caller, last?.agencyId ?? report!.row.dispatchedAgencyId);
  if (!mayReturn && !grant) throw new AppError('FORBIDDEN');
  refuseUnlessAutoDispatched(last);
  if (!input.note.trim()) throw invalid({ note: { key: 'required' } });
  // Already returned (or further along): the same 409 the return itself would give.
  const step = transition(subject.status, 'return');
  if (!step.ok) throw new AppError(step.error.code, {}, { action: 'return', status: subject.status });
  const precondition = (tx: Tx) => assertAutoDispatched(tx, report!.row.id);
  const note = input.note.trim();
  if (!grant) return returnReport(svc, caller, trackingId, { note }, { precondition });
  return returnReport(svc, caller, trackingId, { note }, { precondition, authorisedBy: grant });
}

/** The caller's grant that may manage `agencyId` (and so its auto-dispatch rule), or null. */
async function managingGrant(
  db: AppDb | Tx,
  caller: Caller,
  agencyId: string | null,
): Promise<RoleGrant | null> {
  const agency = await findAgency(db, agencyId);
  if (!agency) return null;
  const { userId, grants } = caller.actor;
  return grants.find((g) => canManageAgency({ userId, grants: [g] }, agency)) ?? null;
}

/** 422 `not_auto_dispatched` unless the report's latest verification was the auto-dispatcher's. */
async function assertAutoDispatched(db: AppDb | Tx, reportId: string): Promise<void> {
  refuseUnlessAutoDispatched(await lastVerify(db, reportId));
}

/** 422 `not_auto_dispatched` unless `last` (the latest verify event) was the auto-dispatcher's. */
function refuseUnlessAutoDispatched(last: { actorRole: string | null } | null): void {
  if (last?.actorRole !== 'system:auto-dispatch')
    throw invalid({ trackingId: { key: 'not_auto_dispatched' } });
}

/** The report's latest verify event: who made it and the agency it dispatched to. */
async function lastVerify(
  db: AppDb | Tx,
  reportId: string,
): Promise<{ actorRole: string | null; agencyId: string | null } | null> {
  const [row] = await db
    .select({ actorRole: reportEvents.actorRole, data: reportEvents.data })
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, reportId), eq(reportEvents.type, 'verify')))
    .orderBy(desc(reportEvents.seq))
    .limit(1);
  if (!row) return null;
  const agencyId = (row.data as { agencyId?: unknown } | null)?.agencyId;
  return { actorRole: row.actorRole, agencyId: typeof agencyId === 'string' ? agencyId : null };
}
