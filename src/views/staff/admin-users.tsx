/**
 * Staff users and their roles: the list of users holding grants in the caller's scope, the form inviting a person
 * (the link goes to their address; they appear in the list once they accept), the pending invitations (send again,
 * cancel), and one user's page with their grants (revoke), a grant form and the account's deactivation. Roles and
 * agencies offered are only those the caller may grant; the agencies are grouped by kind, and the role field says which
 * kinds each role fits (the rule every grant path checks), since without JavaScript the list cannot follow the role. The list filters (`?tampil=`): staff holding roles (default),
 * deactivated accounts, former staff without roles. When no email can be sent, the invitation link is shown once to
 * the inviting admin (`InviteLinkPanel`).
 *
 * Accessibility notes: tables with captions and scoped headers; revoke, resend and cancel buttons name their row.
 */
import type { VNode } from 'preact';
import { fieldId, type PageContext } from '../context.ts';
import { controlAria, FieldFrame, Select, TextInput } from '../components/fields.tsx';
import { TreeSelect } from '../components/tree-select.tsx';
import { AGENCY_KINDS } from '../../domain/report/report.ts';
import { Button } from '../components/button.tsx';
import { formatDate } from '../format.ts';
import type { AdminAgency, AdminUser } from '../../queries/admin.ts';
import type { PendingInvitation } from '../../queries/staff-invitations.ts';
import { errs, val, type FormState } from './common.tsx';
import {
  AdminLayout,
  adminBack,
  AdminTable,
  FormSection,
  PostForm,
  RowActionForm,
  type AdminPageProps,
} from './admin-common.tsx';

/** The users list filters (`?tampil=`): holders of roles (default), deactivated accounts, former staff. */
export const USER_FILTERS = ['', 'nonaktif', 'tanpa-peran'] as const;
/** One users list filter. */
export type UserFilter = (typeof USER_FILTERS)[number];

/** An invitation link to show the inviting admin once (no email transport configured). */
export interface ShownInviteLink {
  email: string;
  url: string;
  expiresAt: Date;
}

/** The link of an invitation no email could carry: shown once, with how to pass it on. */
function InviteLinkPanel(p: { ctx: PageContext; link: ShownInviteLink }): VNode {
  const { ctx, link } = p;
  return (
    <div class="panel panel-confirm" role="status" aria-labelledby="h-invite-link">
      <h2 id="h-invite-link">{ctx.t('admin.invite.link_title', { email: link.email })}</h2>
      <p>{ctx.t('admin.invite.link_no_mail')}</p>
      <p>
        <span class="secret" data-testid="invite-link">
          {link.url}
        </span>
      </p>
      <p>
        {ctx.t('admin.invite.link_once', {
          email: link.email,
          expires: formatDate(link.expiresAt, ctx.lang),
        })}
      </p>
    </div>
  );
}

/** Name, address and state marks of a user row. */
function stateMarks(ctx: PageContext, u: AdminUser) {
  return (
    <>
      {u.disabled ? <span class="state-inactive"> ({ctx.t('admin.users.disabled')})</span> : null}
      {u.locked ? <span class="state-inactive"> ({ctx.t('admin.users.locked')})</span> : null}
    </>
  );
}

/** Which kinds of agency a role fits (`roleKindFits`): outright, or only when flagged complaint coordinator. */
export interface RoleFit {
  role: string;
  kinds: readonly string[];
  coordinatorFlagKinds: readonly string[];
}

/** Role and agency choices for the create and grant forms. */
export interface GrantChoices {
  roles: string[];
  /** Every agency in the caller's `manage_users` scope (what the caller may revoke on). */
  agencies: AdminAgency[];
  /** The agencies the forms offer: active, and at least one role the caller may grant there fits. */
  offered: AdminAgency[];
  /** Which kinds each offered role fits, from the rule every grant path checks. */
  roleFits: RoleFit[];
}

/** "Dinas …, Unit" lists of kinds for the role guidance. */
function kindList(ctx: PageContext, kinds: readonly string[]): string {
  return kinds.map((k) => ctx.t(`admin.kind.${k}`)).join(', ');
}

/** One role's line of the guidance: the kinds it fits, and those it fits only when flagged coordinator. */
function fitText(ctx: PageContext, f: RoleFit): string {
  const parts: string[] = [];
  if (f.kinds.length) parts.push(kindList(ctx, f.kinds));
  if (f.coordinatorFlagKinds.length)
    parts.push(
      ctx.t(f.kinds.length ? 'admin.users.fit_also_flagged' : 'admin.users.fit_flagged', {
        kinds: kindList(ctx, f.coordinatorFlagKinds),
      }),
    );
  return parts.join('; ') || ctx.t('admin.users.fit_none');
}

/**
 * The role and agency fields. Without JavaScript the agency list cannot follow the chosen role, so the role field
 * says which kinds of agency each role fits (read out with it: `aria-describedby`), and the agencies are grouped by
 * kind (`<optgroup>`); agencies no role fits are not offered at all.
 */
function GrantFields(p: {
  ctx: PageContext;
  form?: FormState | undefined;
  action: string;
  choices: GrantChoices;
}) {
  const { ctx, form, action } = p;
  const e = errs(form, action);
  const roleId = fieldId('role');
  const hint = ctx.t('admin.users.role_fit_hint');
  const aria = controlAria(roleId, hint, e.role);
  const role = val(form, action, 'role');
  const offered = p.choices.offered;
  const groups = AGENCY_KINDS.map((kind) => ({
    label: ctx.t(`admin.kind.${kind}`),
    options: offered.filter((a) => a.kind === kind).map((a) => ({ value: a.id, label: a.name, depth: 0 })),
  })).filter((g) => g.options.length > 0);
  return (
    <>
      <FieldFrame ctx={ctx} id={roleId} label={ctx.t('admin.users.role')} hint={hint} error={e.role}>
        <ul class="hint role-fit" id={`${roleId}-fits`} data-role-fit>
          {p.choices.roleFits.map((f) => (
            <li key={f.role} data-role={f.role}>
              <strong>{ctx.t(`admin.role.${f.role}`)}</strong>: {fitText(ctx, f)}
            </li>
          ))}
        </ul>
        <select
          class="select"
          id={roleId}
          name="role"
          {...aria}
          aria-describedby={[aria['aria-describedby'], `${roleId}-fits`].filter(Boolean).join(' ')}
        >
          <option value="">{ctx.t('admin.choose')}</option>
          {p.choices.roles.map((r) => (
            <option key={r} value={r} selected={r === role}>
              {ctx.t(`admin.role.${r}`)}
            </option>
          ))}
        </select>
      </FieldFrame>
      <TreeSelect
        ctx={ctx}
        name="agencyId"
        label={ctx.t('admin.users.agency')}
        hint={ctx.t('admin.users.agency_grouped_hint')}
        value={val(form, action, 'agencyId')}
        placeholder={ctx.t('admin.choose')}
        groups={groups}
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

/** Users in scope (as filtered), the invitation form and the pending invitations. */
export function UsersPage(p: {
  ctx: PageContext;
  users: AdminUser[];
  choices: GrantChoices;
  invitations: InvitationRow[];
  /** How many days an invitation link stays valid. */
  inviteDays: number;
  /** Which users are listed (`?tampil=`). */
  filter?: UserFilter;
  /** Whether invitation emails can be sent (SMTP configured); otherwise the link is shown to the admin. */
  emailConfigured?: boolean;
  /** The link of the invitation just sent, when no email could carry it (shown once). */
  link?: ShownInviteLink | undefined;
  form?: FormState | undefined;
  notice?: string | undefined;
}): VNode {
  const { ctx, form } = p;
  const e = errs(form, 'invite');
  const filter = p.filter ?? '';
  const noMail = p.emailConfigured === false;
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('admin.users.title')}
      form={form}
      notice={p.notice}
      back={adminBack(ctx)}
      h1
    >
      {p.link ? <InviteLinkPanel ctx={ctx} link={p.link} /> : null}
      <form method="get" action="/kantor/admin/pengguna" class="filter-form">
        <input type="hidden" name="lang" value={ctx.lang} />
        <Select
          ctx={ctx}
          name="tampil"
          label={ctx.t('admin.users.filter')}
          value={filter}
          options={USER_FILTERS.map((f) => ({
            value: f,
            label: ctx.t(
              `admin.users.filter_${f === '' ? 'staff' : f === 'nonaktif' ? 'disabled' : 'former'}`,
            ),
          }))}
        />
        <Button variant="secondary">{ctx.t('admin.users.filter_submit')}</Button>
      </form>
      {filter === 'tanpa-peran' ? <p class="hint">{ctx.t('admin.users.former_hint')}</p> : null}
      <AdminTable
        caption={ctx.t('admin.users.caption', { count: p.users.length })}
        columns={[ctx.t('admin.users.name'), ctx.t('admin.users.email'), ctx.t('admin.users.roles')]}
      >
        {p.users.map((u) => (
          <tr key={u.id}>
            <td>
              <a href={`/kantor/admin/pengguna/${u.id}`}>{u.name}</a>
              {stateMarks(ctx, u)}
            </td>
            <td>{u.email}</td>
            <td>
              {u.grants.length
                ? u.grants
                    .map((g) => `${ctx.t(`admin.role.${g.role}`)}${g.agencyName ? `: ${g.agencyName}` : ''}`)
                    .join('; ')
                : ctx.t('admin.users.no_roles')}
            </td>
          </tr>
        ))}
      </AdminTable>
      {p.choices.roles.length ? (
        <FormSection
          ctx={ctx}
          id="h-invite"
          heading={ctx.t('admin.invite.title')}
          hint={
            noMail
              ? `${ctx.t('admin.invite.hint', { days: p.inviteDays })} ${ctx.t('admin.invite.hint_no_mail')}`
              : ctx.t('admin.invite.hint', { days: p.inviteDays })
          }
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

/** One user's grants, the grant form, and the account's deactivation or reactivation. */
export function UserPage(
  p: AdminPageProps & {
    user: AdminUser;
    choices: GrantChoices;
    /** Grant ids the caller may revoke. */
    revocable: number[];
    /** The caller may deactivate or reactivate the account (`mayManageAccount`). */
    manageAccount?: boolean;
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
      <p>
        {ctx.t('admin.users.account_state')}:{' '}
        <strong>{ctx.t(user.disabled ? 'admin.users.state_disabled' : 'admin.users.state_active')}</strong>
        {user.locked ? <span class="state-inactive"> ({ctx.t('admin.users.locked')})</span> : null}
      </p>
      <h2 id="h-roles">{ctx.t('admin.users.roles_heading')}</h2>
      {user.grants.length === 0 ? <p>{ctx.t('admin.users.no_roles')}</p> : null}
      <AdminTable
        caption={ctx.t('admin.users.roles_caption', { name: user.name })}
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
      {p.manageAccount ? (
        <section class="admin-section" aria-labelledby="h-account">
          <h2 id="h-account">{ctx.t('admin.users.account_heading')}</h2>
          <p class="hint">{ctx.t(user.disabled ? 'admin.users.enable_hint' : 'admin.users.disable_hint')}</p>
          <PostForm
            ctx={ctx}
            action={`/kantor/admin/pengguna/${user.id}/${user.disabled ? 'aktifkan' : 'nonaktifkan'}`}
          >
            <Button variant={user.disabled ? 'secondary' : 'warning'}>
              {ctx.t(user.disabled ? 'admin.users.enable' : 'admin.users.disable')}
            </Button>
          </PostForm>
        </section>
      ) : null}
    </AdminLayout>
  );
}
