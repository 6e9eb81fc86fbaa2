/** Rate limits backed by PostgreSQL counters (shared by every web process). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEVICE_COOKIE } from './auth.ts';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { hitRateLimit } from '../../commands/rate-limit.ts';

/**
 * A preHandler allowing `max` requests per `windowSeconds` per key (default: client IP). The stored counter key
 * holds the key only as `Sealer.digest`: a client address is personal data (it can tie an anonim report to its
 * sender by the counter's window), and IPv4 addresses are few enough to reverse a plain hash.
 */
export function rateLimit(
  svc: Services,
  name: string,
  max: number,
  windowSeconds: number,
  keyOf: (req: FastifyRequest) => string = (req) => req.ip,
) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await hitRateLimit(svc, `${name}:${svc.sealer.digest(keyOf(req))}`, max, windowSeconds);
    if (!r.allowed) {
      reply.header('retry-after', String(r.retryAfterSeconds));
      throw new AppError('RATE_LIMITED');
    }
  };
}

/**
 * Supports from a client that brings no device cookie, no session and no token: at most `max` per hour per IP.
 * Why: one support per device is kept by the device cookie, so a client that drops it would count as a new device
 * every time (support counts are public: report pages, Open311 `support_count`, similar-report lists). Browsers keep
 * the cookie, so only a citizen's first support per device passes here; `max` leaves room for many first-time
 * supporters behind one carrier-grade NAT address.
 */
export function limitCookielessSupport(svc: Services, max = 30) {
  const limit = rateLimit(svc, 'support-new-device', max, 3600);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.cookies[DEVICE_COOKIE] || req.session || req.caller?.actor.userId) return;
    await limit(req, reply);
  };
}

/** Password-reset requests per address per hour (any address, known or not: the limit reveals nothing). */
export const RESET_PER_ADDRESS_PER_HOUR = 5;

/**
 * The limits of a password-reset request (page and API share the counters): `perClientPerMinute` per client IP, and
 * RESET_PER_ADDRESS_PER_HOUR per requested address (keyed by `Sealer.digest`, never the address itself nor a plain
 * hash of it), so nobody floods one person's inbox from many client addresses.
 */
export function limitPasswordReset(svc: Services, perClientPerMinute: number) {
  const perClient = rateLimit(svc, 'password-reset', perClientPerMinute, 60);
  const perAddress = rateLimit(svc, 'password-reset-address', RESET_PER_ADDRESS_PER_HOUR, 3600, (req) => {
    const email = (req.body as Record<string, unknown> | undefined)?.email;
    return svc.sealer.digest(typeof email === 'string' ? email.trim().toLowerCase() : '');
  });
  return async (req: FastifyRequest, reply: FastifyReply) => {
    await perClient(req, reply);
    await perAddress(req, reply);
  };
}
