/**
 * Who may read `/metrics` (docs/operations.md "Health and metrics"). The scrape names agencies with overdue
 * reports and the state of the delivery queue, so it is not public:
 *
 * - with `ADUAN_METRICS_TOKEN` set, a request must carry `Authorization: Bearer <token>` (else 401);
 * - without it, only a request made on this machine is answered: the TCP peer is a loopback address and no proxy
 *   header says it was forwarded (else 403). The peer is the socket's, never `req.ip`, which a client can choose
 *   through `X-Forwarded-For` when proxies are trusted; a reverse proxy on the same machine forwards outside
 *   requests from loopback, hence the header check.
 *
 * The token comes from the config (`ADUAN_METRICS_TOKEN`, src/config.ts) through `AppOptions.metricsToken`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../app/errors.ts';

/** True for 127.0.0.0/8, ::1 and the IPv4-mapped loopback (::ffff:127.x.y.z). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  return a === '::1' || /^127(\.\d{1,3}){3}$/.test(a);
}

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The access decision for one request: 200 (allowed), 401 or 403. */
export function metricsAccess(
  req: Pick<FastifyRequest, 'headers'> & { socket?: { remoteAddress?: string | undefined } },
  token: string | undefined,
): 200 | 401 | 403 {
  if (token) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
    // Compared as digests: constant time whatever the length sent.
    return m && timingSafeEqual(digest(m[1]!), digest(token)) ? 200 : 401;
  }
  const forwarded = FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
  return !forwarded && isLoopback(req.socket?.remoteAddress) ? 200 : 403;
}

/** An `onRequest` hook for the /metrics route: `token` is the config's `metricsToken` (undefined: this machine only). */
export function metricsGuard(token: string | undefined) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const status = metricsAccess({ headers: req.headers, socket: req.raw.socket }, token);
    if (status === 200) {
      // The metrics token is spent here: the route needs no caller, and the auth plugin's preHandler would refuse
      // a bearer that is no session or API token (401).
      if (token) delete req.headers.authorization;
      return;
    }
    // The API's error body (both languages): UNAUTHENTICATED is 401, FORBIDDEN 403 (plugins/errors.ts).
    if (status === 401) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('UNAUTHENTICATED');
    }
    throw new AppError('FORBIDDEN');
  };
}
