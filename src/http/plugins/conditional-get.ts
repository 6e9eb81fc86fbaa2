/**
 * Conditional GET: a strong ETag of an answer's bytes, and `If-None-Match` → 304 without a body.
 * Open311 reads and the statistics / open-data downloads share it.
 * Why: a data portal harvester (CKAN) or a dashboard polling the same URL should get 304 while nothing changed.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A strong ETag of a body. */
export function etagOf(body: Buffer | string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** True when the request's If-None-Match names `etag` (or `*`). */
export function notModified(req: FastifyRequest, etag: string): boolean {
  const inm = req.headers['if-none-match'];
  if (!inm) return false;
  return inm
    .split(',')
    .map((s) => s.trim().replace(/^W\//, ''))
    .some((s) => s === etag || s === '*');
}

/**
 * Sends `body` with its ETag and `cacheControl` (and `vary` when given), or 304 without a body when the client
 * already holds these bytes.
 */
export function sendConditional(
  req: FastifyRequest,
  reply: FastifyReply,
  body: Buffer | string,
  type: string,
  cacheControl: string,
  vary?: string,
): FastifyReply {
  const etag = etagOf(body);
  reply.header('etag', etag).header('cache-control', cacheControl);
  if (vary) reply.header('vary', vary);
  if (notModified(req, etag)) return reply.status(304).send();
  return reply.type(type).send(body);
}
