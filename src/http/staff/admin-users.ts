/**
 * Administration of staff users (`/kantor/admin/pengguna`): the users holding grants in the caller's scope, staff
 * invitations (send, list pending, send again, cancel; `staff-invitations.ts`), granting and revoking roles. The
 * commands enforce scope and "never grant more than you hold".
 *
 * An invitation answers the same for every valid address ("Undangan dikirim ke …", carried over the PRG redirect in
 * a sealed, httpOnly, path-scoped cookie read once) and lands in the pending list the same way: no page here tells
 * whether the address already had an account. The person appears among the users once they accepted (hold a grant).
 * When no email transport is configured (`Services.emailConfigured` false), nothing could carry the link: the answer
 * to the invite (or resend) form is then the page itself (200, `Cache-Control: no-store` as every page), saying so
 * and showing the link once; it is never put in a cookie, a redirect or a log.
 *
 * Accounts: `?tampil=nonaktif` lists deactivated accounts, `?tampil=tanpa-peran` former staff without roles
 * (`formerStaffInScope`); the user page deactivates or reactivates an account (`setAccountDisabled`; the same scope
 * as revoking every role the person holds), recorded on the users row (who, when) and in the application log.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import {
  grantableRoles,
  grantRole,
  mayManageAccount,
  revokeRole,
  roleKindFits,
  roleMisfit,
  setAccountDisabled,
  STAFF_ROLES,
  type StaffRole,
} from '../../commands/manage-staff-users.ts';
import {
  INVITATION_DAYS,
  inviteStaff,
  resendInvitation,
  revokeInvitation,
} from '../../commands/staff-invitations.ts';
import { agenciesInScope, usersInScope, type AdminAgency, type AdminUser } from '../../queries/admin.ts';
import { formerStaffInScope } from '../../queries/staff-accounts.ts';
import { pendingInvitations } from '../../queries/staff-invitations.ts';
import type { Actor } from '../../policies/can.ts';
import {
  USER_FILTERS,
  UserPage,
  UsersPage,
  type GrantChoices,
  type InvitationRow,
  type ShownInviteLink,
  type UserFilter,
} from '../../views/staff/admin-users.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { pageContext, sendPage } from '../web/render.ts';
import { handleForm, intOf, requireAdmin, staleAdminForm, str, type FormPage } from './admin-forms.ts';

/** The outcome of an invitation form, carried over the redirect (sealed, read once). */
const FLASH_COOKIE = 'aduan_invite_flash';
const FLASH_PATH = '/kantor/admin/pengguna';
type Flash = { kind: 'sent' | 'resent'; email: string } | { kind: 'revoked' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function pathOf(a: AdminAgency, all: AdminAgency[]): string {
  const byId = new Map(all.map((x) => [x.id, x]));
  const ids: string[] = [];
  for (let cur: AdminAgency | undefined = a; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined)
    ids.unshift(cur.id);
  return `/${ids.join('/')}/`;
}

/**
 * The roles the actor may grant (union over the agencies in scope), the agencies in scope, and which kinds each role
 * fits (`roleKindFits`). The forms offer only active agencies on which at least one role the actor may grant there
 * fits (`roleMisfit`): a select cannot follow the chosen role without JavaScript, so agencies nothing fits are left out.
 */
async function choicesFor(svc: Services, actor: Actor): Promise<GrantChoices> {
  const inScope = await agenciesInScope(svc, actor, 'manage_users');
  const roles = new Set<StaffRole>();
  const offered: AdminAgency[] = [];
  for (const a of inScope) {
    const grantable = grantableRoles(actor, { ...a, path: pathOf(a, inScope) }, a.branchKinds);
    grantable.forEach((r) => roles.add(r));
    const fit = {
      kind: a.kind,
      isCoordinator: a.isCoordinator,
      ombudsmanBranch: a.branchKinds.includes('ombudsman'),
    };
    if (a.active && grantable.some((r) => roleMisfit(r, fit) === null)) offered.push(a);
  }
  const granted = STAFF_ROLES.filter((r) => roles.has(r));
  return { roles: granted, agencies: inScope, offered, roleFits: roleKindFits(granted) };
}

/** The users of one list filter: holders of roles (default), deactivated accounts, or former staff without roles. */
async function listedUsers(svc: Services, actor: Actor, filter: UserFilter): Promise<AdminUser[]> {
  if (filter === 'tanpa-peran') return formerStaffInScope(svc, actor);
  const users = await usersInScope(svc, actor);
  if (filter === '') return users;
  const former = await formerStaffInScope(svc, actor);
  return [...users, ...former].filter((u) => u.disabled).sort((a, b) => a.name.localeCompare(b.name, 'id'));
}

/** Registers the user administration routes. */
export const staffAdminUserRoutes: FastifyPluginAsync<{
  services: Services;
  secureCookies: boolean;
}> = async (app, opts) => {
  const svc = opts.services;

  function setFlash(reply: FastifyReply, flash: Flash) {
    reply.setCookie(FLASH_COOKIE, svc.sealer.seal(flash), {
      path: FLASH_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.secureCookies,
      maxAge: 600,
    });
  }

  /** The flash of the last invitation form, once (a stale or forged cookie shows nothing). */
  function takeFlash(req: FastifyRequest, reply: FastifyReply): Flash | undefined {
    const sealed = req.cookies[FLASH_COOKIE];
    if (!sealed) return undefined;
    reply.clearCookie(FLASH_COOKIE, { path: FLASH_PATH });
    try {
      return svc.sealer.open<Flash>(sealed);
    } catch {
      return undefined;
    }
  }

  async function listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    form?: FormState,
    status = 200,
    shown?: { link: ShownInviteLink; kind: 'sent' | 'resent' },
  ) {
    const actor = req.caller.actor;
    const asked = (req.query as Record<string, string | undefined>).tampil ?? '';
    const filter: UserFilter =
      form || shown ? '' : (((USER_FILTERS as readonly string[]).includes(asked) ? asked : '') as UserFilter);
    const [users, choices, pending] = await Promise.all([
      listedUsers(svc, actor, filter),
      choicesFor(svc, actor),
      pendingInvitations(svc, actor),
    ]);
    const national = actor.grants.some((g) => g.role === 'national_admin');
    const invitations: InvitationRow[] = pending.map((i) => ({
      ...i,
      actionable:
        national ||
        (i.agencyId !== null &&
          i.agencyPath !== null &&
          grantableRoles(
            actor,
            { id: i.agencyId, path: i.agencyPath, regionCode: i.agencyRegionCode },
            i.agencyBranchKinds,
          ).some((r) => r === i.role)),
    }));
    const ctx = pageContext(req);
    const flash = form || shown ? undefined : takeFlash(req, reply);
    const notice = shown
      ? ctx.t(`admin.invite.${shown.kind}_no_mail`, { email: shown.link.email })
      : !flash
        ? undefined
        : flash.kind === 'revoked'
          ? ctx.t('admin.invite.revoked')
          : ctx.t(`admin.invite.${flash.kind}`, { email: flash.email });
    return sendPage(
      reply,
      req,
      h(UsersPage, {
        ctx,
        users,
        choices,
        invitations,
        inviteDays: INVITATION_DAYS,
        filter,
        emailConfigured: svc.emailConfigured !== false,
        link: shown?.link,
        form,
        notice,
      }),
      status,
    );
  }

  /**
   * The answer to an invite or resend without an email transport: the page with the link, once, in this response
   * only (200; no redirect, no cookie, nothing logged; `sendPage` sends `Cache-Control: no-store`).
   */
  function showLink(
    req: FastifyRequest,
    reply: FastifyReply,
    kind: 'sent' | 'resent',
    link: ShownInviteLink,
  ) {
    return listPage(req, reply, undefined, 200, { link, kind });
  }

  async function userPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) throw new AppError('NOT_FOUND');
    const [users, former, choices] = await Promise.all([
      usersInScope(svc, req.caller.actor),
      formerStaffInScope(svc, req.caller.actor),
      choicesFor(svc, req.caller.actor),
    ]);
    const user = users.find((u) => u.id === id) ?? former.find((u) => u.id === id);
    if (!user) throw new AppError('NOT_FOUND');
    const manageAccount = await mayManageAccount(svc, req.caller, id);
    const inScope = new Set(choices.agencies.map((a) => a.id));
    const national = req.caller.actor.grants.some((g) => g.role === 'national_admin');
    const revocable =
      id === req.caller.actor.userId
        ? []
        : user.grants
            .filter(
              (g) => national || (g.agencyId && inScope.has(g.agencyId) && choices.roles.includes(g.role)),
            )
            .map((g) => g.id);
    const ctx = pageContext(req);
    const done = (req.query as Record<string, string | undefined>).selesai === '1';
    return sendPage(
      reply,
      req,
      h(UserPage, {
        ctx,
        user,
        choices,
        revocable,
        manageAccount,
        form,
        notice: done ? ctx.t('admin.saved') : undefined,
      }),
      status,
    );
  }

  app.get('/kantor/admin/pengguna', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return listPage(req, reply);
  });

  // A stale token (every form here) re-renders the form's page with what was typed (`staleAdminForm`).
  const list: FormPage = (req, reply, form, status) => listPage(req, reply, form, status);
  app.post('/kantor/admin/pengguna', { config: staleAdminForm('invite', list) }, async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    const lang = pageContext(req).lang;
    return handleForm(req, reply, {
      action: 'invite',
      inputs: ['name', 'email', 'role', 'agencyId'],
      run: async (body) => {
        const email = str(body.email).trim().toLowerCase();
        const r = await inviteStaff(svc, req.caller, {
          name: str(body.name),
          email,
          role: str(body.role),
          agencyId: str(body.agencyId),
          lang,
        });
        if (r.link) return () => showLink(req, reply, 'sent', { email, ...r.link! });
        setFlash(reply, { kind: 'sent', email });
        return '/kantor/admin/pengguna';
      },
      rerender: (form, status) => listPage(req, reply, form, status),
    });
  });

  app.post(
    '/kantor/admin/pengguna/undangan/:id/kirim-ulang',
    { config: staleAdminForm('resend', list) },
    async (req, reply) => {
      if (!requireAdmin(req, reply)) return reply;
      const { id } = req.params as { id: string };
      const lang = pageContext(req).lang;
      return handleForm(req, reply, {
        action: 'resend',
        inputs: [],
        run: async () => {
          const r = await resendInvitation(svc, req.caller, id, lang);
          if (r.link) return () => showLink(req, reply, 'resent', { email: r.email, ...r.link! });
          setFlash(reply, { kind: 'resent', email: r.email });
          return '/kantor/admin/pengguna';
        },
        rerender: (form, status) => listPage(req, reply, form, status),
      });
    },
  );

  app.post(
    '/kantor/admin/pengguna/undangan/:id/batalkan',
    { config: staleAdminForm('revoke-invitation', list) },
    async (req, reply) => {
      if (!requireAdmin(req, reply)) return reply;
      const { id } = req.params as { id: string };
      return handleForm(req, reply, {
        action: 'revoke-invitation',
        inputs: [],
        run: async () => {
          await revokeInvitation(svc, req.caller, id);
          setFlash(reply, { kind: 'revoked' });
          return '/kantor/admin/pengguna';
        },
        rerender: (form, status) => listPage(req, reply, form, status),
      });
    },
  );

  app.get('/kantor/admin/pengguna/:id', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return userPage(req, reply);
  });

  app.post(
    '/kantor/admin/pengguna/:id/peran',
    { config: staleAdminForm('grant', userPage) },
    async (req, reply) => {
      if (!requireAdmin(req, reply)) return reply;
      const { id } = req.params as { id: string };
      if (!UUID.test(id)) throw new AppError('NOT_FOUND');
      return handleForm(req, reply, {
        action: 'grant',
        inputs: ['role', 'agencyId'],
        run: async (body) => {
          await grantRole(svc, req.caller, {
            userId: id,
            role: str(body.role),
            agencyId: str(body.agencyId),
          });
          return `/kantor/admin/pengguna/${id}?selesai=1`;
        },
        rerender: (form, status) => userPage(req, reply, form, status),
      });
    },
  );

  app.post(
    '/kantor/admin/pengguna/:id/cabut',
    { config: staleAdminForm('revoke', userPage) },
    async (req, reply) => {
      if (!requireAdmin(req, reply)) return reply;
      const { id } = req.params as { id: string };
      if (!UUID.test(id)) throw new AppError('NOT_FOUND');
      return handleForm(req, reply, {
        action: 'revoke',
        inputs: [],
        run: async (body) => {
          const grantId = intOf(body.grantId);
          if (grantId === undefined) throw new AppError('NOT_FOUND');
          await revokeRole(svc, req.caller, id, grantId);
          return `/kantor/admin/pengguna/${id}?selesai=1`;
        },
        rerender: (form, status) => userPage(req, reply, form, status),
      });
    },
  );

  for (const [path, disabled] of [
    ['nonaktifkan', true],
    ['aktifkan', false],
  ] as const) {
    app.post(
      `/kantor/admin/pengguna/:id/${path}`,
      { config: staleAdminForm('account', userPage) },
      async (req, reply) => {
        if (!requireAdmin(req, reply)) return reply;
        const { id } = req.params as { id: string };
        if (!UUID.test(id)) throw new AppError('NOT_FOUND');
        return handleForm(req, reply, {
          action: 'account',
          inputs: [],
          run: async () => {
            await setAccountDisabled(svc, req.caller, id, disabled);
            // The admin actions' record: who changed which account (ids only; the row keeps who and when).
            req.log.info(
              {
                event: disabled ? 'staff.account_disabled' : 'staff.account_enabled',
                by: req.caller.actor.userId,
                user: id,
              },
              disabled ? 'account deactivated' : 'account reactivated',
            );
            return `/kantor/admin/pengguna/${id}?selesai=1`;
          },
          rerender: (form, status) => userPage(req, reply, form, status),
        });
      },
    );
  }
};
