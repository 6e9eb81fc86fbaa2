/**
 * The page skeleton every HTML page uses (citizen side and back office), after GOV.UK Frontend's
 * `template.njk` but with aduan's own identity (no government crown or typeface).
 *
 * Accessibility notes:
 * - `<html lang>` follows the page language; the language switch link carries `hreflang` and `lang` and
 *   points at `ctx.langPath` (after a failed form post: the page the form lives on, see `pageContext`).
 * - The skip link is the first focusable element and targets `#main` (which has tabindex=-1 so focus lands).
 * - Landmarks: one `header` (banner), `nav` with a label, one `main`, one `footer` (contentinfo).
 * - Works without JavaScript; `app.js` is deferred and only enhances.
 *
 * @example
 *   sendPage(reply, req, <Layout ctx={ctx} title={ctx.t('web.home.title')}><h1>…</h1></Layout>)
 */
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { withLang, type PageContext } from './context.ts';

/** Roles that work in the back office (`/kantor`); signed-in staff get a link to it in the header. */
const STAFF_ROLES = ['national_admin', 'coordinator', 'agency_admin', 'officer'];

/** Props of the layout. */
export interface LayoutProps {
  ctx: PageContext;
  /** The page's own title; the site name is appended. */
  title: string;
  /** Extra navigation for signed-in staff (the back office passes its menu). */
  nav?: Array<{ href: string; label: string; current?: boolean }>;
  /** Prefix "Error: " to the title when the page shows validation errors (GOV.UK pattern). */
  hasErrors?: boolean;
  /** Extra stylesheets after app.css (e.g. the back office's staff.css), as absolute paths. */
  stylesheets?: string[];
  children?: ComponentChildren;
}

/** The full page: header, main landmark, footer. */
export function Layout({ ctx, title, nav, hasErrors, stylesheets, children }: LayoutProps): VNode {
  const other = ctx.lang === 'id' ? 'en' : 'id';
  const items = nav ?? [
    { href: '/lapor', label: ctx.t('web.nav.report') },
    { href: '/lacak', label: ctx.t('web.nav.track') },
    { href: '/laporan', label: ctx.t('web.nav.feed') },
    { href: '/statistik', label: ctx.t('web.nav.stats') },
  ];
  const fullTitle = `${hasErrors ? ctx.t('web.common.error_prefix') : ''}${title} – aduan`;
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={ctx.t('web.site.description')} />
        <link rel="stylesheet" href={`/static/app.css?v=${ctx.assetVersion}`} />
        {(stylesheets ?? []).map((href) => (
          <link key={href} rel="stylesheet" href={`${href}?v=${ctx.assetVersion}`} />
        ))}
        <script src={`/static/app.js?v=${ctx.assetVersion}`} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {ctx.t('web.site.skip')}
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">
              <span class="brand-mark" aria-hidden="true">
                a
              </span>
              <span class="brand-name">aduan</span>
              <span class="brand-tagline">{ctx.t('web.site.tagline')}</span>
            </a>
            <div class="header-tools">
              <a class="lang-switch" href={withLang(ctx.langPath, other)} hreflang={other} lang={other}>
                {ctx.t(`web.site.switch_to_${other}`)}
              </a>
              {ctx.user?.roles.includes('citizen') ? <a href="/akun">{ctx.t('web.nav.my_reports')}</a> : null}
              {ctx.user?.roles.some((r) => STAFF_ROLES.includes(r)) ? (
                <a href="/kantor">{ctx.t('web.nav.back_office')}</a>
              ) : null}
              {ctx.user ? (
                <form method="post" action="/keluar" class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrf} />
                  <button type="submit" class="link-button">
                    {ctx.t('web.nav.sign_out')}
                  </button>
                </form>
              ) : (
                <a href="/masuk">{ctx.t('web.nav.sign_in')}</a>
              )}
            </div>
          </div>
          <nav class="wrap site-nav" aria-label={ctx.t('web.nav.label')}>
            <ul>
              {items.map((i) => (
                <li key={i.href}>
                  <a href={i.href} aria-current={i.current ? 'page' : undefined}>
                    {i.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" class="wrap main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{ctx.t('web.site.footer_about')}</p>
            <ul class="footer-links">
              <li>
                <a href="/laporan">{ctx.t('web.nav.feed')}</a>
              </li>
              <li>
                <a href="/statistik">{ctx.t('web.nav.stats')}</a>
              </li>
              <li>
                <a href="/api/docs">{ctx.t('web.site.api')}</a>
              </li>
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** Renders a page to a complete HTML document string (with the doctype). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any page component
export function render(page: VNode<any>): string {
  return `<!doctype html>${renderToString(page)}`;
}
