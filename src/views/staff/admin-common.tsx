/**
 * Pieces shared by the administration pages (`/kantor/admin/*`), the password page and the assign form:
 * the admin sub-menu, a POST form shell with the CSRF field, and the staff stylesheet list.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { STAFF_STYLES, staffNav, type FormState } from './common.tsx';

/** The admin sections, in menu order (path under /kantor/admin and locale key). */
export const ADMIN_SECTIONS = [
  ['instansi', 'agencies'],
  ['pengguna', 'users'],
  ['kategori', 'categories'],
  ['kalender', 'calendar'],
  ['sla', 'sla'],
] as const;

/** A POST form carrying `_csrf` and the language. */
export function PostForm(p: {
  ctx: PageContext;
  action: string;
  class?: string;
  children: ComponentChildren;
}): VNode {
  const sep = p.action.includes('?') ? '&' : '?';
  return (
    <form method="post" action={`${p.action}${sep}lang=${p.ctx.lang}`} class={p.class} novalidate>
      <input type="hidden" name="_csrf" value={p.ctx.csrf} />
      {p.children}
    </form>
  );
}

/** An admin page: layout with the staff menu, breadcrumb back to the admin home, error summary, notice. */
export function AdminLayout(p: {
  ctx: PageContext;
  title: string;
  form?: FormState | undefined;
  notice?: string | undefined;
  back?: { href: string; label: string } | undefined;
  current?: 'admin' | 'password' | 'integrations';
  children: ComponentChildren;
}): VNode {
  const { ctx, form } = p;
  const hasErrors = !!form && (Object.keys(form.errors).length > 0 || !!form.message);
  return (
    <Layout
      ctx={ctx}
      title={p.title}
      nav={isStaff(ctx) ? staffNav(ctx, p.current ?? 'admin') : undefined}
      hasErrors={hasErrors}
      stylesheets={STAFF_STYLES}
    >
      {p.back ? (
        <a class="back-link" href={p.back.href}>
          {p.back.label}
        </a>
      ) : null}
      {form ? <ErrorSummary ctx={ctx} errors={form.errors} message={form.message} /> : null}
      {p.notice && !hasErrors ? (
        <p class="notice-ok" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.children}
    </Layout>
  );
}

/** True when the signed-in person holds a back-office role (citizens get the public menu). */
function isStaff(ctx: PageContext): boolean {
  return (ctx.user?.roles ?? []).some((r) =>
    ['national_admin', 'coordinator', 'agency_admin', 'officer'].includes(r),
  );
}

/** The "back to administration" link. */
export function adminBack(ctx: PageContext) {
  return { href: '/kantor/admin', label: ctx.t('admin.back') };
}
