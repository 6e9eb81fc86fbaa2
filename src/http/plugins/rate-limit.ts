/** Rate limits backed by PostgreSQL counters (shared by every web process). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { hitRateLimit } from '../../commands/rate-limit.ts';

/** A preHandler allowing `max` requests per `windowSeconds` per key (default: client IP). */
export function rateLimit(
  svc: Services,
  name: string,
  max: number,
  windowSeconds: number,
  keyOf: (req: FastifyRequest) => string = (req) => req.ip,
) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await hitRateLimit(svc, `${name}:${keyOf(req)}`, max, windowSeconds);
    if (!r.allowed) {
      reply.header('retry-after', String(r.retryAfterSeconds));
      throw new AppError('RATE_LIMITED');
    }
  };
}
