/**
 * Idempotent report intake (docs/adr/0014-idempotent-report-intake.md): the `Idempotency-Key` a client sends with
 * a submission, the scope that keeps two callers' keys apart, and the normalised request a retry must repeat.
 */

/** How long a key is remembered: a retry after this files a new report. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** 1–255 printable ASCII characters (space to tilde). */
const KEY_FORMAT = /^[\x20-\x7e]{1,255}$/;

/** Whether a header value is a usable idempotency key. */
export function isIdempotencyKey(value: string): boolean {
  return KEY_FORMAT.test(value);
}

/** An idempotency key and whose it is. */
export interface IdempotencyInput {
  /** The caller the key belongs to, e.g. `user:<id>`, `open311:<partner id>`, `web-draft` (never shown). */
  scope: string;
  key: string;
  /** The normalised request a retry must repeat (any JSON value; key order does not matter). */
  request: unknown;
}

/** JSON with object keys sorted and undefined members left out, so equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const o = value as Record<string, unknown>;
  const members = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`);
  return `{${members.join(',')}}`;
}
