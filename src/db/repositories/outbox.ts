/**
 * The transactional outbox, seen from the worker: claim due rows with a lease (FOR UPDATE SKIP LOCKED),
 * then mark them sent, retry later, defer, or dead-letter. Contract: docs/worker.md §1.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AppDb, Tx } from '../client.ts';
import { notifyOutbox, query } from '../client.ts';
import { outbox } from '../schema.ts';
import { RELEASE_NOTE } from '../../domain/integration/delivery-reasons.ts';

/** One outbox row as the worker sees it. */
export type OutboxRow = typeof outbox.$inferSelect;

interface RawRow {
  id: string | number;
  kind: string;
  channel: string;
  recipient: string | null;
  report_id: string | null;
  payload: unknown;
  idempotency_key: string;
  status: string;
  attempts: number;
  next_attempt_at: string | Date;
  locked_until: string | Date | null;
  last_error: string | null;
  created_at: string | Date;
  sent_at: string | Date | null;
}

const toDate = (v: string | Date | null): Date | null => (v === null ? null : new Date(v));

function fromRaw(r: RawRow): OutboxRow {
  return {
    id: Number(r.id),
    kind: r.kind,
    channel: r.channel,
    recipient: r.recipient,
    reportId: r.report_id,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    idempotencyKey: r.idempotency_key,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: toDate(r.next_attempt_at)!,
    lockedUntil: toDate(r.locked_until),
    lastError: r.last_error,
    createdAt: toDate(r.created_at)!,
    sentAt: toDate(r.sent_at),
  };
}

/**
 * Claims up to `limit` due pending rows for `leaseMs`: one UPDATE over a FOR UPDATE SKIP LOCKED
 * sub-select, so concurrent workers never claim the same row; `attempts` counts the claim.
 * A worker that dies leaves the lease to expire, and the row is claimed again (at-least-once).
 * Retries are due by the injected clock (`now`); a fresh row is also due by the database clock, so
 * rows written with the column default are picked up under a test clock set in the past.
 */
export async function claimOutbox(
  db: AppDb,
  opts: { now: Date; limit: number; leaseMs: number; channels?: readonly string[] },
): Promise<OutboxRow[]> {
  const now = opts.now.toISOString();
  const until = new Date(opts.now.getTime() + opts.leaseMs).toISOString();
  const channelFilter = opts.channels?.length
    ? sql`and channel in (${sql.join(
        opts.channels.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await query<RawRow>(
    db,
    sql`update outbox set locked_until = ${until}::timestamptz, attempts = attempts + 1
        where id in (
          select id from outbox
          where status = 'pending'
            and (next_attempt_at <= ${now}::timestamptz
              or (attempts = 0 and last_error is null and next_attempt_at <= now()))
            and (locked_until is null or locked_until < ${now}::timestamptz) ${channelFilter}
          order by next_attempt_at, id
          for update skip locked
          limit ${opts.limit})
        returning *`,
  );
  return rows.map(fromRaw).sort((a, b) => a.id - b.id);
}

/** Marks a claimed row delivered (only if this worker still holds it, i.e. it is still pending). */
export async function markOutboxSent(db: AppDb | Tx, id: number, at: Date): Promise<void> {
  await db.execute(
    sql`update outbox set status = 'sent', sent_at = ${at.toISOString()}::timestamptz, locked_until = null,
        last_error = null where id = ${id} and status = 'pending'`,
  );
}

/** Records a failed attempt: retry at `retryAt`, or `dead` when `dead` is true. */
export async function markOutboxFailed(
  db: AppDb,
  id: number,
  error: string,
  next: { dead: true } | { dead: false; retryAt: Date },
): Promise<void> {
  const msg = error.slice(0, 1000);
  if (next.dead) {
    await db.execute(
      sql`update outbox set status = 'dead', locked_until = null, last_error = ${msg}
          where id = ${id} and status = 'pending'`,
    );
    return;
  }
  await db.execute(
    sql`update outbox set locked_until = null, last_error = ${msg},
        next_attempt_at = ${next.retryAt.toISOString()}::timestamptz where id = ${id} and status = 'pending'`,
  );
}

/**
 * Puts a claimed row back without counting the attempt (no transport configured for its channel):
 * it stays `pending` and is looked at again at `retryAt`.
 */
export async function deferOutbox(db: AppDb, id: number, reason: string, retryAt: Date): Promise<void> {
  await db.execute(
    sql`update outbox set locked_until = null, attempts = greatest(attempts - 1, 0), last_error = ${reason},
        next_attempt_at = ${retryAt.toISOString()}::timestamptz where id = ${id} and status = 'pending'`,
  );
}

/**
 * Makes due at `now` the pending rows put off with exactly `reasons[channel]` as `last_error` (a worker without that
 * channel's transport), appending that they were released; attempts untouched. Returns how many rows.
 */
export async function releaseDeferredOutbox(
  db: AppDb,
  reasons: Record<string, string>,
  now: Date,
): Promise<number> {
  const pairs = Object.entries(reasons);
  if (!pairs.length) return 0;
  return releaseOutbox(
    db,
    sql`(${sql.join(
      pairs.map(([channel, reason]) => sql`(channel = ${channel} and last_error = ${reason})`),
      sql` or `,
    )})`,
    RELEASE_NOTE.transportConfigured,
    now,
  );
}

/**
 * Makes due at `now` the pending `webhook` rows of these subscriptions held back with exactly `reason` as `last_error`
 * (a paused subscription, a deactivated agency: src/jobs/integration-delivery.ts), appending `(released: <note>)`;
 * attempts untouched (holding never counted one). Rows queued before `expire.before` are not released but expired
 * (status `expired`, `last_error` = `expire.reason`, never sent): they waited past the hold limit. Returns how many
 * rows were released and how many expired.
 */
export async function releaseHeldWebhookRows(
  db: AppDb | Tx,
  subscriptionIds: readonly string[],
  reason: string,
  note: string,
  now: Date,
  expire: { before: Date; reason: string },
): Promise<{ released: number; expired: number }> {
  if (!subscriptionIds.length) return { released: 0, expired: 0 };
  const held = sql`channel = 'webhook' and last_error = ${reason} and payload->>'subscriptionId' in (${sql.join(
    subscriptionIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
  const expired = await query<{ id: number }>(
    db,
    sql`update outbox set status = 'expired', locked_until = null, last_error = ${expire.reason}
        where status = 'pending' and created_at < ${expire.before.toISOString()}::timestamptz and ${held}
        returning id`,
  );
  return { released: await releaseOutbox(db, held, note, now), expired: expired.length };
}

/**
 * Expires a claimed held row instead of putting it off again (it waited past the hold limit): status `expired` with
 * `reason`, never sent; the claim's attempt is not counted (holding never counted one).
 */
export async function expireOutbox(db: AppDb, id: number, reason: string): Promise<void> {
  await db.execute(
    sql`update outbox set status = 'expired', locked_until = null, attempts = greatest(attempts - 1, 0),
        last_error = ${reason} where id = ${id} and status = 'pending'`,
  );
}

/** Makes due at `now` the pending rows put off (due later) that `match` selects, noting why in `last_error`. */
async function releaseOutbox(db: AppDb | Tx, match: SQL, note: string, now: Date): Promise<number> {
  const at = now.toISOString();
  const rows = await query<{ id: number }>(
    db,
    sql`update outbox set next_attempt_at = ${at}::timestamptz,
          last_error = last_error || ${` (released: ${note})`}
        where status = 'pending' and next_attempt_at > ${at}::timestamptz and ${match}
        returning id`,
  );
  if (rows.length) await notifyOutbox(db);
  return rows.length;
}

/** A new outbox row (see the contract in docs/worker.md). */
export interface NewOutboxRow {
  kind: string;
  channel: string;
  recipient?: string | null;
  reportId?: string | null;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  nextAttemptAt?: Date;
  /**
   * When it was queued, by the writer's clock (default: the database's). Agency webhook rows give it, since their
   * age decides when a held row expires (ADUAN_WEBHOOK_HOLD_DAYS), measured by the same injected clock.
   */
  createdAt?: Date;
}

/** Inserts rows idempotently (ON CONFLICT DO NOTHING on the key) and wakes workers with NOTIFY. */
export async function enqueueOutbox(db: AppDb | Tx, rows: NewOutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(outbox)
    .values(
      rows.map((r) => ({
        kind: r.kind,
        channel: r.channel,
        recipient: r.recipient ?? null,
        reportId: r.reportId ?? null,
        payload: r.payload,
        idempotencyKey: r.idempotencyKey,
        ...(r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt } : {}),
        ...(r.createdAt ? { createdAt: r.createdAt } : {}),
      })),
    )
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  await notifyOutbox(db);
  return inserted.length;
}

/** Wakes workers for rows just written (after the commit; see notifyOutbox in db/client.ts). */
export { notifyOutbox };

/** Queue depth by channel and status (metrics, `aduan worker --status`). */
export async function outboxCounts(
  db: AppDb,
): Promise<Array<{ channel: string; status: string; n: number }>> {
  return query(db, sql`select channel, status, count(*)::int as n from outbox group by 1, 2 order by 1, 2`);
}
