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

/** The password page. */
export function PasswordPage(p: {
  ctx: PageContext;
  minLength: number;
  form?: FormState | undefined;
  notice?: string | undefined;
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
    >
      <h1>{ctx.t('admin.password.title')}</h1>
      <PostForm ctx={ctx} action="/kantor/kata-sandi">
        <TextInput
          ctx={ctx}
          name="currentPassword"
          type="password"
          autocomplete="current-password"
          label={ctx.t('admin.password.current')}
          error={e.currentPassword}
        />
        <TextInput
          ctx={ctx}
          name="newPassword"
          type="password"
          autocomplete="new-password"
          label={ctx.t('admin.password.new')}
          hint={ctx.t('admin.password.rule', { min: p.minLength })}
          error={e.newPassword}
        />
        <TextInput
          ctx={ctx}
          name="newPasswordConfirm"
          type="password"
          autocomplete="new-password"
          label={ctx.t('admin.password.confirm')}
          error={e.newPasswordConfirm}
        />
        <Button>{ctx.t('admin.password.submit')}</Button>
      </PostForm>
    </AdminLayout>
  );
}
