/**
 * Page rendering helpers shared by the citizen pages and the back office: the per-request view context,
 * `sendPage` (full HTML document, private caching), translating an error into form errors, and the HTML
 * error page used by each page plugin's error handler.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { h } from 'preact';
import { AppError, type FieldIssue } from '../../app/errors.ts';
import { t, type Lang } from '../../locales/index.ts';
import { makeContext, type FormErrors, type PageContext } from '../../views/context.ts';
import { render } from '../../views/layout.tsx';
import { ErrorPage } from '../../views/pages/error-page.tsx';
import { classifyError, requestLang } from '../plugins/errors.ts';

/** Bumped when app.css or app.js change (they are served with a long max-age). */
export const ASSET_VERSION = '1';

/** The view context of a request: language, translator, path without `lang`, user and CSRF token. */
export function pageContext(req: FastifyRequest): PageContext {
  const lang = requestLang(req);
  const url = new URL(req.url, 'http://x');
  url.searchParams.delete('lang');
  const s = req.session;
  return makeContext(lang, {
    path: url.pathname + (url.search || ''),
    user:
      s && s.via === 'cookie'
        ? { name: s.user.name, email: s.user.email, roles: s.actor.grants.map((g) => g.role) }
        : null,
    csrf: s && s.via === 'cookie' ? s.csrfToken : '',
    assetVersion: ASSET_VERSION,
    unread: (req as FastifyRequest & { unreadNotifications?: number }).unreadNotifications,
  });
}

/** Sends a rendered page. Pages may hold personal data, so shared caches must not keep them. */
export function sendPage(
  reply: FastifyReply,
  _req: FastifyRequest,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any page component
  node: VNode<any>,
  status = 200,
): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(render(node));
}

/** Translates field issues (locale keys under `errors.field.*`) into messages, keeping `order` first. */
export function formErrors(lang: Lang, fields: Record<string, FieldIssue>, order: string[] = []): FormErrors {
  const out: FormErrors = {};
  const keys = [
    ...order.filter((k) => k in fields),
    ...Object.keys(fields).filter((k) => !order.includes(k)),
  ];
  for (const k of keys) out[k] = t(lang, `errors.field.${fields[k]!.key}`, fields[k]!.params);
  return out;
}

/**
 * When `err` is a validation failure, its translated form errors; otherwise null (rethrow it).
 * Use in POST handlers to re-render the form with the error summary.
 */
export function validationErrors(lang: Lang, err: unknown, order: string[] = []): FormErrors | null {
  if (err instanceof AppError && err.code === 'VALIDATION_FAILED') return formErrors(lang, err.fields, order);
  return null;
}

/** The HTML error handler for page plugins: 404/403/409/… as a page in the user's language, never JSON. */
export function sendErrorPage(reply: FastifyReply, req: FastifyRequest, err: unknown): FastifyReply {
  const c = classifyError(err);
  if (c.status >= 500) req.log.error({ err }, 'unhandled page error');
  const ctx = pageContext(req);
  const message = t(ctx.lang, `errors.${c.code}`, c.params);
  return sendPage(reply, req, h(ErrorPage, { ctx, status: c.status, message }), c.status);
}
