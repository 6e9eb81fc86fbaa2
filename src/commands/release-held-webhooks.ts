/**
 * Releasing agency webhook deliveries held back by the worker (src/jobs/integration-delivery.ts): when a deactivated
 * agency is reactivated (admin page, API or CSV import), its subscriptions' held rows are due again at once instead
 * of at the worker's next hourly look. Resuming one subscription releases its own (manage-agency-webhooks.ts).
 */
import { eq } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { agencyWebhooks } from '../db/schema.ts';
import { releaseHeldWebhookRows } from '../db/repositories/outbox.ts';
import { WEBHOOK_HELD } from '../domain/integration/webhook-events.ts';
import { RELEASE_NOTE } from '../domain/integration/delivery-reasons.ts';

/** Makes due now the rows of `agencyId`'s subscriptions held while it was deactivated; how many. */
export async function releaseWebhooksOfReactivatedAgency(
  db: AppDb | Tx,
  agencyId: string,
  now: Date,
): Promise<number> {
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
  );
}
