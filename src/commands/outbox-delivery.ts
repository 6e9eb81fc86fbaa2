/**
 * The worker's write side of the outbox: claim due rows with a lease, then record the outcome of each
 * delivery. Thin commands over src/db/repositories/outbox.ts so that src/jobs never touches the database.
 */
import {
  claimOutbox,
  deferOutbox,
  expireOutbox,
  markOutboxFailed,
  markOutboxSent,
  outboxCounts,
  releaseDeferredOutbox,
  type OutboxRow,
} from '../db/repositories/outbox.ts';
import type { Services } from '../app/context.ts';

export type { OutboxRow };

/** Claims up to `limit` due rows for `leaseMs` (FOR UPDATE SKIP LOCKED). */
export function claimDeliveries(
  svc: Services,
  opts: { limit: number; leaseMs: number; channels?: readonly string[] },
): Promise<OutboxRow[]> {
  return claimOutbox(svc.db, { ...opts, now: svc.now() });
}

/** Records a successful delivery. */
export function completeDelivery(svc: Services, row: OutboxRow): Promise<void> {
  return markOutboxSent(svc.db, row.id, svc.now());
}

/** Records a failed attempt: retry at `retryAt`, or dead-letter the row. */
export function failDelivery(
  svc: Services,
  row: OutboxRow,
  error: string,
  next: { dead: true } | { dead: false; retryAt: Date },
): Promise<void> {
  return markOutboxFailed(svc.db, row.id, error, next);
}

/** Leaves a row pending without counting the attempt (its channel has no transport configured). */
export function deferDelivery(svc: Services, row: OutboxRow, reason: string, retryAt: Date): Promise<void> {
  return deferOutbox(svc.db, row.id, reason, retryAt);
}

/** Expires a claimed held row unsent (it waited past the hold limit), with the reason; the attempt is not counted. */
export function expireDelivery(svc: Services, row: OutboxRow, reason: string): Promise<void> {
  return expireOutbox(svc.db, row.id, reason);
}

/**
 * Makes due now the rows deferred for a missing transport, per channel and the exact reason they were deferred with
 * (`deferDelivery`); how many.
 */
export function releaseDeferredDeliveriesOf(svc: Services, reasons: Record<string, string>): Promise<number> {
  return releaseDeferredOutbox(svc.db, reasons, svc.now());
}

/** Queue depth per channel and status. */
export function deliveryCounts(svc: Services) {
  return outboxCounts(svc.db);
}
