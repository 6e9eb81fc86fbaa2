/**
 * Password change (`/kantor/kata-sandi`, also linked from `/akun`): current password, then the new one twice.
 * After a change every other session of the account is closed; the page says how many.
 *
 * Accessibility notes: autocomplete `current-password` / `new-password` so password managers help; the
 * length rule is in the hint, not only in the error.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Button } from '../components/button.tsx';
import { TextInput } from '../components/fields.tsx';
import { errs, type FormState } from './common.tsx';
import { AdminLayout, PostForm } from './admin-common.tsx';

/** The three password inputs, in order. */
const PASSWORD_FIELDS = [
  { name: 'currentPassword', key: 'current', autocomplete: 'current-password' },
  { name: 'newPassword', key: 'new', autocomplete: 'new-password' },
  { name: 'newPasswordConfirm', key: 'confirm', autocomplete: 'new-password' },
] as const;

/** The password page. */
export function PasswordPage(p: {
  ctx: PageContext;
  minLength: number;
  form?: FormState | undefined;
  notice?: string | undefined;
  /** The account still has its temporary password (every other back-office page redirects here). */
  forced?: boolean;
  /** Where the person was going (a local path), offered as a link once the password is changed. */
  next?: string;
}): VNode {
  const { ctx, form } = p;
  const e = errs(form, 'password');
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('admin.password.title')}
      form={form}
      notice={p.notice}
      current="password"
      h1
    >
      {p.forced ? (
        <p class="warning" role="note">
          {ctx.t('admin.password.forced')}
        </p>
      ) : null}
      {p.notice && !p.forced ? (
        <p>
          <a href={p.next || '/kantor'}>{ctx.t('admin.password.continue')}</a>
        </p>
      ) : null}
      <PostForm
        ctx={ctx}
        action={p.next ? `/kantor/kata-sandi?next=${encodeURIComponent(p.next)}` : '/kantor/kata-sandi'}
      >
        {PASSWORD_FIELDS.map((f) => (
          <TextInput
            key={f.name}
            ctx={ctx}
            name={f.name}
            type="password"
            autocomplete={f.autocomplete}
            label={ctx.t(`admin.password.${f.key}`)}
            hint={f.name === 'newPassword' ? ctx.t('admin.password.rule', { min: p.minLength }) : undefined}
            error={e[f.name]}
          />
        ))}
        <Button>{ctx.t('admin.password.submit')}</Button>
      </PostForm>
    </AdminLayout>
  );
}
