/** Who may see or act on one report: the bridge between loaded rows and the pure policy. */
import { agencyPaths, type LoadedReport } from '../db/repositories/reports.ts';
import { digestEquals, sha256 } from '../integrations/crypto.ts';
import type { ReportStatus } from '../domain/report/report.ts';
import { can, type PolicyAction, type ReportSubject, type RoleGrant } from '../policies/can.ts';
import type { Caller } from '../app/context.ts';
import { AppError } from '../app/errors.ts';

/** Builds the facts `can()` needs, including whether the caller is the reporter. */
export function subjectOf(report: LoadedReport, caller: Caller): ReportSubject {
  const { row } = report;
  const ownAccount = !!caller.actor.userId && row.reporterUserId === caller.actor.userId;
  const ownKey = !!caller.accessKey && digestEquals(sha256(caller.accessKey), row.accessKeyHash);
  const vouched = !!caller.vouchedReporterOf && caller.vouchedReporterOf === row.id;
  return {
    status: row.status as ReportStatus,
    ...agencyPaths(report),
    regionCode: row.regionCode,
    anonymous: row.anonymous,
    confidential: row.confidential,
    isReporter: ownAccount || ownKey || vouched,
    identitySharedWithOmbudsman: row.escalationSharesIdentity,
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
 * Whether the caller brought no credentials at all: no session or token (no user, no grant), no reporter's access
 * key, no system or channel identity. Such a caller may do what the public may; for anything more it must sign in.
 */
export function isSignedOut(caller: Caller): boolean {
  return (
    caller.actor.userId === null &&
    caller.actor.grants.length === 0 &&
    !caller.accessKey &&
    !caller.system &&
    !caller.vouchedReporterOf
  );
}

/**
 * The refusal for a caller without the right: UNAUTHENTICATED (401) when it brought no credentials (signing in may
 * give the right, docs/api-v1.md "Conventions"), FORBIDDEN (403) when it did.
 */
export function refusalFor(caller: Caller): AppError {
  return new AppError(isSignedOut(caller) ? 'UNAUTHENTICATED' : 'FORBIDDEN');
}

/**
 * Loads and authorizes a report for a read or write. Hidden reports answer REPORT_NOT_FOUND (404),
 * never revealing that they exist; visible ones without the right answer FORBIDDEN (403), or UNAUTHENTICATED (401)
 * to a caller with no credentials (`refusalFor`).
 */
export function authorize(report: LoadedReport | null, caller: Caller, action: PolicyAction): ReportSubject {
  if (!report) throw new AppError('REPORT_NOT_FOUND');
  const subject = subjectOf(report, caller);
  if (!can(caller.actor, 'view', subject)) throw new AppError('REPORT_NOT_FOUND');
  if (!can(caller.actor, action, subject)) throw refusalFor(caller);
  return subject;
}
