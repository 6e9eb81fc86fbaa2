/**
 * Password change: GET/POST `/kantor/kata-sandi` for anyone signed in with a cookie session (staff and
 * citizens). `changePassword` checks the current password, stores an argon2id hash of the new one and closes
 * every other session of the account; the current session stays open.
 *
 * Forced change: accounts an admin created with a temporary password (`users.must_change_password`) are sent
 * here from every back-office page by the auth plugin (`?next=` keeps where they were going); the page says
 * why, and after the change it links on to `next`.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { changePassword, PASSWORD_RULES } from '../../commands/change-password.ts';
import { PasswordPage } from '../../views/staff/password-page.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { PASSWORD_CHANGE_PATH, SESSION_COOKIE } from '../plugins/auth.ts';
import { safeNext } from '../web/auth-pages.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { handleForm, str } from './admin-forms.ts';

const PATH = PASSWORD_CHANGE_PATH;

/** Registers the password page. */
export const staffPasswordRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  function signedIn(req: FastifyRequest, reply: FastifyReply): boolean {
    if (req.session?.via === 'cookie') return true;
    void reply.redirect(`/masuk?next=${encodeURIComponent(PATH)}`, 303);
    return false;
  }

  function page(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const ctx = pageContext(req);
    const q = req.query as Record<string, string | undefined>;
    const closed = q.selesai !== undefined ? Number.parseInt(q.selesai, 10) || 0 : null;
    const notice = closed === null ? undefined : ctx.t('admin.password.done', { n: closed });
    const next = safeNext(q.next, '');
    return sendPage(
      reply,
      req,
      h(PasswordPage, {
        ctx,
        minLength: PASSWORD_RULES.min,
        form,
        notice,
        forced: req.session?.mustChangePassword ?? false,
        next: next.startsWith(PATH) ? '' : next,
      }),
      status,
    );
  }

  app.get(PATH, async (req, reply) => {
    if (!signedIn(req, reply)) return reply;
    return page(req, reply);
  });

  app.post(PATH, { config: { staleForm: { action: 'password', page } } }, async (req, reply) => {
    if (!signedIn(req, reply)) return reply;
    return handleForm(req, reply, {
      action: 'password',
      inputs: ['currentPassword', 'newPassword', 'newPasswordConfirm'],
      secret: ['currentPassword', 'newPassword', 'newPasswordConfirm'],
      run: async (body) => {
        const closed = await changePassword(svc, {
          userId: req.session!.user.id,
          currentToken: req.cookies[SESSION_COOKIE] ?? '',
          currentPassword: str(body.currentPassword),
          newPassword: str(body.newPassword),
          newPasswordConfirm: str(body.newPasswordConfirm),
        });
        const next = safeNext((req.query as Record<string, unknown>).next, '');
        const keep = next && !next.startsWith(PATH) ? `&next=${encodeURIComponent(next)}` : '';
        return `${PATH}?selesai=${closed}${keep}`;
      },
      rerender: (form, status) => page(req, reply, form, status),
    });
  });
};
