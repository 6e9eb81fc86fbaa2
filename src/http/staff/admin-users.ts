/**
 * Administration of staff users (`/kantor/admin/pengguna`): the users holding grants in the caller's scope,
 * creating a staff account (the temporary password travels to the user's page in a sealed, httpOnly,
 * path-scoped cookie that is read once, so it survives the PRG redirect without ever being stored), granting
 * and revoking roles. The commands enforce scope and "never grant more than you hold".
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { createStaffUser, grantableRoles, grantRole, revokeRole } from '../../commands/manage-staff-users.ts';
import { agenciesInScope, usersInScope, type AdminAgency } from '../../queries/admin.ts';
import type { Actor } from '../../policies/can.ts';
import { UserPage, UsersPage, type GrantChoices } from '../../views/staff/admin-users.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { pageContext, sendPage } from '../web/render.ts';
import { handleForm, intOf, requireAdmin, str } from './admin-forms.ts';

const FLASH_COOKIE = 'aduan_tmp_pw';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function pathOf(a: AdminAgency, all: AdminAgency[]): string {
  const byId = new Map(all.map((x) => [x.id, x]));
  const ids: string[] = [];
  for (let cur: AdminAgency | undefined = a; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined)
    ids.unshift(cur.id);
  return `/${ids.join('/')}/`;
}

/** The roles and agencies the actor may grant (union over the agencies in scope). */
async function choicesFor(svc: Services, actor: Actor): Promise<GrantChoices> {
  const agencies = await agenciesInScope(svc, actor, 'manage_users');
  const roles = new Set<string>();
  for (const a of agencies)
    for (const r of grantableRoles(actor, { ...a, path: pathOf(a, agencies) })) roles.add(r);
  return { roles: [...roles], agencies };
}

/** Registers the user administration routes. */
export const staffAdminUserRoutes: FastifyPluginAsync<{
  services: Services;
  secureCookies: boolean;
}> = async (app, opts) => {
  const svc = opts.services;

  async function listPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const [users, choices] = await Promise.all([
      usersInScope(svc, req.caller.actor),
      choicesFor(svc, req.caller.actor),
    ]);
    return sendPage(reply, req, h(UsersPage, { ctx: pageContext(req), users, choices, form }), status);
  }

  async function userPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) throw new AppError('NOT_FOUND');
    const [users, choices] = await Promise.all([
      usersInScope(svc, req.caller.actor),
      choicesFor(svc, req.caller.actor),
    ]);
    const user = users.find((u) => u.id === id);
    if (!user) throw new AppError('NOT_FOUND');
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
    let temporaryPassword: string | undefined;
    const sealed = req.cookies[FLASH_COOKIE];
    if (sealed) {
      try {
        const flash = svc.sealer.open<{ userId: string; password: string }>(sealed);
        if (flash.userId === id) temporaryPassword = flash.password;
      } catch {
        /* a stale or forged cookie shows nothing */
      }
      reply.clearCookie(FLASH_COOKIE, { path: '/kantor/admin/pengguna' });
    }
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
        temporaryPassword,
        form,
        notice: done && !temporaryPassword ? ctx.t('admin.saved') : undefined,
      }),
      status,
    );
  }

  app.get('/kantor/admin/pengguna', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return listPage(req, reply);
  });

  app.post('/kantor/admin/pengguna', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return handleForm(req, reply, {
      action: 'create',
      inputs: ['name', 'email', 'role', 'agencyId'],
      run: async (body) => {
        const r = await createStaffUser(svc, req.caller, {
          name: str(body.name),
          email: str(body.email),
          role: str(body.role),
          agencyId: str(body.agencyId),
        });
        reply.setCookie(FLASH_COOKIE, svc.sealer.seal({ userId: r.userId, password: r.temporaryPassword }), {
          path: '/kantor/admin/pengguna',
          httpOnly: true,
          sameSite: 'strict',
          secure: opts.secureCookies,
          maxAge: 600,
        });
        return `/kantor/admin/pengguna/${r.userId}?selesai=1`;
      },
      rerender: (form, status) => listPage(req, reply, form, status),
    });
  });

  app.get('/kantor/admin/pengguna/:id', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return userPage(req, reply);
  });

  app.post('/kantor/admin/pengguna/:id/peran', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) throw new AppError('NOT_FOUND');
    return handleForm(req, reply, {
      action: 'grant',
      inputs: ['role', 'agencyId'],
      run: async (body) => {
        await grantRole(svc, req.caller, { userId: id, role: str(body.role), agencyId: str(body.agencyId) });
        return `/kantor/admin/pengguna/${id}?selesai=1`;
      },
      rerender: (form, status) => userPage(req, reply, form, status),
    });
  });

  app.post('/kantor/admin/pengguna/:id/cabut', async (req, reply) => {
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
  });
};
