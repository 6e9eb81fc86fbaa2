/**
 * Reads for the citizen account page (`/akun`): every report linked to the signed-in citizen
 * (`reports.reporter_user_id`), newest first, whatever its status or privacy flags (it is their own).
 */
import { desc, eq } from 'drizzle-orm';
import { reports } from '../db/schema.ts';
import type { Services } from '../app/context.ts';

/** One of the citizen's reports as listed on /akun. */
export interface AccountReport {
  trackingId: string;
  title: string;
  status: string;
  createdAt: Date;
  anonymous: boolean;
  confidential: boolean;
}

/** The citizen's reports (at most 200, newest first). */
export async function reportsOfUser(svc: Services, userId: string): Promise<AccountReport[]> {
  return svc.db
    .select({
      trackingId: reports.trackingId,
      title: reports.title,
      status: reports.status,
      createdAt: reports.createdAt,
      anonymous: reports.anonymous,
      confidential: reports.confidential,
    })
    .from(reports)
    .where(eq(reports.reporterUserId, userId))
    .orderBy(desc(reports.createdAt))
    .limit(200);
}
