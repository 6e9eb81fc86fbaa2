/**
 * JSON API v1: sign-in (bearer token plus session cookie), sign-out, the current user, and the password reset by
 * email (request: 202 whatever the address; confirm: 204).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from '../../../app/context.ts';
import { AppError } from '../../../app/errors.ts';
import { signIn, signOut } from '../../../commands/sign-in.ts';
import { resolveSession } from '../../../queries/session.ts';
import { bearerTokenOf, SESSION_COOKIE } from '../../plugins/auth.ts';
import { rateLimit } from '../../plugins/rate-limit.ts';
import { requestPasswordReset, resetPassword } from '../../../commands/password-reset.ts';
import { limitPasswordReset } from '../../plugins/rate-limit.ts';
import { requestLang } from '../../plugins/errors.ts';
import { LoginBody, PasswordResetBody, PasswordResetConfirmBody } from './schemas.ts';

export interface AuthRoutesOptions {
  services: Services;
  secureCookies: boolean;
  limits: { loginPerMinute: number };
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, opts) => {
  const svc = opts.services;
  app.post(
    '/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in', body: LoginBody },
      config: { skipCsrf: true },
      preHandler: rateLimit(svc, 'login', opts.limits.loginPerMinute, 60),
    },
    async (req, reply) => {
      const r = await signIn(svc, req.body.email, req.body.password).catch((e: unknown) => {
        // A lock has a known end: say when to try again (the body carries it as `params.retryAfter` too).
        if (e instanceof AppError && e.code === 'ACCOUNT_LOCKED' && e.params.retryAfter)
          void reply.header('retry-after', String(e.params.retryAfter));
        throw e;
      });
      const s = await resolveSession(svc.db, r.token, svc.now());
      reply.setCookie(SESSION_COOKIE, r.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        expires: r.expiresAt,
      });
      return {
        token: r.token,
        csrfToken: r.csrfToken,
        expiresAt: r.expiresAt.toISOString(),
        /** True until the temporary password is changed (other calls answer 403 PASSWORD_CHANGE_REQUIRED). */
        mustChangePassword: r.mustChangePassword,
        user: {
          ...r.user,
          roles: (s?.actor.grants ?? []).map((g) => ({ role: g.role, agencyId: g.agencyId })),
        },
      };
    },
  );

  app.post(
    '/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Ask for a password-reset link by email (202 whether or not the address has an account)',
        body: PasswordResetBody,
      },
      config: { skipCsrf: true },
      preHandler: limitPasswordReset(svc, opts.limits.loginPerMinute),
    },
    async (req, reply) => {
      await requestPasswordReset(svc, { email: req.body.email, lang: requestLang(req) });
      return reply.status(202).send();
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: "Set a new password with the emailed link's token (ends every session and API token)",
        body: PasswordResetConfirmBody,
      },
      config: { skipCsrf: true },
      preHandler: rateLimit(svc, 'password-reset-confirm', opts.limits.loginPerMinute, 60),
    },
    async (req, reply) => {
      await resetPassword(svc, {
        token: req.body.token,
        password: req.body.password,
        passwordConfirm: req.body.password,
      });
      return reply.status(204).send();
    },
  );

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out' } }, async (req, reply) => {
    const token = bearerTokenOf(req.headers.authorization) ?? req.cookies[SESSION_COOKIE];
    if (token) await signOut(svc, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user' } }, async (req) => {
    if (!req.session) throw new AppError('UNAUTHENTICATED');
    return {
      user: {
        ...req.session.user,
        roles: req.session.actor.grants.map((g) => ({ role: g.role, agencyId: g.agencyId })),
      },
      csrfToken: req.session.csrfToken,
    };
  });
};
