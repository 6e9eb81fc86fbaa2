/**
 * The `Idempotency-Key` request header of report creation (JSON API and Open311; ADR 0014): its format check and
 * the caller scope that keeps two callers' keys apart.
 */
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { canonicalJson, isIdempotencyKey } from '../domain/report/idempotency.ts';
import { sha256 } from '../integrations/crypto.ts';
import { DEVICE_COOKIE } from './plugins/auth.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The request's idempotency key (undefined when absent); a malformed one is a field error named after the header. */
export function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !isIdempotencyKey(raw))
    throw invalid({ 'Idempotency-Key': { key: 'idempotency_key_format' } });
  return raw;
}

/**
 * Whose key it is on the JSON API: the signed-in user, else the agency API key, else the device cookie the browser
 * sent; a caller with none of them cannot be told from another, so its key is scoped to the request itself too (the
 * same key with another body is then a new report, never someone else's).
 */
export function apiIdempotencyScope(req: FastifyRequest, caller: Caller, request: unknown): string {
  if (caller.actor.userId) return `user:${caller.actor.userId}`;
  if (caller.apiKeyId) return `api-key:${caller.apiKeyId}`;
  const device = req.cookies[DEVICE_COOKIE];
  if (device && /^[A-Za-z0-9_-]{16,64}$/.test(device)) return `device:${device}`;
  return `public:${sha256(canonicalJson(request))}`;
}
