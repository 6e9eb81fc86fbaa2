/**
 * Decrypts a reporter's identity for a caller allowed to see it, and logs the view (UU 27/2022 PDP:
 * every view of personal data is recorded). Anonymous reporters are never revealed to agency roles:
 * the caller must hold `viewReporter`, which the policy never grants them on an anonymous report.
 */
import { piiAccessLog } from '../db/schema.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';
import type { Caller, Services } from '../app/context.ts';
import { subjectOf } from '../queries/access.ts';
import { can } from '../policies/can.ts';
import type { ReporterInput } from './submit-report.ts';

/** The reporter's identity, or null when the caller may not see it or there is none. */
export async function revealReporter(
  svc: Services,
  caller: Caller,
  report: LoadedReport,
  purpose: string,
): Promise<ReporterInput | null> {
  if (!report.row.reporterEnc) return null;
  if (!can(caller.actor, 'viewReporter', subjectOf(report, caller))) return null;
  const identity = svc.sealer.open<ReporterInput>(report.row.reporterEnc);
  await recordPiiAccess(
    svc,
    report.row.id,
    caller.actor.userId,
    caller.actor.userId ? purpose : `${purpose}:access_key`,
  );
  return identity;
}

/** Records one disclosure of a reporter's personal data: by a user, or by the system (`userId` null) to a third party. */
export async function recordPiiAccess(
  svc: Services,
  reportId: string,
  userId: string | null,
  purpose: string,
): Promise<void> {
  await svc.db.insert(piiAccessLog).values({ userId, reportId, purpose });
}
