/**
 * Staff users and their roles: the list of users holding grants in the caller's scope with a form to create a
 * staff account (temporary password shown once, on the user's page), and one user's page with their grants
 * (revoke) and a grant form. Roles and agencies offered are only those the caller may grant.
 *
 * Accessibility notes: tables with captions and scoped headers; revoke buttons name the role and agency.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Select, TextInput } from '../components/fields.tsx';
import type { AdminAgency, AdminUser } from '../../queries/admin.ts';
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

/** Users in scope plus the create form. */
export function UsersPage(p: {
  ctx: PageContext;
  users: AdminUser[];
  choices: GrantChoices;
  form?: FormState | undefined;
}): VNode {
  const { ctx, form } = p;
  const e = errs(form, 'create');
  return (
    <AdminLayout ctx={ctx} title={ctx.t('admin.users.title')} form={form} back={adminBack(ctx)} h1>
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
          id="h-create"
          heading={ctx.t('admin.users.create')}
          hint={ctx.t('admin.users.create_hint')}
          action="/kantor/admin/pengguna"
          submit={ctx.t('admin.users.create_submit')}
        >
          <TextInput
            ctx={ctx}
            name="name"
            label={ctx.t('admin.users.name')}
            value={val(form, 'create', 'name')}
            error={e.name}
          />
          <TextInput
            ctx={ctx}
            name="email"
            type="email"
            autocomplete="off"
            label={ctx.t('admin.users.email')}
            value={val(form, 'create', 'email')}
            error={e.email}
          />
          <GrantFields ctx={ctx} form={form} action="create" choices={p.choices} />
        </FormSection>
      ) : null}
    </AdminLayout>
  );
}

/** One user's grants, the grant form, and (right after creation) the temporary password, once. */
export function UserPage(
  p: AdminPageProps & {
    user: AdminUser;
    choices: GrantChoices;
    /** Grant ids the caller may revoke. */
    revocable: number[];
    temporaryPassword?: string | undefined;
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
      {p.temporaryPassword ? (
        <div class="panel panel-confirm" role="status">
          <h2>{ctx.t('admin.users.temp_title')}</h2>
          <p>
            <span class="secret" data-testid="temporary-password">
              {p.temporaryPassword}
            </span>
          </p>
          <p>{ctx.t('admin.users.temp_hint')}</p>
        </div>
      ) : null}
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
