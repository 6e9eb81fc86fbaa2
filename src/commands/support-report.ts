/** Dukungan: one support per person (account) or device (cookie) for a public report. */
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
