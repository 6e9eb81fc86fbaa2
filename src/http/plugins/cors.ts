/**
 * CORS for the keyless public reads (docs/api-v1.md "Cross-origin reads", docs/open311.md): a city app, a map widget
 * or a newsroom chart on another origin may read Open311 GeoReport, discovery, open data, public statistics, the
 * public report list and reports, similar reports and the reference data (agencies, categories, regions, holidays)
 * straight from the page.
 *
 * Policy: `Access-Control-Allow-Origin: *` and never `Access-Control-Allow-Credentials`, on GET and HEAD of the
 * paths in `CORS_PUBLIC_PATHS` only, and only when the URL carries no key (`api_key`, the reporter's `k`). An
 * `OPTIONS` preflight for such a read answers 204 with the allowed methods and headers. Everything else (writes,
 * sign-in, staff and back-office pages, the account, cookie-authenticated reads, keyed reads) gets no CORS header.
 * Why `*` without credentials is safe: a browser never exposes the answer to a request that carried cookies, and the
 * preflight allows no header that carries a credential (`Authorization`, `X-API-Key`, `X-Access-Key`), so a
 * cross-origin page can only read what a signed-out visitor sees. The decision depends on the method and URL alone,
 * so a shared cache never serves one origin's variant to another.
 * Hand-written rather than @fastify/cors (not a dependency): two hooks scoped by path.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The paths (without query) of the keyless public reads that allow cross-origin reads. */
export const CORS_PUBLIC_PATHS: readonly RegExp[] = [
  /^\/open311\/discovery\.(?:json|xml)$/,
  /^\/open311\/(?:test\/)?v2\/.+$/,
  /^\/api\/v1\/open-data\/.+$/,
  /^\/api\/v1\/stats(?:\.csv|\.xlsx)?$/,
  /^\/api\/v1\/reports(?:\/\d{10}(?:\/events)?)?$/,
  /^\/api\/v1\/similar$/,
  /^\/api\/v1\/(?:agencies|categories|regions|holidays)$/,
];

/** Query parameters that carry a key: such a read is not keyless and gets no CORS headers. */
const KEY_PARAMS = ['api_key', 'k'] as const;

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Methods a preflight may ask for. */
export const CORS_ALLOW_METHODS = 'GET, HEAD, OPTIONS';
/** Request headers a cross-origin read may send beyond the safelisted ones (none carries a credential). */
export const CORS_ALLOW_HEADERS =
  'Accept, Accept-Language, Content-Language, If-None-Match, If-Modified-Since';
/** Response headers a cross-origin page may read beyond the safelisted ones. */
export const CORS_EXPOSE_HEADERS = [
  'ETag',
  'Retry-After',
  'Content-Disposition',
  'Link',
  'Digest',
  'X-Checksum-Sha256',
  'X-Snapshot-Created-At',
  'X-Snapshot-Original-Sha256',
  'X-Snapshot-Withdrawn-Rows',
].join(', ');

/** True when a request URL (path and query) is a keyless public read path. */
export function isCorsPublicUrl(url: string): boolean {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  if (!CORS_PUBLIC_PATHS.some((re) => re.test(path))) return false;
  if (at < 0) return true;
  const query = new URLSearchParams(url.slice(at + 1));
  return !KEY_PARAMS.some((k) => query.getAll(k).some((v) => v.trim() !== ''));
}

/** A preflight (or plain OPTIONS) for a read of a public path. */
function isPublicPreflight(req: FastifyRequest): boolean {
  if (req.method !== 'OPTIONS' || !isCorsPublicUrl(req.url)) return false;
  const wanted = req.headers['access-control-request-method'];
  return wanted === undefined || READ_METHODS.has(String(wanted).toUpperCase());
}

/** Registers the CORS hooks on the root instance (before the routes, so every route and 404 gets them). */
export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!isPublicPreflight(req)) return;
    return reply
      .code(204)
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', CORS_ALLOW_METHODS)
      .header('access-control-allow-headers', CORS_ALLOW_HEADERS)
      .header('access-control-max-age', '86400')
      .header('allow', CORS_ALLOW_METHODS)
      .send();
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (READ_METHODS.has(req.method) && isCorsPublicUrl(req.url)) {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', CORS_EXPOSE_HEADERS);
    }
    return payload;
  });
}
