/** The sign-in page (citizens and staff share it): email, password, error summary and lockout message. */
import type { VNode } from 'preact';
import type { FormErrors, PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { TextInput } from '../components/fields.tsx';

/** Props: the typed email is kept on failure; the password never is. */
export interface SignInProps {
  ctx: PageContext;
  email?: string;
  next?: string;
  errors?: FormErrors;
  message?: string;
  signedOut?: boolean;
  /** Set after a password reset: the new password is in place. */
  passwordReset?: boolean;
}

/** The sign-in form. */
export function SignInPage({
  ctx,
  email,
  next,
  errors = {},
  message,
  signedOut,
  passwordReset,
}: SignInProps): VNode {
  const hasErrors = Object.keys(errors).length > 0 || !!message;
  return (
    <Layout ctx={ctx} title={ctx.t('web.signin.title')} hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} message={message} />
      {signedOut ? (
        <p class="notice-ok" role="status">
          {ctx.t('web.signin.signed_out')}
        </p>
      ) : null}
      {passwordReset && !hasErrors ? (
        <p class="notice-ok" role="status">
          {ctx.t('web.signin.reset_done')}
        </p>
      ) : null}
      <h1>{ctx.t('web.signin.title')}</h1>
      {ctx.user ? <p>{ctx.t('web.signin.already', { name: ctx.user.name })}</p> : null}
      <form method="post" action="/masuk" novalidate>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <TextInput
          ctx={ctx}
          name="email"
          type="email"
          autocomplete="username"
          label={ctx.t('web.signin.email')}
          value={email}
          error={errors.email}
        />
        <TextInput
          ctx={ctx}
          name="password"
          type="password"
          autocomplete="current-password"
          label={ctx.t('web.signin.password')}
          error={errors.password}
        />
        <Button>{ctx.t('web.signin.submit')}</Button>
      </form>
      <p>
        <a href={`/lupa-sandi?lang=${ctx.lang}`}>{ctx.t('web.signin.forgot')}</a>
      </p>
      <p class="muted">{ctx.t('web.signin.no_account')}</p>
      <p>
        <a href="/daftar">{ctx.t('web.signin.register')}</a>
      </p>
    </Layout>
  );
}
