/**
 * Releasing agency webhook deliveries held back by the worker (src/jobs/integration-delivery.ts): when a deactivated
 * agency is reactivated (admin page, API or CSV import), its subscriptions' held rows are due again at once instead
 * of at the worker's next hourly look. Resuming one subscription releases its own (manage-agency-webhooks.ts). Rows
 * held past the limit (ADUAN_WEBHOOK_HOLD_DAYS, default 14 days since queued) expire unsent instead.
 */
import { eq } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import type { Services } from '../app/context.ts';
import { agencyWebhooks } from '../db/schema.ts';
import { releaseHeldWebhookRows } from '../db/repositories/outbox.ts';
import { WEBHOOK_HELD, WEBHOOK_HOLD_DAYS_DEFAULT } from '../domain/integration/webhook-events.ts';
import { expiredReason, RELEASE_NOTE } from '../domain/integration/delivery-reasons.ts';

/**
 * Makes due now the rows of `agencyId`'s subscriptions held while it was deactivated, except those held past the limit
 * (`holdDays`, ADUAN_WEBHOOK_HOLD_DAYS), which expire unsent; how many of each.
 */
export async function releaseWebhooksOfReactivatedAgency(
  db: AppDb | Tx,
  agencyId: string,
  now: Date,
  holdDays: number | undefined,
): Promise<{ released: number; expired: number }> {
  const subs = await db
    .select({ id: agencyWebhooks.id })
    .from(agencyWebhooks)
    .where(eq(agencyWebhooks.agencyId, agencyId));
  return releaseHeldWebhookRows(
    db,
    subs.map((s) => s.id),
    WEBHOOK_HELD.agencyInactive,
    RELEASE_NOTE.agencyReactivated,
    now,
    heldExpiry(now, holdDays),
  );
}

/** The instance's hold limit in days (ADUAN_WEBHOOK_HOLD_DAYS, default 14). */
export function webhookHoldDays(svc: Pick<Services, 'webhookHoldDays'>): number {
  return svc.webhookHoldDays ?? WEBHOOK_HOLD_DAYS_DEFAULT;
}

/** Which held rows expire instead of being released at `now`: those queued more than `holdDays` days before. */
export function heldExpiry(now: Date, holdDays: number | undefined): { before: Date; reason: string } {
  const days = webhookHoldDays({ webhookHoldDays: holdDays });
  return { before: new Date(now.getTime() - days * 86_400_000), reason: expiredReason(days) };
}
