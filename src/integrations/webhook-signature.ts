/**
 * Signatures of agency webhooks (docs/integrations.md): HMAC-SHA256 with the subscription's own secret over
 * `<timestamp>.<raw body>`, sent as `X-Aduan-Signature: sha256=<hex>` with `X-Aduan-Timestamp: <unix s>`.
 * Signing the timestamp with the body lets a receiver refuse replays: it drops a delivery whose timestamp is
 * outside the window (default ±300 s) and de-duplicates on `Idempotency-Key` inside it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Default replay window, in seconds, on either side of the receiver's clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one signed delivery (timestamp in whole seconds). */
export function webhookHeaders(secret: string, at: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'x-aduan-timestamp': String(timestamp),
    'x-aduan-signature': signWebhook(secret, timestamp, body),
  };
}

/** Why a delivery was refused by `verifyWebhook`. */
export type WebhookRejection = 'missing' | 'bad_signature' | 'stale';

/**
 * What a receiver runs: checks the signature (constant time) and that the timestamp lies within
 * `toleranceSeconds` of `now`. Returns null when the delivery is authentic and fresh.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp?: string | null | undefined; signature?: string | null | undefined },
  body: string,
  now: Date,
  toleranceSeconds: number = WEBHOOK_TOLERANCE_SECONDS,
): WebhookRejection | null {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !headers.timestamp || !Number.isInteger(ts)) return 'missing';
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(headers.signature);
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) return 'bad_signature';
  if (Math.abs(now.getTime() / 1000 - ts) > toleranceSeconds) return 'stale';
  return null;
}
