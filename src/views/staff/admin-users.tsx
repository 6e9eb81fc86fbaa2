/**
 * Staff users and their roles: the list of users holding grants in the caller's scope, the form inviting a person
 * (the link goes to their address; they appear in the list once they accept), the pending invitations (send again,
 * cancel), and one user's page with their grants (revoke) and a grant form. Roles and agencies offered are only those
 * the caller may grant.
 *
 * Accessibility notes: tables with captions and scoped headers; revoke, resend and cancel buttons name their row.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Select, TextInput } from '../components/fields.tsx';
import { formatDate } from '../format.ts';
import type { AdminAgency, AdminUser } from '../../queries/admin.ts';
import type { PendingInvitation } from '../../queries/staff-invitations.ts';
import { errs, val, type FormState } from './common.tsx';
import {
  AdminLayout,
  adminBack,
  AdminTable,
  FormSection,
  RowActionForm,
  type AdminPageProps,
} from './admin-common.tsx';

/** Role and agency choices for the create and grant forms. */
export interface GrantChoices {
  roles: string[];
  agencies: AdminAgency[];
}

function GrantFields(p: {
  ctx: PageContext;
  form?: FormState | undefined;
  action: string;
  choices: GrantChoices;
}) {
  const { ctx, form, action } = p;
  const e = errs(form, action);
  return (
    <>
      <Select
        ctx={ctx}
        name="role"
        label={ctx.t('admin.users.role')}
        value={val(form, action, 'role')}
        placeholder={ctx.t('admin.choose')}
        options={p.choices.roles.map((r) => ({ value: r, label: ctx.t(`admin.role.${r}`) }))}
        error={e.role}
      />
      <Select
        ctx={ctx}
        name="agencyId"
        label={ctx.t('admin.users.agency')}
        value={val(form, action, 'agencyId')}
        placeholder={ctx.t('admin.choose')}
        options={p.choices.agencies
          .filter((a) => a.active)
          .map((a) => ({ value: a.id, label: `${'— '.repeat(Math.max(0, a.depth))}${a.name}` }))}
        error={e.agencyId}
      />
    </>
  );
}

/** A pending invitation and whether the caller may send it again or cancel it. */
export type InvitationRow = PendingInvitation & { actionable: boolean };

function PendingInvitations(p: { ctx: PageContext; invitations: InvitationRow[] }): VNode {
  const { ctx } = p;
  const when = (d: Date) => formatDate(d, ctx.lang);
  return (
    <section class="admin-section" aria-labelledby="h-invitations">
      <h2 id="h-invitations">{ctx.t('admin.invite.pending')}</h2>
      {p.invitations.length === 0 ? (
        <p>{ctx.t('admin.invite.none')}</p>
      ) : (
        <AdminTable
          caption={ctx.t('admin.invite.caption', { count: p.invitations.length })}
          columns={[
            ctx.t('admin.users.email'),
            ctx.t('admin.users.name'),
            ctx.t('admin.users.role'),
            ctx.t('admin.users.agency'),
            ctx.t('admin.invite.sent_at'),
            ctx.t('admin.invite.expires_at'),
            ctx.t('admin.actions'),
          ]}
        >
          {p.invitations.map((i) => (
            <tr key={i.id} data-invitation={i.id}>
              <td>{i.email}</td>
              <td>{i.name}</td>
              <td>{ctx.t(`admin.role.${i.role}`)}</td>
              <td>{i.agencyName ?? ctx.t('admin.invite.national')}</td>
              <td>{when(i.sentAt)}</td>
              <td>
                {when(i.expiresAt)}
                {i.expired ? <span class="state-inactive"> ({ctx.t('admin.invite.expired')})</span> : null}
              </td>
              <td class="row-actions">
                {i.actionable ? (
                  <>
                    <RowActionForm
                      ctx={ctx}
                      action={`/kantor/admin/pengguna/undangan/${i.id}/kirim-ulang`}
                      fields={{}}
                      label={ctx.t('admin.invite.resend')}
                      target={i.email}
                      variant="secondary"
                    />
                    <RowActionForm
                      ctx={ctx}
                      action={`/kantor/admin/pengguna/undangan/${i.id}/batalkan`}
                      fields={{}}
                      label={ctx.t('admin.invite.revoke')}
                      target={i.email}
                      variant="warning"
                    />
                  </>
                ) : (
                  '–'
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
    </section>
  );
}

/** Users in scope, the invitation form and the pending invitations. */
export function UsersPage(p: {
  ctx: PageContext;
  users: AdminUser[];
  choices: GrantChoices;
  invitations: InvitationRow[];
  /** How many days an invitation link stays valid. */
  inviteDays: number;
  form?: FormState | undefined;
  notice?: string | undefined;
}): VNode {
  const { ctx, form } = p;
  const e = errs(form, 'invite');
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('admin.users.title')}
      form={form}
      notice={p.notice}
      back={adminBack(ctx)}
      h1
    >
      <AdminTable
        caption={ctx.t('admin.users.caption', { count: p.users.length })}
        columns={[ctx.t('admin.users.name'), ctx.t('admin.users.email'), ctx.t('admin.users.roles')]}
      >
        {p.users.map((u) => (
          <tr key={u.id}>
            <td>
              <a href={`/kantor/admin/pengguna/${u.id}`}>{u.name}</a>
              {u.locked ? <span class="state-inactive"> ({ctx.t('admin.users.locked')})</span> : null}
            </td>
            <td>{u.email}</td>
            <td>
              {u.grants
                .map((g) => `${ctx.t(`admin.role.${g.role}`)}${g.agencyName ? `: ${g.agencyName}` : ''}`)
                .join('; ')}
            </td>
          </tr>
        ))}
      </AdminTable>
      {p.choices.roles.length ? (
        <FormSection
          ctx={ctx}
          id="h-invite"
          heading={ctx.t('admin.invite.title')}
          hint={ctx.t('admin.invite.hint', { days: p.inviteDays })}
          action="/kantor/admin/pengguna"
          submit={ctx.t('admin.invite.submit')}
        >
          <TextInput
            ctx={ctx}
            name="name"
            label={ctx.t('admin.users.name')}
            value={val(form, 'invite', 'name')}
            error={e.name}
          />
          <TextInput
            ctx={ctx}
            name="email"
            type="email"
            autocomplete="off"
            label={ctx.t('admin.users.email')}
            value={val(form, 'invite', 'email')}
            error={e.email}
          />
          <GrantFields ctx={ctx} form={form} action="invite" choices={p.choices} />
        </FormSection>
      ) : null}
      <PendingInvitations ctx={ctx} invitations={p.invitations} />
    </AdminLayout>
  );
}

/** One user's grants and the grant form. */
export function UserPage(
  p: AdminPageProps & {
    user: AdminUser;
    choices: GrantChoices;
    /** Grant ids the caller may revoke. */
    revocable: number[];
  },
): VNode {
  const { ctx, user, form } = p;
  return (
    <AdminLayout
      ctx={ctx}
      title={user.name}
      form={form}
      notice={p.notice}
      back={{ href: '/kantor/admin/pengguna', label: ctx.t('admin.users.back') }}
      h1
    >
      <p>{user.email}</p>
      <h2>{ctx.t('admin.users.roles')}</h2>
      <AdminTable
        caption={ctx.t('admin.users.roles')}
        columns={[ctx.t('admin.users.role'), ctx.t('admin.users.agency'), ctx.t('admin.actions')]}
      >
        {user.grants.map((g) => (
          <tr key={g.id}>
            <td>{ctx.t(`admin.role.${g.role}`)}</td>
            <td>{g.agencyName ?? '–'}</td>
            <td class="row-actions">
              {p.revocable.includes(g.id) ? (
                <RowActionForm
                  ctx={ctx}
                  action={`/kantor/admin/pengguna/${user.id}/cabut`}
                  fields={{ grantId: String(g.id) }}
                  label={ctx.t('admin.users.revoke')}
                  target={`${ctx.t(`admin.role.${g.role}`)} ${g.agencyName ?? ''}`}
                  variant="warning"
                />
              ) : (
                '–'
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {p.choices.roles.length ? (
        <FormSection
          ctx={ctx}
          id="h-grant"
          heading={ctx.t('admin.users.grant')}
          action={`/kantor/admin/pengguna/${user.id}/peran`}
          submit={ctx.t('admin.users.grant_submit')}
        >
          <GrantFields ctx={ctx} form={form} action="grant" choices={p.choices} />
        </FormSection>
      ) : null}
    </AdminLayout>
  );
}
