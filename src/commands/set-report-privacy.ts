/**
 * Verifiers can set *anonim* and *rahasia* at any time (a reporter may ask, or the content may require it), but never
 * lift one (`liftedPrivacyFlags`, src/domain/report/privacy.ts): 422 with a field message per flag.
 * No status change: the flags change and an internal event records who changed what.
 */
import { eq } from 'drizzle-orm';
import { reports } from '../db/schema.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { loadReport } from '../db/repositories/reports.ts';
import type { Caller, Services } from '../app/context.ts';
import { authorisingGrant, authorize } from '../queries/access.ts';
import { invalid } from '../app/errors.ts';
import { liftedPrivacyFlags, type PrivacyFlags } from '../domain/report/privacy.ts';
import { maskOwnIdentity } from '../domain/report/own-identity.ts';
import type { ReporterInput } from './submit-report.ts';

export interface SetPrivacyInput {
  anonymous?: boolean | undefined;
  confidential?: boolean | undefined;
}

/**
 * Refuses (422, a field message on each flag) a change that would lift *anonim* or *rahasia*: staff may add a flag,
 * never remove one, so an anonymous reporter's identity cannot reach the agency by a verifier's click.
 */
export function refuseLiftingPrivacy(current: PrivacyFlags, requested: SetPrivacyInput): void {
  const lifted = liftedPrivacyFlags(current, requested);
  if (lifted.length)
    throw invalid(Object.fromEntries(lifted.map((f) => [f, { key: 'privacy_flag_locked' }])));
}

/**
 * The title and body of a report that becomes *anonim* after filing, without the reporter's own name, address,
 * number or NIK (as `submitReport` stores an anonim report's texts); nothing when the report was anonim already or
 * holds no identity.
 */
export function anonymisedTexts(
  svc: Pick<Services, 'sealer'>,
  row: { anonymous: boolean; reporterEnc: string | null; title: string; body: string },
  anonymous: boolean | undefined,
): { title: string; body: string } | Record<string, never> {
  if (!anonymous || row.anonymous || !row.reporterEnc) return {};
  const who = svc.sealer.open<ReporterInput>(row.reporterEnc);
  return { title: maskOwnIdentity(row.title, who), body: maskOwnIdentity(row.body, who) };
}

/** Changes the privacy flags of a report. */
export async function setReportPrivacy(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: SetPrivacyInput,
) {
  return svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    const subject = authorize(report, caller, 'setPrivacy');
    const row = report!.row;
    refuseLiftingPrivacy(row, input);
    const now = svc.now();
    const next = {
      anonymous: input.anonymous ?? row.anonymous,
      confidential: input.confidential ?? row.confidential,
    };
    const [updated] = await tx
      .update(reports)
      .set({ ...next, ...anonymisedTexts(svc, row, input.anonymous), updatedAt: now })
      .where(eq(reports.id, row.id))
      .returning();
    const grant = authorisingGrant(caller, 'setPrivacy', subject);
    await appendEvent(tx, updated!, {
      type: 'privacy',
      visibility: 'internal',
      actorUserId: caller.actor.userId,
      actorRole: grant?.role ?? null,
      actorAgencyId: grant?.agencyId ?? null,
      createdAt: now,
      data: { before: { anonymous: row.anonymous, confidential: row.confidential }, after: next },
    });
    return (await loadReport(tx, trackingId))!;
  });
}
