/**
 * Pieces shared by the administration pages (`/kantor/admin/*`), the password page and the assign form:
 * the admin sub-menu, a POST form shell with the CSRF field, the staff stylesheet list, the admin table
 * (caption + scoped column headers), a one-button row action form, and a titled form section.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { Button } from '../components/button.tsx';
import { STAFF_STYLES, staffNav, type FormState } from './common.tsx';
import { ombudsmanNav } from './ombudsman-office.tsx';

/** The admin sections, in menu order (path under /kantor/admin and locale key). */
export const ADMIN_SECTIONS = [
  ['instansi', 'agencies'],
  ['pengguna', 'users'],
  ['kategori', 'categories'],
  ['kalender', 'calendar'],
  ['sla', 'sla'],
  ['rute-otomatis', 'auto_dispatch'],
] as const;

/** What every admin page with forms receives: the context, a failed form to re-render, a success notice. */
export interface AdminPageProps {
  ctx: PageContext;
  form?: FormState | undefined;
  notice?: string | undefined;
}

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
  /** Render `title` as the page's h1 before the children. */
  h1?: boolean;
  children: ComponentChildren;
}): VNode {
  const { ctx, form } = p;
  const hasErrors = !!form && (Object.keys(form.errors).length > 0 || !!form.message);
  return (
    <Layout
      ctx={ctx}
      title={p.title}
      nav={
        isStaff(ctx)
          ? staffNav(ctx, p.current ?? 'admin')
          : ctx.user?.roles.includes('ombudsman')
            ? ombudsmanNav(ctx, null)
            : undefined
      }
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
      {p.h1 ? <h1>{p.title}</h1> : null}
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

/**
 * An admin table: scrollable wrapper, a caption (visually hidden: the page heading says the same), one row of
 * `scope="col"` headers, and the body rows as children. The wrapper is focusable and a named region, so a table
 * wider than the screen can be scrolled with the keyboard (axe `scrollable-region-focusable`).
 */
export function AdminTable(p: {
  caption: ComponentChildren;
  columns: string[];
  /** Stack the rows below 40rem (`table-stack` in staff.css); each cell then needs its column name in `data-label`. */
  stack?: boolean;
  children: ComponentChildren;
}): VNode {
  const name = typeof p.caption === 'string' ? p.caption : undefined;
  return (
    <div class="table-scroll" tabIndex={0} role={name ? 'region' : undefined} aria-label={name}>
      <table class={p.stack ? 'admin-table table-stack' : 'admin-table'}>
        <caption class="visually-hidden">{p.caption}</caption>
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{p.children}</tbody>
      </table>
    </div>
  );
}

/**
 * A row action: a POST form with hidden fields and one button whose accessible name ends with the row it acts
 * on (`target`, visually hidden), so every button in a table has a distinct name.
 */
export function RowActionForm(p: {
  ctx: PageContext;
  action: string;
  fields: Record<string, string | undefined>;
  label: string;
  target: string;
  variant?: 'primary' | 'secondary' | 'warning';
}): VNode {
  return (
    <PostForm ctx={p.ctx} action={p.action}>
      {Object.entries(p.fields).map(([name, value]) =>
        value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />,
      )}
      <Button variant={p.variant}>
        {p.label}
        <span class="visually-hidden"> {p.target}</span>
      </Button>
    </PostForm>
  );
}

/** A titled section with one POST form: heading (h2, labels the section), optional hint, fields, submit. */
export function FormSection(p: {
  ctx: PageContext;
  id: string;
  heading: string;
  hint?: string | undefined;
  action: string;
  submit: string;
  variant?: 'primary' | 'secondary' | 'warning';
  children?: ComponentChildren;
}): VNode {
  return (
    <section class="admin-section" aria-labelledby={p.id}>
      <h2 id={p.id}>{p.heading}</h2>
      {p.hint ? <p class="hint">{p.hint}</p> : null}
      <PostForm ctx={p.ctx} action={p.action}>
        {p.children}
        <Button variant={p.variant}>{p.submit}</Button>
      </PostForm>
    </section>
  );
}
