/**
 * The staff invitation link (`src/commands/staff-invitations.ts`): `GET /undangan?token=…` shows what the invitation
 * grants and the form, `POST /undangan` accepts it, signs the invitee in (a new session token, any earlier session
 * of the browser ended, as `/masuk`) and sends them on (303). Every invalid link (unknown, expired, used, cancelled)
 * is one neutral page with status 404. POSTs are rate-limited per client like the sign-in, and a password typed to
 * confirm an existing account counts towards that account's lockout (the sign-in's own check). The form carries
 * `_csrf` when the browser already has a session (the auth plugin checks it then).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { PASSWORD_RULES } from '../../commands/change-password.ts';
import { signOut } from '../../commands/sign-in.ts';
import { acceptInvitation, openInvitation } from '../../commands/staff-invitations.ts';
import { AccountMessagePage } from '../../views/account/account-pages.tsx';
import { InvitationPage } from '../../views/account/invitation-page.tsx';
import { t } from '../../locales/index.ts';
import { PASSWORD_CHANGE_PATH, SESSION_COOKIE } from '../plugins/auth.ts';
import { classifyError } from '../plugins/errors.ts';
import { rateLimit } from '../plugins/rate-limit.ts';
import { splitIssues, str } from '../staff/admin-forms.ts';
import { cleanBody } from '../staff/forms.ts';
import { rememberLang } from './pages.ts';
import { pageContext, sendErrorPage, sendPage } from './render.ts';

const BACK_OFFICE = ['national_admin', 'coordinator', 'agency_admin', 'officer'];

/** Where an invitee lands once signed in: the back office, the assessors' evaluation pages, else the home page. */
function landingFor(role: string): string {
  if (BACK_OFFICE.includes(role)) return '/kantor';
  if (role === 'assessor') return '/kantor/evaluasi';
  return '/';
}

/** Registers GET/POST /undangan. */
export const invitationPages: FastifyPluginAsync<{
  services: Services;
  secureCookies: boolean;
  acceptPerMinute: number;
}> = async (app, opts) => {
  const svc = opts.services;
  app.addHook('preHandler', rememberLang(opts.secureCookies));
  app.setErrorHandler((err, req, reply) => sendErrorPage(reply, req, err));

  function invalidLink(req: FastifyRequest, reply: FastifyReply) {
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(AccountMessagePage, {
        ctx,
        title: ctx.t('account.invitation.invalid_title'),
        body: ctx.t('account.invitation.invalid_body'),
      }),
      404,
    );
  }

  async function formPage(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    failed?: { values: Record<string, string | undefined>; errors: Record<string, string>; message?: string },
    status = 200,
  ) {
    let invitation;
    try {
      invitation = await openInvitation(svc, token);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return invalidLink(req, reply);
      throw err;
    }
    // The URL holds the invitation's token: never sent on in a Referer header, never cached (as the reset page).
    void reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    return sendPage(
      reply,
      req,
      h(InvitationPage, {
        ctx: pageContext(req),
        token,
        invitation,
        minLength: PASSWORD_RULES.min,
        values: failed?.values,
        errors: failed?.errors,
        message: failed?.message,
      }),
      status,
    );
  }

  app.get('/undangan', async (req, reply) => {
    const token = (req.query as Record<string, unknown>).token;
    return formPage(req, reply, typeof token === 'string' ? token : '');
  });

  app.post(
    '/undangan',
    {
      preHandler: rateLimit(svc, 'invitation', opts.acceptPerMinute, 60),
      // The language switch of a re-rendered form returns to the same invitation.
      config: {
        // A stale token: the same invitation's form again, with the name typed (never the passwords).
        staleForm: {
          action: 'invitation',
          page: (req, reply, form, status) =>
            formPage(
              req,
              reply,
              str(cleanBody(req.body).token),
              { values: { name: str(form.values.name) }, errors: {}, message: form.message },
              status,
            ),
        },
        langPath: (req) => {
          const token = (req.body as Record<string, unknown> | undefined)?.token;
          return `/undangan?token=${encodeURIComponent(typeof token === 'string' ? token : '')}`;
        },
      },
    },
    async (req, reply) => {
      const body = cleanBody(req.body);
      const token = str(body.token);
      const ctx = pageContext(req);
      try {
        const session = await acceptInvitation(svc, token, {
          name: str(body.name),
          password: str(body.password),
          passwordConfirm: str(body.passwordConfirm),
        });
        const old = req.cookies[SESSION_COOKIE];
        if (old) await signOut(svc, old);
        reply.setCookie(SESSION_COOKIE, session.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secureCookies,
          expires: session.expiresAt,
        });
        const next = landingFor(session.role);
        if (session.mustChangePassword)
          return reply.redirect(`${PASSWORD_CHANGE_PATH}?next=${encodeURIComponent(next)}`, 303);
        return reply.redirect(next, 303);
      } catch (err) {
        const c = classifyError(err);
        if (c.code === 'NOT_FOUND') return invalidLink(req, reply);
        if (c.code !== 'VALIDATION_FAILED' && c.code !== 'ACCOUNT_LOCKED') throw err;
        const split =
          c.code === 'VALIDATION_FAILED'
            ? splitIssues(ctx.lang, c.fields, ['name', 'password', 'passwordConfirm'])
            : { errors: {}, message: t(ctx.lang, `errors.${c.code}`) };
        return formPage(
          req,
          reply,
          token,
          { values: { name: str(body.name) }, errors: split.errors, message: split.message },
          c.status,
        );
      }
    },
  );
};
