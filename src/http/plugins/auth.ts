/**
 * Resolves who is calling: a bearer token (API clients, no CSRF), a session cookie (pages; writes need the
 * CSRF token), a reporter's access key (X-Access-Key or `?k=`), and a device cookie for one-support-per-device.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type {} from '@fastify/cookie';
import { timingSafeEqual } from 'node:crypto';
import { randomToken } from '../../integrations/crypto.ts';
import type { Caller, Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { resolveSession, type SessionInfo } from '../../queries/session.ts';
import { resolveIntegrationToken } from '../../queries/integrations.ts';
import { recordApiKeyUse } from '../../commands/manage-partner-keys.ts';

export const SESSION_COOKIE = 'aduan_session';
export const DEVICE_COOKIE = 'aduan_device';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
    session: (SessionInfo & { via: 'bearer' | 'cookie' }) | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Where a session that must change its temporary password may still go (the password page, sign-out). */
export const PASSWORD_CHANGE_PATH = '/kantor/kata-sandi';
const OPEN_WHILE_PASSWORD_TEMPORARY = new Set([
  PASSWORD_CHANGE_PATH,
  '/keluar',
  '/api/v1/auth/login',
  '/api/v1/auth/logout',
  '/api/v1/auth/me',
]);

/**
 * The forced password change: a session whose account still has the admin's temporary password is sent
 * to the password page from every back-office and account page, and every API call answers 403
 * `PASSWORD_CHANGE_REQUIRED`. Public pages stay as they are for everyone.
 */
function guardTemporaryPassword(req: FastifyRequest, reply: FastifyReply): boolean {
  const path = req.url.split('?')[0]!.replace(/\/+$/, '') || '/';
  if (OPEN_WHILE_PASSWORD_TEMPORARY.has(path)) return true;
  if (path.startsWith('/api/')) throw new AppError('PASSWORD_CHANGE_REQUIRED');
  if (path === '/kantor' || path.startsWith('/kantor/') || path === '/akun' || path.startsWith('/akun/')) {
    void reply.redirect(`${PASSWORD_CHANGE_PATH}?next=${encodeURIComponent(req.url)}`, 303);
    return false;
  }
  return true;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** The CSRF token a cookie-authenticated write carried (header or form field). */
function csrfFrom(req: FastifyRequest): string | undefined {
  const h = req.headers['x-csrf-token'];
  if (typeof h === 'string') return h;
  const body = req.body as Record<string, unknown> | undefined;
  return body && typeof body._csrf === 'string' ? body._csrf : undefined;
}

/**
 * The auth hook's CSRF check, for a route that reads its own body (`skipCsrf`: a multipart form, whose `_csrf` part
 * the hook cannot see): a cookie session's write must carry the session's token, in the `x-csrf-token` header or as
 * `sent` (the form's `_csrf` field); other callers (no session, a bearer token) are not checked.
 */
export function checkFormCsrf(req: FastifyRequest, sent: unknown): void {
  const s = req.session;
  if (!s || s.via !== 'cookie') return;
  const h = req.headers['x-csrf-token'];
  const token = typeof h === 'string' ? h : typeof sent === 'string' ? sent : undefined;
  if (!token || !safeEqual(token, s.csrfToken)) throw new AppError('CSRF_INVALID');
}

/**
 * The bearer token of an `Authorization` header, with the scheme matched case-insensitively (RFC 7235 §2.1:
 * `Bearer`, `bearer` and `BEARER` are the same scheme); null for any other scheme or a malformed header.
 */
export function bearerTokenOf(header: string | undefined): string | null {
  const m = /^bearer +(\S+) *$/i.exec(header?.trim() ?? '');
  return m ? m[1]! : null;
}

/** Paths where an `Authorization` header is aduan's own credential (the JSON API); elsewhere another may pass. */
const OWN_AUTHORIZATION = /^\/api\/v1\//;

/**
 * What the request's `Authorization` header gives: nothing (absent or empty), a bearer token, or something
 * unusable. Outside the JSON API another scheme is left alone (the email channel's Basic auth, a reverse proxy's
 * Basic auth in front of the pages) and counts as nothing; a malformed `Bearer` header is unusable everywhere.
 */
function authorizationOf(
  req: FastifyRequest,
): { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'unusable' } {
  const header = req.headers.authorization?.trim();
  if (!header) return { kind: 'none' };
  const token = bearerTokenOf(header);
  if (token) return { kind: 'bearer', token };
  const path = req.url.split('?')[0]!;
  if (/^bearer(?:\s|$)/i.test(header) || OWN_AUTHORIZATION.test(path)) return { kind: 'unusable' };
  return { kind: 'none' };
}

/** Registers the caller resolution hook. */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { services: Services; secureCookies: boolean }) => {
    app.decorateRequest('caller', null as unknown as Caller);
    app.decorateRequest('session', null);
    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      const svc = opts.services;
      let session: FastifyRequest['session'] = null;
      // An agency API token (docs/integrations.md): an `integration` grant, no session, no CSRF.
      let tokenActor: Caller['actor'] | null = null;
      let apiKeyId: string | undefined;
      const credentials = authorizationOf(req);
      if (credentials.kind === 'unusable') {
        // A header this API cannot use (another scheme such as Basic, or a malformed one) is refused rather than
        // ignored, so a client with a typo never silently gets the smaller public view (RFC 7235: 401).
        void reply.header('www-authenticate', 'Bearer');
        throw new AppError('UNAUTHENTICATED');
      }
      if (credentials.kind === 'bearer') {
        const bearer = credentials.token;
        const s = await resolveSession(svc.db, bearer, svc.now());
        if (s) session = { ...s, via: 'bearer' };
        else {
          const token = await resolveIntegrationToken(svc.db, bearer);
          // A deactivated agency's tokens are refused, not forgotten: reactivating the agency restores them.
          if (token && !token.agencyActive) throw new AppError('AGENCY_INACTIVE');
          if (token) {
            tokenActor = token.actor;
            apiKeyId = token.keyId;
            await recordApiKeyUse(svc, token.keyId);
          }
        }
        if (!s && !tokenActor) {
          void reply.header('www-authenticate', 'Bearer error="invalid_token"');
          throw new AppError('UNAUTHENTICATED');
        }
      } else {
        const token = req.cookies[SESSION_COOKIE];
        if (token) {
          const s = await resolveSession(svc.db, token, svc.now());
          if (s) session = { ...s, via: 'cookie' };
          else reply.clearCookie(SESSION_COOKIE, { path: '/' });
        }
        if (session && UNSAFE.has(req.method) && !req.routeOptions.config?.skipCsrf) {
          const sent = csrfFrom(req);
          if (!sent || !safeEqual(sent, session.csrfToken)) {
            // The page answering a stale form (web/render.ts `sendStaleFormPage`, a route's own `staleForm` page) is
            // the signed-in page it was: the session and its actor, nothing else of the request (no access key).
            req.session = session;
            req.caller = { actor: session.actor };
            throw new AppError('CSRF_INVALID');
          }
        }
      }
      const q = req.query as Record<string, unknown> | undefined;
      const headerKey = req.headers['x-access-key'];
      const accessKey =
        typeof headerKey === 'string' ? headerKey : typeof q?.k === 'string' ? q.k : undefined;
      req.session = session;
      const caller: Caller = {
        actor: session ? session.actor : (tokenActor ?? { userId: null, grants: [] }),
        accessKey,
        ...(apiKeyId ? { apiKeyId } : {}),
      };
      const device = req.cookies[DEVICE_COOKIE];
      if (device && /^[A-Za-z0-9_-]{16,64}$/.test(device)) caller.deviceKey = device;
      else {
        // The device cookie is issued only when a command needs it (a support without an account), so
        // requests that never use it (most API calls, every page view) carry no Set-Cookie.
        let issued: string | undefined;
        Object.defineProperty(caller, 'deviceKey', {
          enumerable: true,
          get() {
            if (issued === undefined) {
              issued = randomToken(16);
              reply.setCookie(DEVICE_COOKIE, issued, {
                path: '/',
                httpOnly: true,
                sameSite: 'lax',
                secure: opts.secureCookies,
                maxAge: 365 * 86400,
              });
            }
            return issued;
          },
        });
      }
      req.caller = caller;
      if (session?.mustChangePassword && !guardTemporaryPassword(req, reply)) return reply;
    });
  },
);

declare module 'fastify' {
  interface FastifyContextConfig {
    skipCsrf?: boolean;
  }
}
