/**
 * A signed-in citizen claims a report filed without an account, with its tracking number and access key:
 * `reports.reporter_user_id` is set and a `claim` event (reporter visibility) is appended. On an anonim report the
 * account's own name and email are masked in the title and body (own-identity.ts), as when filing signed in.
 *
 * Privacy: until the key is verified nothing is revealed. An unknown tracking number, a wrong key and a
 * report already linked to another account all answer the same `claim_failed` field error, so the form
 * cannot be used to probe which tracking numbers exist or who owns them.
 */
import { eq } from 'drizzle-orm';
import { reports } from '../db/schema.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { findUser } from '../db/repositories/users.ts';
import { maskOwnIdentity } from '../domain/report/own-identity.ts';
import { digestEquals, sha256 } from '../integrations/crypto.ts';
import { stripTrackingInput } from '../domain/report/tracking-id.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, throwIfInvalid, type FieldIssue } from '../app/errors.ts';

/** The claim form. */
export interface ClaimReportInput {
  trackingId: string;
  accessKey: string;
}

/** Links the report to the caller's account; idempotent for the same owner. Returns the tracking number. */
export async function claimReport(svc: Services, caller: Caller, input: ClaimReportInput): Promise<string> {
  const userId = caller.actor.userId;
  if (!userId || !caller.actor.grants.some((g) => g.role === 'citizen')) throw new AppError('FORBIDDEN');
  // Read as the tracking form reads it (`1234-5678-90`, spaces, a leading `#`).
  const trackingId = stripTrackingInput(input.trackingId);
  const key = input.accessKey.trim();
  const fields: Record<string, FieldIssue> = {};
  if (!trackingId) fields.trackingId = { key: 'required' };
  else if (!/^\d{10}$/.test(trackingId)) fields.trackingId = { key: 'tracking_id_format' };
  if (!key) fields.accessKey = { key: 'required' };
  throwIfInvalid(fields);
  return svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    // Hash the key even when the report is unknown, so both paths do the same work.
    const keyHash = sha256(key);
    const ok = !!report && digestEquals(keyHash, report.row.accessKeyHash);
    if (!ok || (report.row.reporterUserId && report.row.reporterUserId !== userId))
      throw invalid({ accessKey: { key: 'claim_failed' } });
    const row = report.row;
    if (row.reporterUserId === userId) return trackingId;
    const now = svc.now();
    // An anonim report's title and body were stored with the identity given when filing masked; the account is the
    // reporter's too, so its own name and email are masked in them now (as when filing signed in), and the agency,
    // the public and a search for the account's name find neither in them.
    const account = row.anonymous ? await findUser(tx, userId) : null;
    const own = account ? { name: account.name, email: account.email } : null;
    const [updated] = await tx
      .update(reports)
      .set({
        reporterUserId: userId,
        updatedAt: now,
        ...(own
          ? { title: maskOwnIdentity(row.title, own).trim(), body: maskOwnIdentity(row.body, own).trim() }
          : {}),
      })
      .where(eq(reports.id, row.id))
      .returning();
    await appendEvent(tx, updated!, {
      type: 'claim',
      visibility: 'reporter',
      createdAt: now,
      fromStatus: row.status,
      toStatus: row.status,
      actorUserId: userId,
      actorRole: 'reporter',
      data: {},
    });
    return trackingId;
  });
}
