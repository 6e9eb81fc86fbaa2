/** The HTML error page (404 and other failures) in the user's language, with ways to carry on. */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { staffNav, STAFF_STYLES } from '../staff/common.tsx';

/**
 * A page for a failed request: `status` picks the title, `message` explains. `staff`: the failure happened in the
 * back office (a refused or stale form), so the page keeps the back-office menu and offers the way back to the page
 * the form was on (`back`) and the queue, instead of the public links. On a public page, `back` with `backLabel`
 * leads back to the section the request was refused from (e.g. the statistics page after an unknown province).
 */
export function ErrorPage({
  ctx,
  status,
  message,
  staff = false,
  back,
  backLabel,
}: {
  ctx: PageContext;
  status: number;
  message: string;
  staff?: boolean;
  back?: string | undefined;
  backLabel?: string | undefined;
}): VNode {
  const title = status === 404 ? ctx.t('web.error.not_found_title') : ctx.t('web.error.title');
  return (
    <Layout
      ctx={ctx}
      title={title}
      {...(staff ? { nav: staffNav(ctx, null), stylesheets: STAFF_STYLES } : {})}
    >
      <h1>{title}</h1>
      <p>{message}</p>
      {status === 404 ? <p>{ctx.t('web.error.not_found_help')}</p> : null}
      {staff ? (
        <ul>
          {back && back !== '/kantor' ? (
            <li>
              <a href={back}>{ctx.t('web.error.back')}</a>
            </li>
          ) : null}
          <li>
            <a href="/kantor">{ctx.t('web.error.queue')}</a>
          </li>
        </ul>
      ) : (
        <ul>
          {back && backLabel ? (
            <li>
              <a href={back}>{backLabel}</a>
            </li>
          ) : null}
          <li>
            <a href="/">{ctx.t('web.error.home')}</a>
          </li>
          <li>
            <a href="/lacak">{ctx.t('web.error.track')}</a>
          </li>
        </ul>
      )}
    </Layout>
  );
}
