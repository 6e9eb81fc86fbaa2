/**
 * The background worker: delivers outbox rows (fan-out, email, SMS, webhooks, Ombudsman hand-off) and
 * runs the deadline sweeper. Claims work with FOR UPDATE SKIP LOCKED and a lease, wakes on
 * NOTIFY 'outbox', polls as a backstop. Delivery is at-least-once with the row's idempotency key;
 * receivers de-duplicate on it (docs/worker.md).
 */
import { redactContacts } from '../domain/shared/text.ts';
import type { Services } from '../app/context.ts';
import {
  claimDeliveries,
  completeDelivery,
  deferDelivery,
  expireDelivery,
  failDelivery,
  releaseDeferredDeliveriesOf,
  type OutboxRow,
} from '../commands/outbox-delivery.ts';
import { fanOutEvent } from '../commands/fan-out-event.ts';
import { fulfilPasswordResetRequest, RESET_REQUEST_CHANNEL } from '../commands/password-reset.ts';
import { recordPiiAccess } from '../commands/reveal-reporter.ts';
import { reporterReplyTo } from '../commands/reply-token.ts';
import { handoffPackage } from '../queries/handoff-package.ts';
import { DeliveryError, postSignedJson, type Transports } from '../integrations/delivery.ts';
import { enqueueDigests } from '../commands/enqueue-digests.ts';
import { deliveryFailures, deliveryLatency } from '../integrations/worker-metrics.ts';
import { runSweep } from './sweeper.ts';
import { refreshStats } from '../commands/refresh-stats.ts';
import { autoDispatchPending } from '../commands/auto-dispatch.ts';
import { scheduledRoutingTraining } from '../commands/scheduled-routing-training.ts';
import { fitInThread } from './routing-fit-thread.ts';
import { runScheduledSiteAudits } from '../commands/run-site-audit.ts';
import { dailyOpenDataSnapshot } from '../commands/daily-open-data-snapshot.ts';
import { maintainDatabase } from '../commands/maintain-database.ts';
import { supporterUnsubscribeUrl } from '../commands/supporter-unsubscribe.ts';
import { deliverFederationRow, deliverWebhookRow } from './integration-delivery.ts';
import { isQueryError, loggableErrorText } from '../integrations/error-log.ts';
import { DELIVERY_REASON, noTransportReason } from '../domain/integration/delivery-reasons.ts';

/** Retry schedule: attempt n (1-based) failed → wait BASE × 2^(n−1), capped; dead after MAX_ATTEMPTS. */
export const RETRY = { baseMs: 30_000, capMs: 6 * 3_600_000, maxAttempts: 8 } as const;

/** Delay before the next attempt after `attempts` failed ones (exponential backoff). */
export function backoffMs(attempts: number, base: number = RETRY.baseMs, cap: number = RETRY.capMs): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}

/** Worker options (defaults in brackets). */
export interface WorkerOptions {
  transports: Transports;
  /** Subscribe to NOTIFY (Database.listen). */
  listen?: (channel: string, onMessage: (payload: string) => void) => Promise<() => Promise<void>>;
  /** Rows per claim [20]. */
  batchSize?: number;
  /** Lease on claimed rows [60 s]. */
  leaseMs?: number;
  /** Poll interval when idle [5 s]. */
  pollMs?: number;
  /** Sweep interval [5 min]; 0 disables the sweeper in this worker. */
  sweepEveryMs?: number;
  maxAttempts?: number;
  baseBackoffMs?: number;
  /** Directory for the daily open-data snapshot (docs/open-data.md); unset = no snapshot from this worker. */
  openDataDir?: string;
  /**
   * Retrain the routing models when the newest is this many hours old and reports were verified since
   * (`scheduledRoutingTraining`); unset or 0 = not from this worker. `aduan worker` sets 24 (ADUAN_ROUTING_TRAIN_HOURS).
   */
  routingTrainEveryHours?: number;
  /** At most this many verified reports (the newest) per retraining (ADUAN_ROUTING_TRAIN_MAX_ROWS; 0 = all). */
  routingTrainMaxRows?: number;
  /**
   * `VACUUM ANALYZE` the database on the first scheduled run and then every this many hours (`maintainDatabase`: the
   * embedded PGlite has no autovacuum); unset or 0 = never. `aduan serve` / `aduan worker` set 24 on PGlite.
   */
  maintainEveryHours?: number;
  /** Run the loop [true]; false = only `drain()` (tests). */
  autoStart?: boolean;
  log?: (line: string) => void;
}

/** A running worker. */
export interface Worker {
  /** Processes due rows until none is left (tests); returns how many were handled. */
  drain(): Promise<number>;
  /**
   * Runs the scheduled work once at `svc.now()` (the loop does this every `sweepEveryMs`): the sweep
   * (incremental, or `full`), yesterday's digests, the statistics refresh, the daily open-data snapshot, the database
   * maintenance when due (`maintainEveryHours`), and in the background the site audits and (with
   * `routingTrainEveryHours`) the routing retraining when due.
   */
  runScheduled(opts?: { full?: boolean }): Promise<void>;
  /**
   * Stops the loop and waits for everything the worker started to finish: the row in hand, a running
   * `runScheduled()` and the background site audits it launched. Nothing new is started meanwhile.
   */
  stop(): Promise<void>;
}

/**
 * Delivered, put off (attempt uncounted) with the reason recorded in `last_error`, or expired unsent with its reason (a
 * webhook held past the hold limit).
 */
type Outcome = 'sent' | { deferred: string } | { expired: string };

/** The channels held back (`noTransportReason`) when a transport is missing, and whether `t` now has one. */
const DEFERRABLE: ReadonlyArray<[channel: string, has: (t: Transports) => boolean]> = [
  ['email', (t) => !!t.mailer],
  ['sms', (t) => !!t.sms],
  ['ombudsman', (t) => !!t.ombudsmanEndpoint],
];

/**
 * Makes due again the rows a worker without a transport put off by an hour (`last_error` = `noTransportReason(channel)`),
 * for every channel this worker can deliver. Why: mail and SMS queued before SMTP or the SMS gateway was configured
 * would otherwise wait up to an hour after the operator configured it and restarted. The reason now says the row
 * was released, and the attempt count is untouched (deferrals never counted one). Returns how many rows.
 */
export function releaseDeferredDeliveries(svc: Services, t: Transports): Promise<number> {
  const reasons = Object.fromEntries(
    DEFERRABLE.filter(([, has]) => has(t)).map(([channel]) => [channel, noTransportReason(channel)]),
  );
  // No row is locked or claimed here: the claim that follows takes them as usual.
  return releaseDeferredDeliveriesOf(svc, reasons);
}

/** A supporter's update email stops in one step from the mail client (`supporter:<user id>` rows only). */
async function supporterListUnsubscribe(
  svc: Services,
  row: OutboxRow,
  p: Record<string, unknown>,
): Promise<string | undefined> {
  const m = /^supporter:([0-9a-f-]{36})$/.exec(row.recipient ?? '');
  if (!m || !row.reportId) return undefined;
  return supporterUnsubscribeUrl(svc, row.reportId, m[1]!, String(p.lang ?? 'id'));
}

async function deliver(svc: Services, row: OutboxRow, t: Transports): Promise<Outcome> {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  const address = (): string => {
    if (typeof p.recipientEnc === 'string') {
      const v = svc.sealer.open<unknown>(p.recipientEnc);
      if (typeof v === 'string') return v;
      const o = v as { email?: string; phone?: string };
      const a = o.email ?? o.phone;
      if (a) return a;
    }
    if (row.recipient) return row.recipient;
    throw new DeliveryError(DELIVERY_REASON.noRecipient, true);
  };
  // Bodies carrying a reporter's access key are sealed (docs/worker.md §1).
  const text = (): string =>
    typeof p.textEnc === 'string' ? svc.sealer.open<string>(p.textEnc) : String(p.text ?? '');
  switch (row.channel) {
    case 'event':
      await fanOutEvent(svc, row);
      return 'sent';
    case RESET_REQUEST_CHANNEL:
      // A password-reset request: the address is looked up here, not on the request path (docs/security.md).
      await fulfilPasswordResetRequest(svc, row);
      return 'sent';
    case 'email':
      if (!t.mailer) return { deferred: noTransportReason(row.channel) };
      await t.mailer.send({
        to: address(),
        subject: String(p.subject ?? ''),
        text: text(),
        html: typeof p.html === 'string' ? p.html : undefined,
        // A reporter's reply to this email joins the report's thread (receive-email.ts).
        replyTo:
          t.replyInbound && row.reportId && row.recipient === 'reporter'
            ? await reporterReplyTo(svc, t.replyInbound, row.reportId)
            : undefined,
        listUnsubscribe: await supporterListUnsubscribe(svc, row, p),
        idempotencyKey: row.idempotencyKey,
      });
      break;
    case 'sms':
      if (!t.sms) return { deferred: noTransportReason(row.channel) };
      await t.sms.send(address(), text(), row.idempotencyKey);
      break;
    case 'webhook': {
      // Per-subscription secrets and timestamped signatures: src/jobs/integration-delivery.ts. A paused subscription's
      // or deactivated agency's row is held until resumed / reactivated (which releases it at once).
      const held = await deliverWebhookRow(svc, row, t.webhookSecret);
      if (held) return 'held' in held ? { deferred: held.held } : held;
      break;
    }
    case 'federation':
      await deliverFederationRow(svc, row);
      break;
    case 'ombudsman': {
      if (!t.ombudsmanEndpoint) return { deferred: noTransportReason(row.channel) };
      const pkg = await handoffPackage(svc, String(p.trackingId ?? ''));
      if (!pkg) throw new DeliveryError(DELIVERY_REASON.reportNotFound, true);
      await postSignedJson(t.ombudsmanEndpoint, pkg, {
        idempotencyKey: row.idempotencyKey,
        secret: t.webhookSecret,
      });
      // The identity left the system: logged like every other view of personal data (UU 27/2022 PDP).
      if (pkg.reporter && row.reportId) await recordPiiAccess(svc, row.reportId, null, 'ombudsman.handoff');
      break;
    }
    default:
      throw new DeliveryError(`unknown channel ${row.channel}`, true);
  }
  await completeDelivery(svc, row);
  deliveryLatency.observe(
    { channel: row.channel },
    Math.max(0, (svc.now().getTime() - row.createdAt.getTime()) / 1000),
  );
  return 'sent';
}

/**
 * Handles one claimed row: deliver, then mark sent; on failure retry with backoff or dead-letter;
 * with no transport for the channel, or a webhook held back (paused, agency deactivated), keep it pending (checked
 * again in an hour).
 */
export async function processRow(
  svc: Services,
  row: OutboxRow,
  opts: Pick<WorkerOptions, 'transports' | 'maxAttempts' | 'baseBackoffMs' | 'log'>,
): Promise<void> {
  const log = opts.log ?? (() => undefined);
  try {
    const outcome = await deliver(svc, row, opts.transports);
    // No per-row log line: the worker says once at start that the channel has no transport (a demo start
    // would otherwise print hundreds of identical lines, again every hour).
    if (outcome === 'sent') return;
    if ('expired' in outcome) await expireDelivery(svc, row, outcome.expired);
    else await deferDelivery(svc, row, outcome.deferred, new Date(svc.now().getTime() + 3_600_000));
  } catch (e) {
    // Masked before it is logged or stored: a refusal may quote the reporter's address or number; a failed query's
    // message quotes its bound values, so it is reduced to class, SQLSTATE and SQL text (loggableErrorText).
    const message = isQueryError(e)
      ? loggableErrorText(e)
      : redactContacts(e instanceof Error ? e.message : String(e));
    const max = opts.maxAttempts ?? RETRY.maxAttempts;
    const dead = (e instanceof DeliveryError && e.permanent) || row.attempts >= max;
    log(
      `outbox ${row.id} (${row.channel}) attempt ${row.attempts} failed: ${message}${dead ? ' → dead' : ''}`,
    );
    deliveryFailures.inc({ channel: row.channel, outcome: dead ? 'dead' : 'retry' });
    await failDelivery(
      svc,
      row,
      message,
      dead
        ? { dead: true }
        : {
            dead: false,
            retryAt: new Date(svc.now().getTime() + backoffMs(row.attempts, opts.baseBackoffMs)),
          },
    );
  }
}

/** Starts the worker loop. */
export async function startWorker(svc: Services, opts: WorkerOptions): Promise<Worker> {
  const batchSize = opts.batchSize ?? 20;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 5_000;
  const sweepEveryMs = opts.sweepEveryMs ?? 300_000;
  let stopped = false;
  let wake: (() => void) | null = null;
  const poke = () => wake?.();
  const unlisten = opts.listen ? await opts.listen('outbox', poke) : null;
  // Rows put off while no transport was configured go out now that one is (and again on each scheduled run, for
  // rows another process without the transport put off meanwhile).
  const release = async () => {
    const n = await releaseDeferredDeliveries(svc, opts.transports).catch((e: unknown) => {
      opts.log?.(`outbox release error: ${loggableErrorText(e)}`);
      return 0;
    });
    if (n) opts.log?.(`outbox: ${n} messages kept pending without a transport released`);
  };
  await release();
  // Scheduled work in flight (runScheduled calls and the site audits they start): stop() awaits it.
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.then(
      () => inflight.delete(p),
      () => inflight.delete(p),
    );
    return p;
  };

  const tick = async (): Promise<number> => {
    // Auto-dispatch of new reports above the confidence threshold (off by default: one settings read).
    const auto = await autoDispatchPending(svc).catch((e: Error) => {
      opts.log?.(`auto-dispatch error: ${loggableErrorText(e)}`);
      return null;
    });
    if (auto?.dispatched.length) opts.log?.(`auto-dispatch: ${auto.dispatched.length} reports dispatched`);
    const rows = await claimDeliveries(svc, { limit: batchSize, leaseMs });
    for (const row of rows) {
      if (stopped) break;
      await processRow(svc, row, opts);
    }
    return rows.length;
  };

  let lastMaintenance: number | null = null;
  const scheduled = async ({ full = false }: { full?: boolean } = {}) => {
    if (stopped) return;
    await release();
    const actions = await runSweep(svc, svc.now(), { dryRun: false, incremental: !full });
    if (actions.length) opts.log?.(`sweep: ${actions.length} actions`);
    // Yesterday's daily digests (idempotent per user and day).
    const digests = await enqueueDigests(svc);
    if (digests) opts.log?.(`digests: ${digests} enqueued`);
    // Statistics roll-ups follow the same schedule (incremental: only reports changed since the last run).
    await refreshStats(svc).catch((e: Error) => opts.log?.(`stats refresh error: ${loggableErrorText(e)}`));
    // Website / social-media audits of evaluation participants: once a day each, in the background.
    // Tracked, so stop() waits for a running audit instead of closing the database under it.
    if (!stopped)
      void track(
        runScheduledSiteAudits(svc).catch((e: Error) =>
          opts.log?.(`site audit error: ${loggableErrorText(e)}`),
        ),
      );
    // Routing models: retrained when due, once across workers (background, tracked like the audits).
    const every = opts.routingTrainEveryHours ?? 0;
    if (every > 0 && !stopped)
      void track(
        scheduledRoutingTraining(svc, {
          everyHours: every,
          fit: fitInThread,
          ...(opts.routingTrainMaxRows === undefined ? {} : { maxRows: opts.routingTrainMaxRows }),
        })
          .then((r) => {
            if (r) opts.log?.(`routing training: ${r.map((x) => `${x.kind} ${x.status}`).join(', ')}`);
          })
          .catch((e: Error) => opts.log?.(`routing training error: ${loggableErrorText(e)}`)),
      );
    // The open-data snapshot of the day (home zone, ADUAN_TIME_ZONE), once across workers and restarts.
    if (opts.openDataDir) {
      const snap = await dailyOpenDataSnapshot(svc, opts.openDataDir).catch((e: Error) => {
        opts.log?.(`open-data snapshot error: ${loggableErrorText(e)}`);
        return null;
      });
      if (snap) opts.log?.(`open-data snapshot ${snap.date}: ${snap.path}`);
    }
    // The embedded database's maintenance, last: on PGlite it holds the process for its duration.
    const maintainMs = (opts.maintainEveryHours ?? 0) * 3_600_000;
    const at = svc.now().getTime();
    if (maintainMs > 0 && !stopped && (lastMaintenance === null || at - lastMaintenance >= maintainMs)) {
      lastMaintenance = at;
      await maintainDatabase(svc).then(
        (ms) => opts.log?.(`database maintenance: vacuum analyze in ${ms} ms`),
        (e: Error) => opts.log?.(`database maintenance error: ${loggableErrorText(e)}`),
      );
    }
  };

  const runScheduled = (o: { full?: boolean } = {}) => track(scheduled(o));

  let lastSweep = 0;
  let lastFullSweep = 0;
  const loop = (async () => {
    if (opts.autoStart === false) return;
    while (!stopped) {
      let n = 0;
      try {
        if (sweepEveryMs > 0 && Date.now() - lastSweep >= sweepEveryMs) {
          lastSweep = Date.now();
          // Incremental (from the watermark) every time, a full sweep once an hour as a backstop.
          const full = Date.now() - lastFullSweep >= 3_600_000;
          if (full) lastFullSweep = Date.now();
          await runScheduled({ full });
        }
        n = await tick();
      } catch (e) {
        opts.log?.(`worker error: ${loggableErrorText(e)}`);
      }
      if (n === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  })();

  return {
    runScheduled,
    async drain() {
      let total = 0;
      for (;;) {
        const n = await tick();
        total += n;
        if (n === 0) return total;
      }
    },
    async stop() {
      stopped = true;
      poke();
      await loop;
      // A tracked job may start another (runScheduled → site audit): wait until none is left.
      while (inflight.size) await Promise.allSettled([...inflight]);
      await unlisten?.();
    },
  };
}
