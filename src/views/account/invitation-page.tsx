/**
 * The staff invitation page (`/undangan?token=…`): what the invitation grants, then either the new-account form
 * (name, password twice) or, when the address already has an account with roles, that account's password. An
 * invalid link is the shared message page (`AccountMessagePage`).
 *
 * Accessibility notes: GOV.UK-style single-column form with labels, hints and an error summary; the password fields
 * carry `autocomplete` (`new-password` / `current-password`) so password managers fill or save them.
 */
import type { VNode } from 'preact';
import type { FormErrors, PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { TextInput } from '../components/fields.tsx';
import { NewPasswordFields } from './account-pages.tsx';
import { formatDate } from '../format.ts';

/** What the page shows about the invitation. */
export interface InvitationView {
  email: string;
  name: string;
  role: string;
  agencyName: string | null;
  expiresAt: Date;
  mode: 'new' | 'existing';
}

/** The accept form of one invitation. */
export function InvitationPage(p: {
  ctx: PageContext;
  token: string;
  invitation: InvitationView;
  minLength: number;
  values?: Record<string, string | undefined>;
  errors?: FormErrors | undefined;
  message?: string | undefined;
}): VNode {
  const { ctx, invitation: inv } = p;
  const e = p.errors ?? {};
  const v = p.values ?? {};
  const title = ctx.t('account.invitation.title');
  return (
    <Layout
      ctx={ctx}
      title={title}
      hasErrors={Object.keys(e).length > 0 || !!p.message}
      stylesheets={['/static/staff.css']}
    >
      <ErrorSummary ctx={ctx} errors={e} message={p.message} />
      <h1>{title}</h1>
      <p class="lead">
        {ctx.t('account.invitation.intro', {
          email: inv.email,
          role: ctx.t(`admin.role.${inv.role}`),
          agency: inv.agencyName ?? ctx.t('admin.invite.national'),
        })}
      </p>
      <p>{ctx.t('account.invitation.expires', { date: formatDate(inv.expiresAt, ctx.lang) })}</p>
      <p>
        {inv.mode === 'new'
          ? ctx.t('account.invitation.new_hint')
          : ctx.t('account.invitation.existing_hint')}
      </p>
      <form method="post" action={`/undangan?lang=${ctx.lang}`} novalidate>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        <input type="hidden" name="token" value={p.token} />
        {inv.mode === 'new' ? (
          <>
            <TextInput
              ctx={ctx}
              name="name"
              autocomplete="name"
              label={ctx.t('account.invitation.name')}
              value={v.name ?? inv.name}
              error={e.name}
            />
            <NewPasswordFields ctx={ctx} minLength={p.minLength} errors={e} />
            <Button>{ctx.t('account.invitation.submit_new')}</Button>
          </>
        ) : (
          <>
            <TextInput
              ctx={ctx}
              name="password"
              type="password"
              autocomplete="current-password"
              label={ctx.t('account.invitation.current_password')}
              error={e.password}
            />
            <Button>{ctx.t('account.invitation.submit_existing')}</Button>
          </>
        )}
      </form>
    </Layout>
  );
}
