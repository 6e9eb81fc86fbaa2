/**
 * The engine every report action runs through, in one transaction:
 * load (row lock) → authorize (can) → transition() → the verb's plan → state + event + outbox.
 * Each verb file (verify-report.ts, respond-to-report.ts, …) only supplies its plan.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { reports } from '../db/schema.ts';
import { appendEvent, type EventRow, type NewEvent } from '../db/repositories/events.ts';
import { agencyPaths, loadReport, type LoadedReport, type ReportInsert } from '../db/repositories/reports.ts';
import { digestEquals, sha256 } from '../integrations/crypto.ts';
import { transition, type TransitionResult } from '../domain/report/lifecycle.ts';
import type { ReportAction, ReportStatus } from '../domain/report/report.ts';
import { can, type PolicyAction, type ReportSubject, type RoleGrant } from '../policies/can.ts';
import { deadlineColumns, type CurrentDeadline } from './clocks.ts';
import type { Caller, Services } from './context.ts';
import { AppError } from './errors.ts';

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

/** The outcome of an action: the updated report and the event it appended. */
export interface ActionResult {
  report: LoadedReport;
  event: EventRow;
}

/** Builds the facts `can()` needs, including whether the caller is the reporter. */
export function subjectOf(report: LoadedReport, caller: Caller): ReportSubject {
  const { row } = report;
  const ownAccount = !!caller.actor.userId && row.reporterUserId === caller.actor.userId;
  const ownKey = !!caller.accessKey && digestEquals(sha256(caller.accessKey), row.accessKeyHash);
  return {
    status: row.status as ReportStatus,
    ...agencyPaths(report),
    regionCode: row.regionCode,
    anonymous: row.anonymous,
    confidential: row.confidential,
    isReporter: ownAccount || ownKey,
  };
}

/** The first grant that alone allows the action (recorded on the event as the actor's role). */
export function authorisingGrant(
  caller: Caller,
  action: PolicyAction,
  subject: ReportSubject,
): RoleGrant | null {
  const asStaff = { ...subject, isReporter: false };
  for (const g of caller.actor.grants) {
    if (can({ userId: caller.actor.userId, grants: [g] }, action, asStaff)) return g;
  }
  return null;
}

/**
 * Loads and authorizes a report for a read or write. Hidden reports answer REPORT_NOT_FOUND (404),
 * never revealing that they exist; visible ones without the right answer FORBIDDEN (403).
 */
export function authorize(report: LoadedReport | null, caller: Caller, action: PolicyAction): ReportSubject {
  if (!report) throw new AppError('REPORT_NOT_FOUND');
  const subject = subjectOf(report, caller);
  if (!can(caller.actor, 'view', subject)) throw new AppError('REPORT_NOT_FOUND');
  if (!can(caller.actor, action, subject)) throw new AppError('FORBIDDEN');
  return subject;
}

/** Runs one report action as one transaction. */
export async function runReportAction<I>(
  svc: Services,
  caller: Caller,
  trackingId: string,
  action: ReportAction,
  input: I,
  plan: (ctx: PlanContext<I>) => Promise<ActionPlan> | ActionPlan,
  transitionInput: { final?: boolean } = {},
): Promise<ActionResult> {
  return svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    const subject = authorize(report, caller, action as PolicyAction);
    const loaded = report!;
    const step = transition(subject.status, action, transitionInput);
    if (!step.ok) throw new AppError(step.error.code, {}, { action, status: subject.status });
    const now = svc.now();
    const grant = subject.isReporter ? null : authorisingGrant(caller, action as PolicyAction, subject);
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
    const [updated] = await tx.update(reports).set(set).where(eq(reports.id, loaded.row.id)).returning();
    const actorRole = caller.system
      ? `system:${caller.system}`
      : subject.isReporter
        ? 'reporter'
        : (grant?.role ?? 'public');
    const event = await appendEvent(tx, updated!, {
      ...decided.event,
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
