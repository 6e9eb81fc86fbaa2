/**
 * Reversing an auto-dispatch (issue 7: "every auto-dispatch is logged and reversible"): the report goes back
 * to the verifier queue through the ordinary bukan-wewenang `returnReport`, so the reversal is one
 * transaction with a hash-chained `return` event (the working days lost are counted, the verification clock
 * restarts, the reporter is told) and the model learns from it at the next training like any misrouting.
 * Who may do it: whoever has the `return` right (the national admin, the dispatched agency's admin), and
 * whoever may manage the dispatched agency, and so may switch its auto-dispatch on or off (the coordinator of
 * its region, except in a kementerian/lembaga branch, whose rule is not the coordinator's: there the coordinator pulls
 * the report back as its verifier, `pullBackDispatch`): the rule's owner can undo what the rule did. Only reports whose current dispatch came from the
 * auto-dispatcher are accepted, checked again inside the transaction. The path is shared with a verifier's pull-back
 * of any dispatch (`pullBack`, pull-back-dispatch.ts); pulled back by the manager, the event's data says
 * `pullBack: 'auto_dispatch'`.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import type { AppDb, Tx } from '../db/client.ts';
import { findAgency } from '../db/repositories/agencies.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';
import { reportEvents } from '../db/schema.ts';
import { can, type RoleGrant } from '../policies/can.ts';
import { branchKinds, canManageAgency } from './manage-agencies.ts';
import { pullBack } from './pull-back-dispatch.ts';
import type { ActionResult } from './report-action.ts';

/**
 * Whether the caller may reverse this report's auto-dispatch now (`reverse-auto-dispatch` in `allowedActions`,
 * report-offers.ts): it is `dispatched`, its latest verification was the auto-dispatcher's, and the caller has the
 * `return` right or manages the agency that dispatch went to, as {@link reverseAutoDispatch} checks.
 */
export async function autoDispatchReversible(
  db: AppDb | Tx,
  caller: Caller,
  report: LoadedReport,
  mayReturn: boolean,
): Promise<boolean> {
  if (report.row.status !== 'dispatched') return false;
  const last = await lastVerify(db, report.row.id);
  if (last?.actorRole !== AUTO_DISPATCHER) return false;
  if (mayReturn) return true;
  return (await managingGrant(db, caller, last.agencyId ?? report.row.dispatchedAgencyId)) !== null;
}

/** Input of {@link reverseAutoDispatch}: why (shown in the timeline like any return note). */
export interface ReverseAutoDispatchInput {
  note: string;
}

/**
 * Pulls an auto-dispatched report back to the verifier queue (`pullBack`). 404 when the caller cannot see the report,
 * 403 without the return right or the right to manage the dispatched agency, 422 (`not_auto_dispatched`) when its
 * current dispatch was a person's, 409 (`ILLEGAL_TRANSITION`) when it is no longer `dispatched`.
 */
export function reverseAutoDispatch(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: ReverseAutoDispatchInput,
): Promise<ActionResult> {
  return pullBack(svc, caller, trackingId, input, {
    kind: 'auto_dispatch',
    // Whoever manages the agency of the last dispatch keeps the right after the report moved on (a stale form gets
    // the 409).
    authorise: async (subject, report) => {
      if (can(caller.actor, 'return', subject)) return 'return';
      const last = await lastVerify(svc.db, report.row.id);
      return managingGrant(svc.db, caller, last?.agencyId ?? report.row.dispatchedAgencyId);
    },
    check: (db, report) => assertAutoDispatched(db, report.row.id),
  });
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
  const kinds = await branchKinds(db, agency);
  return grants.find((g) => canManageAgency({ userId, grants: [g] }, agency, kinds)) ?? null;
}

/** The actor role of the auto-dispatcher's verify events. */
const AUTO_DISPATCHER = 'system:auto-dispatch';

/** 422 `not_auto_dispatched` unless the report's latest verification was the auto-dispatcher's. */
async function assertAutoDispatched(db: AppDb | Tx, reportId: string): Promise<void> {
  refuseUnlessAutoDispatched(await lastVerify(db, reportId));
}

/** 422 `not_auto_dispatched` unless `last` (the latest verify event) was the auto-dispatcher's. */
function refuseUnlessAutoDispatched(last: { actorRole: string | null } | null): void {
  if (last?.actorRole !== AUTO_DISPATCHER) throw invalid({ trackingId: { key: 'not_auto_dispatched' } });
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
