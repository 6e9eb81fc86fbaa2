/** The HTML error page (404 and other failures) in the user's language, with ways to carry on. */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';

/** A page for a failed request: `status` picks the title, `message` explains. */
export function ErrorPage({
  ctx,
  status,
  message,
}: {
  ctx: PageContext;
  status: number;
  message: string;
}): VNode {
  const title = status === 404 ? ctx.t('web.error.not_found_title') : ctx.t('web.error.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      {status === 404 ? <p>{ctx.t('web.error.not_found_help')}</p> : null}
      <ul>
        <li>
          <a href="/">{ctx.t('web.error.home')}</a>
        </li>
        <li>
          <a href="/lacak">{ctx.t('web.error.track')}</a>
        </li>
      </ul>
    </Layout>
  );
}
