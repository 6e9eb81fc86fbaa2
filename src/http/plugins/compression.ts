/**
 * Response compression (gzip / brotli / deflate, `@fastify/compress`) for the responses that hold no secret.
 * Why: citizens use cheap phones on slow networks; the report journey's category step is about 62 KB of HTML
 * raw and 13 KB gzipped, the public pages and the stylesheet shrink 3–5×.
 * Why not everything: a compressed response that holds a secret next to text an attacker can choose leaks that
 * secret through its length (BREACH). So nothing is compressed for a request that carries the staff/citizen
 * session cookie (its pages hold the CSRF token and personal data), nor on pages that show an access key or the
 * reporter's own contact details (tracking, the journey's contact, check and confirmation steps, sign-in and
 * invitations), nor for a request with an access key (`?k=`, `X-Access-Key`). Bearer-token API calls, Open311 and
 * public pages are compressed: a browser never attaches those credentials by itself.
 */
import compress from '@fastify/compress';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './auth.ts';

/** Paths whose pages show an access key, a CSRF token or the reporter's own details to a signed-out visitor. */
const SECRET_PATHS =
  /^\/(?:lacak(?:\/|$|\?)|akun|lapor\/(?:kontak|periksa|selesai)(?:\/|$|\?)|masuk|undangan|daftar)/;

/** Whether the response to `req` may be compressed (see the module comment). */
export function mayCompress(req: FastifyRequest): boolean {
  const cookies = req.headers.cookie ?? '';
  if (cookies.split(';').some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`))) return false;
  if (req.headers['x-access-key'] !== undefined) return false;
  if (SECRET_PATHS.test(req.url)) return false;
  return !/[?&]k=/.test(req.url);
}

/** Registers compression; must run before the routes are registered (it hooks each route as it is added). */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (req) => {
    // @fastify/compress leaves a response alone when the request has this header.
    if (!mayCompress(req)) req.headers['x-no-compression'] = 'secret';
  });
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
}
