/**
 * Sign-in and sign-out pages with a cookie session (shared by citizens and the back office).
 * Sign-in always opens a NEW session token (no session fixation) and drops any previous one; the redirect
 * target `next` must be a local path.
 */
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import type { FieldIssue } from '../../app/errors.ts';
import { signIn, signOut } from '../../commands/sign-in.ts';
import { isBackOfficeActor } from '../../queries/queues.ts';
import { isOmbudsmanActor } from '../staff/ombudsman-office.ts';
import { SignInPage } from '../../views/pages/sign-in.tsx';
import { PASSWORD_CHANGE_PATH, SESSION_COOKIE } from '../plugins/auth.ts';
import { classifyError } from '../plugins/errors.ts';
import { rateLimit } from '../plugins/rate-limit.ts';
import { t } from '../../locales/index.ts';
import { formErrors, pageContext, sendPage } from './render.ts';

/** Only same-site paths are accepted as redirect targets (no `//host`, no scheme). */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : fallback;
}

/** Registers GET/POST /masuk and POST /keluar. */
export async function authPages(
  app: FastifyInstance,
  opts: { services: Services; secureCookies: boolean; loginPerMinute: number },
): Promise<void> {
  const svc = opts.services;

  app.get('/masuk', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    return sendPage(
      reply,
      req,
      h(SignInPage, {
        ctx: pageContext(req),
        next: safeNext(q.next, ''),
        signedOut: q.keluar === '1',
        passwordReset: q.sandi === 'baru',
      }),
    );
  });

  app.post(
    '/masuk',
    { config: { skipCsrf: true }, preHandler: rateLimit(svc, 'login', opts.loginPerMinute, 60) },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const email = typeof body.email === 'string' ? body.email.trim() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      // No explicit target: staff land on their work (/kantor; the Ombudsman on its hand-offs), everyone else on the
      // portal.
      const explicit = safeNext(body.next, '');
      const ctx = pageContext(req);
      const fields: Record<string, FieldIssue> = {};
      if (!email) fields.email = { key: 'required' };
      if (!password) fields.password = { key: 'required' };
      if (Object.keys(fields).length) {
        const errors = formErrors(ctx.lang, fields, ['email', 'password']);
        return sendPage(reply, req, h(SignInPage, { ctx, email, next: explicit, errors }), 422);
      }
      try {
        const r = await signIn(svc, email, password);
        const next =
          explicit ||
          (isBackOfficeActor(r.actor) ? '/kantor' : isOmbudsmanActor(r.actor) ? '/kantor/ombudsman' : '/');
        const old = req.cookies[SESSION_COOKIE];
        if (old) await signOut(svc, old);
        reply.setCookie(SESSION_COOKIE, r.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secureCookies,
          expires: r.expiresAt,
        });
        if (r.mustChangePassword)
          return reply.redirect(`${PASSWORD_CHANGE_PATH}?next=${encodeURIComponent(next)}`, 303);
        return reply.redirect(next, 303);
      } catch (err) {
        const c = classifyError(err);
        if (c.code !== 'INVALID_CREDENTIALS' && c.code !== 'ACCOUNT_LOCKED') throw err;
        const message = t(ctx.lang, `errors.${c.code}`);
        return sendPage(reply, req, h(SignInPage, { ctx, email, next: explicit, message }), c.status);
      }
    },
  );

  app.post('/keluar', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await signOut(svc, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/masuk?keluar=1', 303);
  });
}
