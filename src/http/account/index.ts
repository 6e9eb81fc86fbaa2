/**
 * Citizen accounts (issue 3, optional part): `/daftar` (register; the verification link goes out by email
 * through the outbox), `/daftar/terkirim` (check your email), `/daftar/verifikasi?token=…` (verify: grants the
 * citizen role), `/akun` (every report of the citizen) and `POST /akun/klaim` (claim a report filed without
 * an account with its tracking number and access key), and the password reset by email: `/lupa-sandi` (ask for a
 * link; the answer never tells whether the address has an account), `/lupa-sandi/terkirim`, `/atur-ulang-sandi?token=…`
 * (the new password). Pages, PRG, CSRF on every signed-in POST.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { PASSWORD_RULES } from '../../commands/change-password.ts';
import {
  requestPasswordReset,
  resetPassword,
  resetTokenState,
  RESET_MINUTES,
} from '../../commands/password-reset.ts';
import { AppError } from '../../app/errors.ts';
import { claimReport } from '../../commands/claim-report.ts';
import { registerCitizen, verifyCitizenEmail } from '../../commands/register-citizen.ts';
import { reportsOfUser } from '../../queries/account.ts';
import {
  AccountMessagePage,
  AccountPage,
  ForgotPasswordPage,
  RegisterPage,
  ResetPasswordPage,
} from '../../views/account/account-pages.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { rememberLang } from '../web/pages.ts';
import { pageContext, sendErrorPage, sendPage } from '../web/render.ts';
import { limitPasswordReset, rateLimit } from '../plugins/rate-limit.ts';
import { handleForm, str } from '../staff/admin-forms.ts';

function cleanToken(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strings(values: Record<string, string | string[]>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/** Registers the account pages. */
export const accountRoutes: FastifyPluginAsync<{
  services: Services;
  secureCookies: boolean;
  registerPerMinute?: number;
}> = async (app, opts) => {
  const svc = opts.services;
  app.addHook('preHandler', rememberLang(opts.secureCookies));
  app.setErrorHandler((err, req, reply) => sendErrorPage(reply, req, err));

  function registerPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    return sendPage(
      reply,
      req,
      h(RegisterPage, {
        ctx: pageContext(req),
        values: form ? strings(form.values) : {},
        errors: form?.errors,
        message: form?.message,
        minLength: PASSWORD_RULES.min,
      }),
      status,
    );
  }

  app.get('/daftar', async (req, reply) => registerPage(req, reply));

  app.post(
    '/daftar',
    {
      preHandler: rateLimit(svc, 'register', opts.registerPerMinute ?? 10, 60),
      config: { staleForm: { action: 'register', page: registerPage } },
    },
    async (req, reply) => {
      const lang = pageContext(req).lang;
      return handleForm(req, reply, {
        action: 'register',
        inputs: ['name', 'email', 'password', 'passwordConfirm'],
        secret: ['password', 'passwordConfirm'],
        run: async (body) => {
          await registerCitizen(svc, {
            name: str(body.name),
            email: str(body.email),
            password: str(body.password),
            passwordConfirm: str(body.passwordConfirm),
            lang,
          });
          return '/daftar/terkirim';
        },
        rerender: (form, status) => registerPage(req, reply, form, status),
      });
    },
  );

  app.get('/daftar/terkirim', async (req, reply) => {
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(AccountMessagePage, {
        ctx,
        title: ctx.t('account.sent.title'),
        body: ctx.t('account.sent.body'),
      }),
    );
  });

  app.get('/daftar/verifikasi', async (req, reply) => {
    const ctx = pageContext(req);
    const token = String((req.query as Record<string, unknown>).token ?? '');
    try {
      await verifyCitizenEmail(svc, token);
    } catch {
      return sendPage(
        reply,
        req,
        h(AccountMessagePage, {
          ctx,
          title: ctx.t('account.verify.failed_title'),
          body: ctx.t('account.verify.failed_body'),
          link: { href: '/daftar', label: ctx.t('account.register.title') },
        }),
        404,
      );
    }
    return sendPage(
      reply,
      req,
      h(AccountMessagePage, {
        ctx,
        status: 'ok',
        title: ctx.t('account.verify.ok_title'),
        body: ctx.t('account.verify.ok_body'),
        link: { href: '/masuk?next=/akun', label: ctx.t('web.nav.sign_in') },
      }),
    );
  });

  function forgotPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    return sendPage(
      reply,
      req,
      h(ForgotPasswordPage, {
        ctx: pageContext(req),
        values: form ? strings(form.values) : {},
        errors: form?.errors,
        message: form?.message,
      }),
      status,
    );
  }

  app.get('/lupa-sandi', async (req, reply) => forgotPage(req, reply));

  app.post(
    '/lupa-sandi',
    {
      preHandler: limitPasswordReset(svc, opts.registerPerMinute ?? 10),
      config: { staleForm: { action: 'password-reset', page: forgotPage } },
    },
    async (req, reply) => {
      const ctx = pageContext(req);
      return handleForm(req, reply, {
        action: 'password-reset',
        inputs: ['email'],
        run: async (body) => {
          await requestPasswordReset(svc, { email: str(body.email), lang: ctx.lang });
          return '/lupa-sandi/terkirim';
        },
        rerender: (form, status) => forgotPage(req, reply, form, status),
      });
    },
  );

  app.get('/lupa-sandi/terkirim', async (req, reply) => {
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(AccountMessagePage, {
        ctx,
        title: ctx.t('account.forgot.sent_title'),
        body: ctx.t('account.forgot.sent_body', { minutes: RESET_MINUTES }),
        link: { href: `/lupa-sandi?lang=${ctx.lang}`, label: ctx.t('account.forgot.again') },
      }),
    );
  });

  function invalidResetLink(req: FastifyRequest, reply: FastifyReply, status: 404 | 410) {
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(AccountMessagePage, {
        ctx,
        title: ctx.t('account.reset.invalid_title'),
        body: ctx.t('account.reset.invalid_body', { minutes: RESET_MINUTES }),
        link: { href: `/lupa-sandi?lang=${ctx.lang}`, label: ctx.t('account.forgot.again') },
      }),
      status,
    );
  }

  function resetPage(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    form?: FormState,
    status = 200,
  ) {
    void reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    return sendPage(
      reply,
      req,
      h(ResetPasswordPage, {
        ctx: pageContext(req),
        token,
        errors: form?.errors,
        message: form?.message,
        rules: PASSWORD_RULES,
      }),
      status,
    );
  }

  /** The reset form of the posted link again (a stale token), or the invalid-link page once the link is no more. */
  async function resetPageOfPost(req: FastifyRequest, reply: FastifyReply, form: FormState, status: number) {
    const token = cleanToken((req.body as Record<string, unknown> | undefined)?.token);
    const state = await resetTokenState(svc, token);
    if (state !== 'valid') return invalidResetLink(req, reply, state === 'gone' ? 410 : 404);
    return resetPage(req, reply, token, form, status);
  }

  app.get('/atur-ulang-sandi', async (req, reply) => {
    const token = String((req.query as Record<string, unknown>).token ?? '');
    const state = await resetTokenState(svc, token);
    if (state !== 'valid') return invalidResetLink(req, reply, state === 'gone' ? 410 : 404);
    return resetPage(req, reply, token);
  });

  app.post(
    '/atur-ulang-sandi',
    {
      preHandler: rateLimit(svc, 'password-reset-confirm', opts.registerPerMinute ?? 10, 60),
      config: { staleForm: { action: 'password-reset-confirm', page: resetPageOfPost } },
    },
    async (req, reply) => {
      const token = cleanToken((req.body as Record<string, unknown> | undefined)?.token);
      return handleForm(req, reply, {
        action: 'password-reset-confirm',
        inputs: ['password', 'passwordConfirm'],
        secret: ['password', 'passwordConfirm', 'token'],
        run: async (body) => {
          try {
            await resetPassword(svc, {
              token,
              password: str(body.password),
              passwordConfirm: str(body.passwordConfirm),
            });
          } catch (err) {
            if (err instanceof AppError && err.fields.token) {
              const state = await resetTokenState(svc, token);
              return () => invalidResetLink(req, reply, state === 'gone' ? 410 : 404);
            }
            throw err;
          }
          return '/masuk?sandi=baru';
        },
        rerender: (form, status) => resetPage(req, reply, token, form, status),
      });
    },
  );

  async function accountPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const ctx = pageContext(req);
    const s = req.session!;
    const verified = s.actor.grants.some((g) => g.role === 'citizen');
    const reports = verified ? await reportsOfUser(svc, s.user.id) : [];
    const claimed = (req.query as Record<string, string | undefined>).klaim;
    return sendPage(
      reply,
      req,
      h(AccountPage, {
        ctx,
        name: s.user.name,
        verified,
        reports,
        values: form ? strings(form.values) : {},
        errors: form?.errors,
        message: form?.message,
        notice:
          claimed && /^\d{10}$/.test(claimed) ? ctx.t('account.claim.done', { id: claimed }) : undefined,
      }),
      status,
    );
  }

  app.get('/akun', async (req, reply) => {
    if (req.session?.via !== 'cookie') return reply.redirect('/masuk?next=/akun', 303);
    return accountPage(req, reply);
  });

  app.post(
    '/akun/klaim',
    { config: { staleForm: { action: 'claim', page: accountPage } } },
    async (req, reply) => {
      if (req.session?.via !== 'cookie') return reply.redirect('/masuk?next=/akun', 303);
      return handleForm(req, reply, {
        action: 'claim',
        inputs: ['trackingId', 'accessKey'],
        secret: ['accessKey'],
        run: async (body) => {
          const id = await claimReport(svc, req.caller, {
            trackingId: str(body.trackingId),
            accessKey: str(body.accessKey),
          });
          return `/akun?klaim=${id}`;
        },
        rerender: (form, status) => accountPage(req, reply, form, status),
      });
    },
  );
};
