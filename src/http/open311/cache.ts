/**
 * HTTP caching of Open311 reads: an ETag on every GET answer (conditional GET → 304), `Cache-Control`, and a
 * short-lived in-process cache of keyless (public) answers keyed by the normalised query.
 *
 * Only keyless reads are cached: a read with an `api_key` shows that partner's own requests (D13) and is
 * never stored, nor marked public. Entries live `listCacheSeconds` (a few seconds), are dropped at once when
 * a report changes (the `outbox` NOTIFY every report event sends at commit, when the process subscribes),
 * and the cache is bounded by entry count and bytes. Identical concurrent misses are computed once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, notModified } from '../plugins/conditional-get.ts';
import { contentType, encode, type Format } from './format.ts';
import type { Fields } from './input.ts';

/** A finished Open311 answer. */
export interface CachedAnswer {
  body: Buffer;
  contentType: string;
  etag: string;
}

interface Entry extends CachedAnswer {
  /** Fresh until then; served while one refresh runs until `staleUntil` (one more TTL). */
  expires: number;
  staleUntil: number;
}

/** Parameters that never change an answer (D8: jurisdiction_id is ignored; lang only affects errors). */
const IGNORED = new Set(['jurisdiction_id', 'lang']);

/** Serialises an Open311 document (format.ts) into a finished answer (a discovery document without charset, D6). */
export function answerOf(format: Format, root: string, value: unknown, discovery = false): CachedAnswer {
  const body = encode(format, root, value);
  return { body, contentType: contentType(format, discovery), etag: etagOf(body) };
}

/**
 * The cache key of a keyless GET: path plus the sorted non-empty parameters (empty = absent, §13 item 30),
 * or null when the request carries an api_key (never cached).
 */
export function cacheKey(path: string, query: Fields | undefined): string | null {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    for (const x of Array.isArray(v) ? v : [v]) {
      const s = String(x).trim();
      if (k === 'api_key') return null;
      if (s === '' || IGNORED.has(k)) continue;
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(s)}`);
    }
  }
  return `${path}?${parts.sort().join('&')}`;
}

/** A bounded, TTL'd, least-recently-used map of answers with coalescing of identical misses. */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<CachedAnswer>>();
  private bytes = 0;
  /** Bumped by clear(): a miss computed across a clear may hold old data and is not stored. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 500,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** Drops every entry (a report changed). Misses being computed are not stored. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.generation++;
  }

  /**
   * The answer for `key`: fresh from the cache; or, within one more TTL after it expired, the previous answer
   * while one background refresh runs (stale-while-revalidate: no request waits at each expiry); otherwise
   * computed with `make` (once for concurrent identical misses). clear() leaves nothing to serve stale.
   */
  async get(key: string, make: () => Promise<CachedAnswer>): Promise<CachedAnswer> {
    const hit = this.entries.get(key);
    const t = this.now();
    if (hit && hit.expires > t) {
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, hit);
      return hit;
    }
    if (hit && hit.staleUntil > t) {
      if (!this.pending.has(key))
        this.compute(key, make).catch(() => {
          const e = this.entries.get(key);
          if (e) this.drop(key, e);
        });
      return hit;
    }
    if (hit) this.drop(key, hit);
    return this.compute(key, make);
  }

  private compute(key: string, make: () => Promise<CachedAnswer>): Promise<CachedAnswer> {
    const waiting = this.pending.get(key);
    if (waiting) return waiting;
    const generation = this.generation;
    const p = make()
      .then((answer) => {
        if (generation === this.generation && answer.body.length <= this.maxBytes / 8) {
          const now = this.now();
          this.store(key, { ...answer, expires: now + this.ttlMs, staleUntil: now + 2 * this.ttlMs });
        }
        return answer;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }

  private store(key: string, e: Entry): void {
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    this.entries.set(key, e);
    this.bytes += e.body.length;
    for (const [k, v] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.drop(k, v);
    }
  }

  /** Entries held (tests). */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * Sends an answer with its ETag and Cache-Control (public + max-age for keyless reads when caching is on,
 * private otherwise), or 304 without a body when the client already holds it.
 */
export function sendAnswer(
  req: FastifyRequest,
  reply: FastifyReply,
  a: CachedAnswer,
  cacheControl: string,
): FastifyReply {
  reply.header('etag', a.etag).header('cache-control', cacheControl);
  if (notModified(req, a.etag)) return reply.status(304).send();
  return reply.status(200).header('content-type', a.contentType).send(a.body);
}
