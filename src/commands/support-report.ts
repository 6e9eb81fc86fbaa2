/** Dukungan: one support per person (account) or device (cookie) for a public report. */
import { sql } from 'drizzle-orm';
import { supports } from '../db/schema.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { runReportAction } from './report-action.ts';

/** Whose support a caller gives: the account when signed in, else the device (cookie); null without either. */
export function supporterKeyOf(caller: Caller): string | null {
  return caller.actor.userId
    ? `user:${caller.actor.userId}`
    : caller.deviceKey
      ? `device:${caller.deviceKey}`
      : null;
}

/** Adds one support; a second one from the same person or device answers ALREADY_SUPPORTED (409). */
export function supportReport(svc: Services, caller: Caller, trackingId: string) {
  const key = supporterKeyOf(caller);
  return runReportAction(svc, caller, trackingId, 'support', {}, async ({ tx, report }) => {
    if (!key) throw new AppError('BAD_REQUEST');
    const inserted = await tx
      .insert(supports)
      .values({ reportId: report.row.id, supporterKey: key })
      .onConflictDoNothing()
      .returning({ k: supports.supporterKey });
    if (inserted.length === 0) throw new AppError('ALREADY_SUPPORTED');
    return {
      patch: { supportCount: report.row.supportCount + 1 },
      event: { type: 'support', visibility: 'internal' },
    };
  });
}

/**
 * A signed-in person's email updates on a report (the agency's follow-ups and its completion), in `lang`, or none
 * (`lang` null). Turning them on supports the report first when the person does not yet; turning them off keeps the
 * support. Devices (no account) cannot be told anything: UNAUTHENTICATED.
 */
export async function setSupportUpdates(
  svc: Services,
  caller: Caller,
  trackingId: string,
  lang: 'id' | 'en' | null,
): Promise<void> {
  const userId = caller.actor.userId;
  if (!userId) throw new AppError('UNAUTHENTICATED');
  if (lang) {
    try {
      await supportReport(svc, caller, trackingId);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'ALREADY_SUPPORTED')) throw e;
    }
  }
  await svc.db.execute(
    sql`update supports s set notify_lang = ${lang}
          from reports r
         where r.id = s.report_id and r.tracking_id = ${trackingId} and s.supporter_key = ${`user:${userId}`}`,
  );
}
