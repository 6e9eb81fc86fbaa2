/**
 * What a caller may do now beyond its rights and the report's status, for `allowedActions` (presenters/report.ts):
 * whether the hand-off to Ombudsman is open (`escalate`, escalate-report.ts) and whether the caller may pull the
 * dispatch back to verification (`pull-back`, pull-back-dispatch.ts) and whether it may reverse an auto-dispatch
 * (`reverse-auto-dispatch`, reverse-auto-dispatch.ts; one indexed read of the latest verify event, for `dispatched`
 * reports only), and whether the caller (its account, else its device) supports the report already (`supported`: then
 * `support` is not offered, since it would only answer 409 ALREADY_SUPPORTED). Every JSON API answer that presents a report
 * (one report, the list, each action's response) takes its offers from here, so they cannot drift apart again.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Caller } from '../app/context.ts';
import type { AppDb, Tx } from '../db/client.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';
import { supports } from '../db/schema.ts';
import type { PolicyAction } from '../policies/can.ts';
import { subjectOf } from '../queries/access.ts';
import { dispatchUntouched, pullBackGrant } from '../queries/report-returns.ts';
import { escalationOffer } from './escalate-report.ts';
import { autoDispatchReversible } from './reverse-auto-dispatch.ts';
import { supporterKeyOf } from './support-report.ts';

/** The `presentReport` options these offers set. */
export interface ReportOffers {
  /** False before the hand-off opens: `escalate` is not listed (absent when the caller may not escalate). */
  escalationOpen?: boolean;
  /** True when `pull-back` is listed. */
  pullBack?: boolean;
  /** True when `reverse-auto-dispatch` is listed. */
  reverseAutoDispatch?: boolean;
  /** True when the caller supports the report already: `support` is not listed. */
  supported?: boolean;
}

/** The ids, among `reportIds`, of the reports the caller supports already (one query; none without a key). */
async function supportedBy(
  db: AppDb | Tx,
  caller: Caller,
  reportIds: readonly string[],
): Promise<Set<string>> {
  const key = supporterKeyOf(caller);
  if (!key || reportIds.length === 0) return new Set();
  const rows = await db
    .select({ id: supports.reportId })
    .from(supports)
    .where(and(eq(supports.supporterKey, key), inArray(supports.reportId, [...reportIds])));
  return new Set(rows.map((r) => r.id));
}

/**
 * Whether the caller may pull this dispatch back: it is `dispatched`, still held by the agency it was dispatched to,
 * and the caller may verify the report once it is back (`pullBackGrant`). `exact` also reads the timeline to check
 * that the agency has not acted since the verify (no disposisi, assignment or follow-up), as the command does; a
 * list leaves that read out (the held-by check already catches a disposisi), so a listed `pull-back` may still
 * answer 409 `AGENCY_ALREADY_ACTED` after an assignment.
 */
async function pullBackOffer(
  db: AppDb | Tx,
  caller: Caller,
  report: LoadedReport,
  exact: boolean,
): Promise<boolean> {
  const row = report.row;
  if (row.status !== 'dispatched' || !row.dispatchedAgencyId || row.agencyId !== row.dispatchedAgencyId)
    return false;
  if (!pullBackGrant(caller, subjectOf(report, caller))) return false;
  return exact ? dispatchUntouched(db, row) : true;
}

/** The offers for one report (GET /reports/{id} and every action's response). */
export async function reportOffers(
  db: AppDb | Tx,
  caller: Caller,
  report: LoadedReport,
  permissions: Record<PolicyAction, boolean>,
  now: Date,
  opts: { exact: boolean; supported?: boolean } = { exact: true },
): Promise<ReportOffers> {
  const escalation = await escalationOffer(db, report, permissions, now);
  const pullBack = await pullBackOffer(db, caller, report, opts.exact);
  const reverse = await autoDispatchReversible(db, caller, report, permissions.return);
  const supported =
    opts.supported ??
    (permissions.support && (await supportedBy(db, caller, [report.row.id])).has(report.row.id));
  return {
    ...escalation,
    ...(pullBack ? { pullBack } : {}),
    ...(reverse ? { reverseAutoDispatch: true } : {}),
    ...(supported ? { supported: true } : {}),
  };
}

/**
 * The offers for a page of reports, in order, without a query per report: the escalation rules and calendars come
 * from the short-lived process cache (db/repositories/calendar.ts; read one after the other, so a cold cache is
 * filled once, not once per report), `pull-back` is decided without the timeline read (see `pullBackOffer`), and the
 * supports are read in one query for the page.
 */
export async function reportsOffers(
  db: AppDb | Tx,
  caller: Caller,
  items: ReadonlyArray<{ report: LoadedReport; permissions: Record<PolicyAction, boolean> }>,
  now: Date,
): Promise<ReportOffers[]> {
  const supported = await supportedBy(
    db,
    caller,
    items.filter((i) => i.permissions.support).map((i) => i.report.row.id),
  );
  const out: ReportOffers[] = [];
  for (const { report, permissions } of items)
    out.push(
      await reportOffers(db, caller, report, permissions, now, {
        exact: false,
        supported: supported.has(report.row.id),
      }),
    );
  return out;
}
