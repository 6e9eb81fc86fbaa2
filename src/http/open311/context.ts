/** Shared types of the Open311 route modules. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app/context.ts';
import type { rateLimit } from '../plugins/rate-limit.ts';
import { answerOf, cacheKey, sendAnswer, type AnswerCache } from './cache.ts';
import type { Format } from './format.ts';
import { param, type Fields } from './input.ts';

/** Per-minute limits (reads per client IP or key, writes per API key) and the read cache. */
export interface Open311Limits {
  readsPerMinute?: number;
  writesPerMinute?: number;
  /**
   * Seconds an identical keyless (public) GET answer may be served from the in-process cache, and its
   * `Cache-Control: public, max-age`. 0 (the default of buildApp) switches both off; ETags stay.
   */
  listCacheSeconds?: number;
  /**
   * Subscribes to report changes (`aduan serve`: LISTEN outbox, notified at the commit of every report event)
   * so cached answers are dropped at once instead of after listCacheSeconds. Returns an unsubscribe.
   */
  changes?: (onChange: () => void) => Promise<() => Promise<void>>;
}

/** What every Open311 route module receives. */
export interface Open311Context {
  svc: Services;
  endpoint: 'production' | 'test';
  readLimit: ReturnType<typeof rateLimit>;
  writeLimit: ReturnType<typeof rateLimit>;
  /** The keyless-answer cache (production endpoint, listCacheSeconds > 0). */
  cache?: AnswerCache | undefined;
  cacheSeconds: number;
}

/**
 * Answers a GET with `make()`'s document under `root`: from the cache for keyless reads when it is on,
 * always with an ETag (If-None-Match → 304) and Cache-Control (public for keyless reads, private with a key).
 */
export async function readAnswer(
  ctx: Open311Context,
  req: FastifyRequest,
  reply: FastifyReply,
  format: Format,
  root: string,
  make: () => Promise<unknown>,
): Promise<FastifyReply> {
  const q = req.query as Fields | undefined;
  const keyless = param(q, 'api_key') === undefined;
  const key = ctx.cache && keyless ? cacheKey(req.url.split('?')[0] ?? '', q) : null;
  const build = async () => answerOf(format, root, await make());
  const answer = key && ctx.cache ? await ctx.cache.get(key, build) : await build();
  const cacheControl = !keyless
    ? 'private, no-cache'
    : key
      ? `public, max-age=${ctx.cacheSeconds}, stale-while-revalidate=${ctx.cacheSeconds}`
      : 'no-cache';
  return sendAnswer(req, reply, answer, cacheControl);
}
