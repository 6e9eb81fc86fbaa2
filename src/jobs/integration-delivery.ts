/**
 * Worker adapters for the integration channels (docs/integrations.md):
 * - `webhook` rows with `payload.secretEnc` (agency subscriptions): JSON signed with the subscription's own
 *   secret over `<timestamp>.<body>` (X-Aduan-Timestamp, X-Aduan-Signature), plus Idempotency-Key,
 *   X-Aduan-Event and X-Aduan-Subscription. Rows without a secret keep the shared-secret signature.
 * - `federation` rows: an Open311 form POST (requests or servicerequestupdates) to a peer instance,
 *   with our API key there opened from `payload.apiKeyEnc` at delivery time (never in clear in the outbox).
 * Failures throw DeliveryError so the worker retries with backoff (4xx other than 408/429 is permanent).
 */
import type { Services } from '../app/context.ts';
import type { OutboxRow } from '../commands/outbox-delivery.ts';
import { DeliveryError, postSignedJson } from '../integrations/delivery.ts';
import { webhookHeaders } from '../integrations/webhook-signature.ts';

/** Delivers one `webhook` row; `sharedSecret` signs rows that name no subscription secret. */
export async function deliverWebhookRow(
  svc: Services,
  row: OutboxRow,
  sharedSecret: string | undefined,
): Promise<void> {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  const url = typeof p.url === 'string' ? p.url : row.recipient;
  if (!url) throw new DeliveryError('webhook without url', true);
  if (typeof p.secretEnc !== 'string') {
    await postSignedJson(url, p.body ?? {}, { idempotencyKey: row.idempotencyKey, secret: sharedSecret });
    return;
  }
  const secret = svc.sealer.open<string>(p.secretEnc);
  const raw = JSON.stringify(p.body ?? {});
  await postSignedJson(url, p.body, {
    idempotencyKey: row.idempotencyKey,
    raw,
    headers: {
      ...webhookHeaders(secret, svc.now(), raw),
      'x-aduan-event': row.kind.replace(/^webhook\./, ''),
      ...(typeof p.subscriptionId === 'string' ? { 'x-aduan-subscription': p.subscriptionId } : {}),
    },
  });
}

/** Delivers one `federation` row: form-encoded POST with our API key at the peer. */
export async function deliverFederationRow(svc: Services, row: OutboxRow): Promise<void> {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  if (typeof p.url !== 'string' || typeof p.apiKeyEnc !== 'string' || !p.form)
    throw new DeliveryError('federation row without url/key/form', true);
  const form = new URLSearchParams();
  form.append('api_key', svc.sealer.open<string>(p.apiKeyEnc));
  for (const [k, v] of Object.entries(p.form as Record<string, string | string[]>)) {
    for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
  }
  const host = new URL(p.url).host;
  let res: Response;
  try {
    res = await fetch(p.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': row.idempotencyKey },
      body: form.toString(),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    throw new DeliveryError(`POST ${host}: ${(e as Error).message}`);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return;
  const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  throw new DeliveryError(`POST ${host}: HTTP ${res.status} ${text.slice(0, 200)}`, permanent);
}
