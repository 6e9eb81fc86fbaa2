/**
 * Citizen account pages: register (`/daftar`), "check your email" after registering, the result of the
 * verification link, and the account page (`/akun`) listing every report of the citizen with the form to
 * claim a report filed without an account (tracking number + access key).
 *
 * Accessibility notes: GOV.UK-style single-column forms with labels, hints and an error summary; the
 * report list is a table with a caption; status uses the shared tag (text, not colour alone).
 */
import type { VNode } from 'preact';
import type { FormErrors, PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { TextInput } from '../components/fields.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import type { AccountReport } from '../../queries/account.ts';

/** A new password and its confirmation (`password`, `passwordConfirm`), the length rule as the hint. */
export function NewPasswordFields(p: { ctx: PageContext; minLength: number; errors: FormErrors }): VNode {
  const { ctx, errors: e } = p;
  return (
    <>
      <TextInput
        ctx={ctx}
        name="password"
        type="password"
        autocomplete="new-password"
        label={ctx.t('account.register.password')}
        hint={ctx.t('admin.password.rule', { min: p.minLength })}
        error={e.password}
      />
      <TextInput
        ctx={ctx}
        name="passwordConfirm"
        type="password"
        autocomplete="new-password"
        label={ctx.t('account.register.password_confirm')}
        error={e.passwordConfirm}
      />
    </>
  );
}

function Page(p: {
  ctx: PageContext;
  title: string;
  errors?: FormErrors | undefined;
  message?: string | undefined;
  children: preact.ComponentChildren;
}): VNode {
  const errors = p.errors ?? {};
  return (
    <Layout
      ctx={p.ctx}
      title={p.title}
      hasErrors={Object.keys(errors).length > 0 || !!p.message}
      stylesheets={['/static/staff.css']}
    >
      <ErrorSummary ctx={p.ctx} errors={errors} message={p.message} />
      {p.children}
    </Layout>
  );
}

/** The registration form. */
export function RegisterPage(p: {
  ctx: PageContext;
  values?: Record<string, string | undefined>;
  errors?: FormErrors | undefined;
  /** A form-level message (a stale form). */
  message?: string | undefined;
  minLength: number;
}): VNode {
  const { ctx } = p;
  const v = p.values ?? {};
  const e = p.errors ?? {};
  return (
    <Page ctx={ctx} title={ctx.t('account.register.title')} errors={p.errors} message={p.message}>
      <h1>{ctx.t('account.register.title')}</h1>
      <p class="lead">{ctx.t('account.register.intro')}</p>
      <form method="post" action={`/daftar?lang=${ctx.lang}`} novalidate>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        <TextInput
          ctx={ctx}
          name="name"
          autocomplete="name"
          label={ctx.t('account.register.name')}
          value={v.name}
          error={e.name}
        />
        <TextInput
          ctx={ctx}
          name="email"
          type="email"
          autocomplete="email"
          label={ctx.t('account.register.email')}
          hint={ctx.t('account.register.email_hint')}
          value={v.email}
          error={e.email}
        />
        <NewPasswordFields ctx={ctx} minLength={p.minLength} errors={e} />
        <Button>{ctx.t('account.register.submit')}</Button>
      </form>
      <p>
        {ctx.t('account.register.have_account')} <a href="/masuk?next=/akun">{ctx.t('web.nav.sign_in')}</a>
      </p>
    </Page>
  );
}

/** "Lupa kata sandi": the address to send a reset link to. */
export function ForgotPasswordPage(p: {
  ctx: PageContext;
  values?: Record<string, string | undefined>;
  errors?: FormErrors | undefined;
  /** A form-level message (a stale form). */
  message?: string | undefined;
}): VNode {
  const { ctx } = p;
  const e = p.errors ?? {};
  return (
    <Page ctx={ctx} title={ctx.t('account.forgot.title')} errors={p.errors} message={p.message}>
      <h1>{ctx.t('account.forgot.title')}</h1>
      <p class="lead">{ctx.t('account.forgot.intro')}</p>
      <form method="post" action={`/lupa-sandi?lang=${ctx.lang}`} novalidate>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        <TextInput
          ctx={ctx}
          name="email"
          type="email"
          autocomplete="email"
          label={ctx.t('account.forgot.email')}
          value={p.values?.email}
          error={e.email}
        />
        <Button>{ctx.t('account.forgot.submit')}</Button>
      </form>
    </Page>
  );
}

/** The new-password form reached by the emailed link (the token travels in a hidden field). */
export function ResetPasswordPage(p: {
  ctx: PageContext;
  token: string;
  errors?: FormErrors | undefined;
  /** A form-level message (a stale form). */
  message?: string | undefined;
  rules: { min: number; max: number };
}): VNode {
  const { ctx } = p;
  return (
    <Page ctx={ctx} title={ctx.t('account.reset.title')} errors={p.errors} message={p.message}>
      <h1>{ctx.t('account.reset.title')}</h1>
      <p class="lead">{ctx.t('account.reset.intro')}</p>
      <p>{ctx.t('account.reset.rules', p.rules)}</p>
      <form method="post" action={`/atur-ulang-sandi?lang=${ctx.lang}`} novalidate>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        <input type="hidden" name="token" value={p.token} />
        <NewPasswordFields ctx={ctx} minLength={p.rules.min} errors={p.errors ?? {}} />
        <Button>{ctx.t('account.reset.submit')}</Button>
      </form>
    </Page>
  );
}

/** A short message page (email sent, verified, link invalid). */
export function AccountMessagePage(p: {
  ctx: PageContext;
  title: string;
  body: string;
  link?: { href: string; label: string } | undefined;
  status?: 'ok' | 'plain';
}): VNode {
  return (
    <Page ctx={p.ctx} title={p.title}>
      <h1>{p.title}</h1>
      <p class={p.status === 'ok' ? 'notice-ok' : undefined} role={p.status === 'ok' ? 'status' : undefined}>
        {p.body}
      </p>
      {p.link ? (
        <p>
          <a href={p.link.href}>{p.link.label}</a>
        </p>
      ) : null}
    </Page>
  );
}

/** The account page: the citizen's reports and the claim form. */
export function AccountPage(p: {
  ctx: PageContext;
  name: string;
  verified: boolean;
  reports: AccountReport[];
  values?: Record<string, string | undefined>;
  errors?: FormErrors | undefined;
  /** A form-level message (a stale form, a claim refused as a whole). */
  message?: string | undefined;
  notice?: string | undefined;
}): VNode {
  const { ctx } = p;
  const e = p.errors ?? {};
  const v = p.values ?? {};
  return (
    <Page ctx={ctx} title={ctx.t('account.home.title')} errors={p.errors} message={p.message}>
      {p.notice && !Object.keys(e).length && !p.message ? (
        <p class="notice-ok" role="status">
          {p.notice}
        </p>
      ) : null}
      <h1>{ctx.t('account.home.title')}</h1>
      <p>{ctx.t('account.home.hello', { name: p.name })}</p>
      {!p.verified ? (
        <div class="warning" role="note">
          <p>{ctx.t('account.home.not_verified')}</p>
        </div>
      ) : (
        <>
          <h2>{ctx.t('account.home.reports')}</h2>
          {p.reports.length === 0 ? (
            <p>{ctx.t('account.home.no_reports')}</p>
          ) : (
            <div class="table-scroll">
              <table class="admin-table">
                <caption class="visually-hidden">
                  {ctx.t('account.home.caption', { count: p.reports.length })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{ctx.t('account.claim.tracking')}</th>
                    <th scope="col">{ctx.t('staff.queue.col_title')}</th>
                    <th scope="col">{ctx.t('staff.queue.col_status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.reports.map((r) => (
                    <tr key={r.trackingId}>
                      <td>
                        <a href={`/lacak/${r.trackingId}`}>{r.trackingId}</a>
                      </td>
                      <td>{r.title}</td>
                      <td>
                        <StatusTag ctx={ctx} status={r.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <section aria-labelledby="h-claim">
            <h2 id="h-claim">{ctx.t('account.claim.title')}</h2>
            <p class="hint">{ctx.t('account.claim.intro')}</p>
            <form method="post" action={`/akun/klaim?lang=${ctx.lang}`} novalidate>
              <input type="hidden" name="_csrf" value={ctx.csrf} />
              <TextInput
                ctx={ctx}
                name="trackingId"
                inputmode="numeric"
                width="short"
                label={ctx.t('account.claim.tracking')}
                value={v.trackingId}
                error={e.trackingId}
              />
              <TextInput
                ctx={ctx}
                name="accessKey"
                autocomplete="off"
                label={ctx.t('account.claim.key')}
                hint={ctx.t('account.claim.key_hint')}
                error={e.accessKey}
              />
              <Button>{ctx.t('account.claim.submit')}</Button>
            </form>
          </section>
        </>
      )}
      <p>
        <a href="/kantor/kata-sandi">{ctx.t('admin.password.title')}</a>
      </p>
    </Page>
  );
}

/**
 * The unsubscribe link of a supporter's update emails (`/kabar/berhenti`): what stops, and the button that stops it
 * (a GET never does: mail scanners open links). The report's number and title only while it is public.
 */
export function UnsubscribePage(p: {
  ctx: PageContext;
  action: string;
  report: { trackingId: string; title: string } | null;
}): VNode {
  const { ctx } = p;
  return (
    <Page ctx={ctx} title={ctx.t('account.unsubscribe.title')}>
      <h1>{ctx.t('account.unsubscribe.title')}</h1>
      <p>
        {p.report
          ? ctx.t('account.unsubscribe.about', { tracking: p.report.trackingId, title: p.report.title })
          : ctx.t('account.unsubscribe.about_hidden')}
      </p>
      <p class="hint">{ctx.t('account.unsubscribe.keeps_support')}</p>
      <form method="post" action={p.action}>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        <Button>{ctx.t('account.unsubscribe.confirm')}</Button>
      </form>
    </Page>
  );
}
