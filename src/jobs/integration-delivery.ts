/**
 * Worker adapters for the integration channels (docs/integrations.md):
 * - `webhook` rows with `payload.secretEnc` (agency subscriptions): JSON signed with the subscription's own
 *   secret over `<timestamp>.<body>` (X-Aduan-Timestamp, X-Aduan-Signature), plus Idempotency-Key,
 *   X-Aduan-Event and X-Aduan-Subscription. Rows without a secret keep the shared-secret signature.
 * - `federation` rows: an Open311 form POST (requests or servicerequestupdates) to a peer instance,
 *   with our API key there opened from `payload.apiKeyEnc` at delivery time (never in clear in the outbox).
 * A row of a subscription removed since it was queued is not sent (permanent failure, `subscription removed`); a row
 * of a paused subscription, or of a deactivated agency's, is held (put off, attempt uncounted) until resumed, and
 * expires unsent once it was queued more than ADUAN_WEBHOOK_HOLD_DAYS (default 14) days ago.
 * Failures throw DeliveryError so the worker retries with backoff (4xx other than 408/429 is permanent).
 * Both go through the SSRF guard (src/integrations/outbound-guard.ts): a private or local address is a
 * permanent failure unless its host is in ADUAN_OUTBOUND_ALLOW_HOSTS.
 */
import type { Services } from '../app/context.ts';
import type { OutboxRow } from '../commands/outbox-delivery.ts';
import {
  DeliveryError,
  guardedDelivery,
  isPermanentStatus,
  postSignedJson,
} from '../integrations/delivery.ts';
import type { OutboundOptions } from '../integrations/outbound-guard.ts';
import { webhookHeaders } from '../integrations/webhook-signature.ts';
import { heldTooLong, WEBHOOK_HELD } from '../domain/integration/webhook-events.ts';
import { DELIVERY_REASON, expiredReason } from '../domain/integration/delivery-reasons.ts';
import { findFederationPeer, findSubscription } from '../queries/integrations.ts';
import { webhookHoldDays } from '../commands/release-held-webhooks.ts';

/** The SSRF guard settings of this process (docs/integrations.md, "Outbound requests"). */
function outboundGuard(svc: Services): OutboundOptions {
  return { allowHosts: svc.outboundAllowHosts ?? [] };
}

/**
 * Delivers one `webhook` row; `sharedSecret` signs rows that name no subscription secret. Answers `{ held }` with the
 * reason (WEBHOOK_HELD) instead of sending when the subscription is paused or its agency deactivated: the worker then
 * puts the row off without counting an attempt, and resuming or reactivating releases it. A held row queued more than
 * the hold limit ago answers `{ expired }` with its reason instead: the worker marks it expired, never sent.
 */
export async function deliverWebhookRow(
  svc: Services,
  row: OutboxRow,
  sharedSecret: string | undefined,
): Promise<{ held: string } | { expired: string } | undefined> {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  const url = typeof p.url === 'string' ? p.url : row.recipient;
  if (!url) throw new DeliveryError('webhook without url', true);
  if (typeof p.secretEnc !== 'string') {
    await postSignedJson(url, p.body ?? {}, {
      idempotencyKey: row.idempotencyKey,
      secret: sharedSecret,
      guard: outboundGuard(svc),
    });
    return undefined;
  }
  // A subscription removed after this row was queued gets nothing more (its pending retries included): the
  // row becomes a dead letter that the delivery history shows with the reason.
  if (typeof p.subscriptionId === 'string') {
    const sub = await findSubscription(svc.db, p.subscriptionId);
    if (!sub || !sub.active) throw new DeliveryError(DELIVERY_REASON.subscriptionRemoved, true);
    // Queued before a pause or a deactivation (retries included): held, not sent, until resumed or reactivated; once
    // held past the limit (ADUAN_WEBHOOK_HOLD_DAYS) it expires unsent instead.
    const held = !sub.agencyActive ? WEBHOOK_HELD.agencyInactive : sub.pausedAt ? WEBHOOK_HELD.paused : null;
    if (held) {
      const days = webhookHoldDays(svc);
      return heldTooLong(row.createdAt, svc.now(), days) ? { expired: expiredReason(days) } : { held };
    }
  }
  const secret = svc.sealer.open<string>(p.secretEnc);
  const raw = JSON.stringify(p.body ?? {});
  await postSignedJson(url, p.body, {
    idempotencyKey: row.idempotencyKey,
    raw,
    guard: outboundGuard(svc),
    headers: {
      ...webhookHeaders(secret, svc.now(), raw),
      'x-aduan-event': row.kind.replace(/^webhook\./, ''),
      ...(typeof p.subscriptionId === 'string' ? { 'x-aduan-subscription': p.subscriptionId } : {}),
    },
  });
  return undefined;
}

/** Delivers one `federation` row: form-encoded POST with our API key at the peer. */
export async function deliverFederationRow(svc: Services, row: OutboxRow): Promise<void> {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  if (typeof p.url !== 'string' || typeof p.apiKeyEnc !== 'string' || !p.form)
    throw new DeliveryError('federation row without url/key/form', true);
  // Rows naming their peer (written since the peer was recorded in the payload) follow the peer's current
  // state: a removed peer gets nothing more (permanent, `peer removed`), a re-added one is called with the key it
  // issued last (a rotated key does not strand the pending rows on the old one).
  let apiKeyEnc = p.apiKeyEnc;
  if (typeof p.peer === 'string') {
    const peer = await findFederationPeer(svc.db, p.peer);
    if (!peer) throw new DeliveryError(DELIVERY_REASON.peerRemoved, true);
    apiKeyEnc = peer.apiKeyEnc;
  }
  const form = new URLSearchParams();
  form.append('api_key', svc.sealer.open<string>(apiKeyEnc));
  for (const [k, v] of Object.entries(p.form as Record<string, string | string[]>)) {
    for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
  }
  const answer = await guardedDelivery(
    p.url,
    {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': row.idempotencyKey },
      body: form.toString(),
      timeoutMs: 15_000,
    },
    outboundGuard(svc),
  );
  if (answer.status >= 200 && answer.status < 300) return;
  throw new DeliveryError(
    `POST ${new URL(p.url).host}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`,
    isPermanentStatus(answer.status),
  );
}
