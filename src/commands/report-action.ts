/**
 * The engine every report action runs through, in one transaction:
 * load (row lock) → authorize (can) → transition() → the verb's plan → state + event + outbox.
 * Each verb file (verify-report.ts, respond-to-report.ts, …) only supplies its plan.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { reports } from '../db/schema.ts';
import { appendEvent, type EventRow, type NewEvent } from '../db/repositories/events.ts';
import { loadReport, type LoadedReport, type ReportInsert } from '../db/repositories/reports.ts';
import { transition, type TransitionResult } from '../domain/report/lifecycle.ts';
import { maskOwnIdentity } from '../domain/report/own-identity.ts';
import { STATUSES, type ReportAction } from '../domain/report/report.ts';
import { can, type PolicyAction, type ReportSubject, type RoleGrant } from '../policies/can.ts';
import { authorisingGrant, authorize, subjectOf } from '../queries/access.ts';
import { deadlineColumns, type CurrentDeadline } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import type { ReporterInput } from './submit-report.ts';
import { AppError } from '../app/errors.ts';

/** What a verb's plan sees. */
export interface PlanContext<I> {
  tx: Tx;
  svc: Services;
  caller: Caller;
  input: I;
  report: LoadedReport;
  subject: ReportSubject;
  step: TransitionResult;
  now: Date;
  /** The grant that authorised the action (null for the reporter or the public). */
  grant: RoleGrant | null;
}

/** What a verb decides: column changes, the timeline event, and the deadline now running. */
export interface ActionPlan {
  patch?: Partial<ReportInsert>;
  event: Omit<
    NewEvent,
    'createdAt' | 'fromStatus' | 'toStatus' | 'actorUserId' | 'actorRole' | 'actorAgencyId'
  >;
  /** `undefined` keeps the current deadline; `null` clears it. */
  deadline?: CurrentDeadline | null;
}

/** How an action runs beyond the report policy. */
export interface ActionOptions {
  /** The reporter closes for good (`accept`/`reject` paths of the lifecycle). */
  final?: boolean | undefined;
  /**
   * A grant the calling command has already checked that authorises this action outside the report policy
   * (e.g. reversing an auto-dispatch as the manager of the agency). The caller still needs the `view` right;
   * the event records this grant's role and agency.
   */
  authorisedBy?: RoleGrant | undefined;
  /** Runs inside the transaction on the locked report, before the transition; throw to abort. */
  precondition?: ((tx: Tx, report: LoadedReport) => Promise<void>) | undefined;
}

/** The outcome of an action: the updated report and the event it appended. */
export interface ActionResult {
  report: LoadedReport;
  event: EventRow;
}

/**
 * `authorize` for an action, telling a stale form from a missing right. A hidden report is 404 as always. A
 * visible one the caller may not act on is 409 ILLEGAL_TRANSITION, like any illegal transition, when the report's
 * status no longer allows the action and the caller holds a role that takes it in a status that does (a second
 * return by the agency that already returned it, an agency admin's verify after the report was dispatched);
 * otherwise 403 (a coordinator posting a follow-up).
 */
function authorizeAction(
  report: LoadedReport | null,
  caller: Caller,
  action: ReportAction,
  options: ActionOptions,
): ReportSubject {
  try {
    return authorize(report, caller, options.authorisedBy ? 'view' : (action as PolicyAction));
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'FORBIDDEN' || !report) throw e;
    const subject = subjectOf(report, caller);
    const input = { final: options.final };
    if (transition(subject.status, action, input).ok) throw e;
    if (!mayTakeActionSomewhere(caller, action, subject, input)) throw e;
    throw new AppError('ILLEGAL_TRANSITION', {}, { action, status: subject.status });
  }
}

/**
 * Whether one of the caller's grants allows `action` on a report like this one in its own agency and region (as
 * the handling and the addressed agency), in a status where the lifecycle allows the action: the right is the
 * role's, and only the report's state stands in the way.
 */
function mayTakeActionSomewhere(
  caller: Caller,
  action: ReportAction,
  subject: ReportSubject,
  input: { final?: boolean | undefined },
): boolean {
  const statuses = STATUSES.filter((s) => transition(s, action, input).ok);
  return caller.actor.grants.some((g) => {
    const own = g.agencyId ? [g.agencyId] : [];
    const like: ReportSubject = {
      ...subject,
      isReporter: false,
      agencyPath: own.length ? own : subject.agencyPath,
      targetAgencyPath: own.length ? own : subject.targetAgencyPath,
      regionCode: g.regionCode ?? subject.regionCode,
    };
    const actor = { userId: caller.actor.userId, grants: [g] };
    return statuses.some((status) => can(actor, action as PolicyAction, { ...like, status }));
  });
}

/** Runs one report action as one transaction. */
export async function runReportAction<I>(
  svc: Services,
  caller: Caller,
  trackingId: string,
  action: ReportAction,
  input: I,
  plan: (ctx: PlanContext<I>) => Promise<ActionPlan> | ActionPlan,
  options: ActionOptions = {},
): Promise<ActionResult> {
  return svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    const subject = authorizeAction(report, caller, action, options);
    const loaded = report!;
    if (options.precondition) await options.precondition(tx, loaded);
    const step = transition(subject.status, action, { final: options.final });
    if (!step.ok) throw new AppError(step.error.code, {}, { action, status: subject.status });
    const now = svc.now();
    const grant =
      options.authorisedBy ??
      (subject.isReporter ? null : authorisingGrant(caller, action as PolicyAction, subject));
    const decided = await plan({
      tx,
      svc,
      caller,
      input,
      report: loaded,
      subject,
      step: step.value,
      now,
      grant,
    });
    const set: Partial<ReportInsert> = {
      ...decided.patch,
      status: step.value.to,
      updatedAt: now,
      ...(decided.deadline !== undefined ? deadlineColumns(decided.deadline) : {}),
    };
    // A title a verifier writes for an anonim report goes to the agency and the public: no reporter identity in it.
    if (typeof set.title === 'string' && (set.anonymous ?? loaded.row.anonymous))
      set.title = maskOwnIdentity(set.title, ownIdentityOf(svc, loaded));
    const [updated] = await tx.update(reports).set(set).where(eq(reports.id, loaded.row.id)).returning();
    const actorRole = caller.system
      ? `system:${caller.system}`
      : subject.isReporter
        ? 'reporter'
        : (grant?.role ?? 'public');
    const event = await appendEvent(tx, updated!, {
      ...decided.event,
      ...withoutOwnIdentity(
        svc,
        loaded,
        // Staff and systems on an anonim report; a citizen's comment is theirs, as on any report.
        updated!.anonymous && actorRole !== 'citizen' && actorRole !== 'public',
        actorRole === 'reporter',
        decided.event,
      ),
      createdAt: now,
      fromStatus: step.value.from,
      toStatus: step.value.to,
      actorUserId: caller.actor.userId,
      actorRole,
      actorAgencyId: grant?.agencyId ?? null,
    });
    const fresh = await loadReport(tx, trackingId);
    return { report: fresh!, event };
  });
}

/** The sealed identity of the report's reporter (empty when it holds none). */
export function ownIdentityOf(svc: Services, report: LoadedReport): ReporterInput {
  return report.row.reporterEnc ? svc.sealer.open<ReporterInput>(report.row.reporterEnc) : {};
}

/**
 * The event's texts (body, `data.note`, `data.consentNote`) without the reporter's own identity
 * (own-identity.ts). What the reporter writes is always stored so. On an anonim report so is what staff write: a
 * verifier who may see the reporter could otherwise name them in a dispatch, hold or internal note that the agency
 * reads (the sealed identity stays there for those who may see it). A signed-in citizen's comment is stored as on
 * any report (masked for the public on output).
 */
function withoutOwnIdentity(
  svc: Services,
  report: LoadedReport,
  staffOnAnonim: boolean,
  byReporter: boolean,
  event: ActionPlan['event'],
): Pick<ActionPlan['event'], 'body' | 'data'> {
  const data = event.data as Record<string, unknown> | undefined;
  const texts = [event.body, data?.note, data?.consentNote].filter((v) => typeof v === 'string' && v);
  if (!(byReporter || staffOnAnonim) || texts.length === 0) return { body: event.body, data: event.data };
  const who = ownIdentityOf(svc, report);
  const mask = (v: unknown) => (typeof v === 'string' && v ? maskOwnIdentity(v, who) : v);
  return {
    body: mask(event.body) as ActionPlan['event']['body'],
    data: data
      ? {
          ...data,
          ...('note' in data ? { note: mask(data.note) } : {}),
          ...('consentNote' in data ? { consentNote: mask(data.consentNote) } : {}),
        }
      : event.data,
  };
}
