/**
 * Page rendering helpers shared by the citizen pages and the back office: the per-request view context,
 * `sendPage` (full HTML document, private caching), translating an error into form errors, and the HTML
 * error page used by each page plugin's error handler.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { h } from 'preact';
import { AppError, type FieldIssue } from '../../app/errors.ts';
import { t, type Lang } from '../../locales/index.ts';
import { makeContext, type FormErrors, type PageContext } from '../../views/context.ts';
import { render } from '../../views/layout.tsx';
import { ErrorPage } from '../../views/pages/error-page.tsx';
import { StaleFormPage } from '../../views/pages/stale-form.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { classifyError, requestLang } from '../plugins/errors.ts';

/**
 * A digest of the files in `dir` (names and contents): the `?v=` of the static assets. They are served with a
 * week's max-age, so any change to one of them must change every page's links to them, or browsers keep the old file.
 */
export function assetVersionOf(dir: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => f.name)
    .sort();
  for (const name of files)
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(dir, name)))
      .update('\0');
  return hash.digest('hex').slice(0, 10);
}

/** The version of app.css, app.js, staff.css, stats.css and map.js, read once at start-up. */
export const ASSET_VERSION = assetVersionOf(fileURLToPath(new URL('./static/', import.meta.url)));

/** The view context of a request: language, translator, path without `lang`, user and CSRF token. */
export function pageContext(req: FastifyRequest): PageContext {
  const lang = requestLang(req);
  const url = new URL(req.url, 'http://x');
  url.searchParams.delete('lang');
  const path = url.pathname + (url.search || '');
  const s = req.session;
  return makeContext(lang, {
    path,
    langPath: req.method === 'GET' || req.method === 'HEAD' ? path : formPage(req, url),
    user:
      s && s.via === 'cookie'
        ? { name: s.user.name, email: s.user.email, roles: s.actor.grants.map((g) => g.role) }
        : null,
    csrf: s && s.via === 'cookie' ? s.csrfToken : '',
    assetVersion: ASSET_VERSION,
    unread: (req as FastifyRequest & { unreadNotifications?: number }).unreadNotifications,
  });
}

/**
 * The GET page a form post belongs to, for the language switch of a page re-rendered by a POST handler
 * (a POST URL such as `/lacak/<id>/dispute` or `/kantor/laporan/<id>/verify` has no GET route).
 *
 * 1. The route's `config.langPath` when it declares one (a string, or a function of the request for a page
 *    that needs a value from the form, e.g. the tracking page's access key).
 * 2. Otherwise the request path itself when a GET route is registered with the same pattern (the form
 *    posts to its own page: `/masuk`, `/lapor/:step`, `/kantor/admin/kategori`), keeping its query.
 * 3. Otherwise the nearest ancestor whose pattern has a GET route (`/kantor/laporan/:trackingId/verify` →
 *    `/kantor/laporan/<id>`, `/kantor/integrasi/kunci/:id/cabut` → `/kantor/integrasi`), without query.
 *
 * The pattern (not the concrete URL) is matched, so the catch-all `GET /*` and parametric siblings such as
 * `GET /lapor/:step` never count as the page of `POST /lapor/kirim`. Falls back to the home page.
 */
function formPage(req: FastifyRequest, url: URL): string {
  return formPageOf(req, url, req.routeOptions.url, req.routeOptions.config?.langPath);
}

/** The GET routes that only send a POST-only address back to its form's page (web/form-gets.ts): no page of theirs. */
export const FORM_REDIRECTS = new Set<string>();

/**
 * `formPage` for the POST route with this `pattern` and `langPath`, the request being that route's or a GET of the
 * same URL (`redirectFormGets`, which passes `ancestorsOnly`: its own GET route is not the form's page).
 */
export function formPageOf(
  req: FastifyRequest,
  url: URL,
  pattern: string | undefined,
  declared: FastifyContextConfig['langPath'],
  ancestorsOnly = false,
): string {
  if (typeof declared === 'function') return declared(req);
  if (typeof declared === 'string') return declared;
  if (!pattern) return '/';
  const patternSegments = pattern.split('/').filter(Boolean);
  const pathSegments = url.pathname.split('/').filter(Boolean);
  if (patternSegments.length !== pathSegments.length) return '/';
  for (let n = patternSegments.length - (ancestorsOnly ? 1 : 0); n > 0; n--) {
    const candidate = `/${patternSegments.slice(0, n).join('/')}`;
    if (!FORM_REDIRECTS.has(candidate) && req.server.hasRoute({ method: 'GET', url: candidate })) {
      const page = `/${pathSegments.slice(0, n).join('/')}`;
      return n === patternSegments.length ? page + (url.search || '') : page;
    }
  }
  return '/';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * For a POST route that re-renders a page whose GET URL is not the POST URL nor an ancestor of it
     * (e.g. `POST /lapor/kirim` re-renders `/lapor/periksa`): the page the language switch links to.
     * See `formPage` in `src/http/web/render.ts`.
     */
    langPath?: string | ((req: FastifyRequest) => string);
    /**
     * For a form that re-renders its own page when its token is stale (web/stale-form.ts): the form's name and the
     * page, given the non-secret fields as posted, no field errors and the stale message (`staleFormState`).
     */
    staleForm?: StaleFormRoute;
  }
}

/** A form page's own answer to a stale token (route config `staleForm`). */
export interface StaleFormRoute {
  /** The form's name (`FormState.action`), so a page with several forms fills the right one. */
  action: string;
  page: (
    req: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status: number,
  ) => FastifyReply | Promise<FastifyReply>;
  /**
   * Whether this caller may see `page` (a back-office form: the gate of the page's GET route). The auth hook refused
   * the post before the handler's own gate ran; when this says no (or throws), the answer is the error page, as for
   * a form without a page of its own.
   */
  allowed?: (req: FastifyRequest, reply: FastifyReply) => boolean;
  /** Fields given back although their names look secret (`keyName`: the name given to a key, not the key). */
  keep?: readonly string[];
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
  for (const k of keys)
    out[k] = t(lang, `errors.field.${pageIssueKey(fields[k]!.key, k)}`, fields[k]!.params);
  return out;
}

/**
 * A field issue's key as a page shows it: on a page the choices are radios or a select with their own labels, so
 * "one of: walk_in, phone, letter" (the API's message, listing the codes an integrator sends) becomes "choose one".
 * An upload (`field` 'file') has no choices on the page: its `one_of` names the accepted file types instead.
 */
export function pageIssueKey(key: string, field?: string): string {
  if (key !== 'one_of') return key;
  return field === 'file' ? 'file_type' : 'choose_one';
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
export function sendErrorPage(
  reply: FastifyReply,
  req: FastifyRequest,
  err: unknown,
): FastifyReply | Promise<FastifyReply> {
  const c = classifyError(err);
  if (c.status >= 500) req.log.error({ err }, 'unhandled page error');
  // A form with a stale token gives back what was typed (web/stale-form.ts): its own page when the route has one,
  // else the generic page for a citizen form; a back-office form whose page is not for this caller: the error page.
  if (c.code === 'CSRF_INVALID' && req.method === 'POST') {
    const own = ownStaleFormPage(reply, req, err);
    if (own) return own;
    if (!req.url.startsWith('/kantor')) return sendStaleFormPage(reply, req);
  }
  const ctx = pageContext(req);
  const message = t(ctx.lang, `errors.${c.code}`, c.params);
  // In the back office (a refused or stale form, an out-of-scope page) staff keep their menu and a way back.
  const staff =
    req.url.startsWith('/kantor') &&
    (ctx.user?.roles ?? []).some((r) =>
      ['national_admin', 'coordinator', 'agency_admin', 'officer'].includes(r),
    );
  const back = staff && req.method !== 'GET' && req.method !== 'HEAD' ? ctx.langPath : undefined;
  return sendPage(reply, req, h(ErrorPage, { ctx, status: c.status, message, staff, back }), c.status);
}

/**
 * The answer of a form's own page to its stale token (route config `staleForm`, web/stale-form.ts), when `err` is that
 * refusal on such a route and the caller may see the page; else null (the error handler answers as usual). For an
 * error handler of its own (stats-plugin.ts); `sendErrorPage` calls it first.
 */
export function ownStaleFormPage(
  reply: FastifyReply,
  req: FastifyRequest,
  err: unknown,
): Promise<FastifyReply> | null {
  if (req.method !== 'POST' || classifyError(err).code !== 'CSRF_INVALID') return null;
  const own = req.routeOptions.config?.staleForm;
  return own && mayShowOwnPage(own, req, reply) ? sendOwnStalePage(own, req, reply) : null;
}

/** Whether a stale form's own page may be shown to this caller (`StaleFormRoute.allowed`; a throw is a no). */
function mayShowOwnPage(own: StaleFormRoute, req: FastifyRequest, reply: FastifyReply): boolean {
  if (!own.allowed) return true;
  try {
    return own.allowed(req, reply);
  } catch {
    return false;
  }
}

/** A stale form's own page; when the page itself refuses (not found in the caller's scope…), that error's page. */
async function sendOwnStalePage(
  own: StaleFormRoute,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  try {
    return await own.page(req, reply, staleFormState(req, own.action, own.keep), STALE_FORM_STATUS);
  } catch (err) {
    if (classifyError(err).code === 'CSRF_INVALID') throw err;
    return sendErrorPage(reply, req, err);
  }
}

/** The status of a stale citizen form's answer (web/stale-form.ts): the post was refused, its text is given back. */
export const STALE_FORM_STATUS = 403;

/** Fields never echoed back: the CSRF token, passwords, access keys and the form's hidden plumbing. */
const NOT_ECHOED = /^(_csrf|k|next|from|draf|_refresh)$|password|sandi|secret|token|key/i;

/** Of those, the ones a person types (passwords, access keys), which a re-rendered form asks for again. */
const TYPED_SECRET = /password|sandi|secret|key/i;

/**
 * The message above a re-rendered stale form. `files`: the post carried files, which must be picked again;
 * `secrets`: it carried passwords or an access key, which are not given back and must be typed again.
 */
export function staleFormMessage(lang: Lang, files = false, secrets = false): string {
  return t(
    lang,
    files
      ? 'web.stale_form.message_files'
      : secrets
        ? 'web.stale_form.message_secrets'
        : 'web.stale_form.message',
  );
}

/**
 * A stale form's state for its own page (route config `staleForm`): the posted fields as typed except the ones never
 * echoed (passwords, keys, tokens, plumbing; `keep` names fields that only look so, such as a key's name), no field
 * errors, and the stale message, which says to type the passwords or key again when the post had one.
 */
export function staleFormState(req: FastifyRequest, action: string, keep: readonly string[] = []): FormState {
  const values: FormState['values'] = {};
  let secrets = false;
  for (const [name, raw] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
    const kept = ([] as unknown[]).concat(raw).filter((v): v is string => typeof v === 'string');
    if (keep.includes(name) || !NOT_ECHOED.test(name)) {
      if (kept.length) values[name] = Array.isArray(raw) ? kept : kept[0]!;
    } else if (TYPED_SECRET.test(name) && kept.some((v) => v !== '')) secrets = true;
  }
  return { action, values, errors: {}, message: staleFormMessage(requestLang(req), false, secrets) };
}

/** The text fields of a posted form worth giving back, in the order posted (no passwords, keys or empty ones). */
export function postedTexts(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const out: string[] = [];
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (NOT_ECHOED.test(name)) continue;
    for (const v of ([] as unknown[]).concat(raw))
      if (typeof v === 'string' && v.trim() && v !== '1') out.push(v.trim());
  }
  return out;
}

/**
 * The generic answer to a stale citizen form: the typed text for copying and the way back to the form. With
 * `signedOutNext`, the form needed an account whose session had ended: the way back is the sign-in page, which then
 * leads to `signedOutNext`.
 */
export function sendStaleFormPage(
  reply: FastifyReply,
  req: FastifyRequest,
  signedOutNext?: string,
): FastifyReply {
  const ctx = pageContext(req);
  const texts = postedTexts(req.body);
  const back = signedOutNext
    ? `/masuk?next=${encodeURIComponent(signedOutNext)}&lang=${ctx.lang}`
    : ctx.langPath;
  return sendPage(
    reply,
    req,
    h(StaleFormPage, { ctx, texts, back, signedOut: !!signedOutNext }),
    STALE_FORM_STATUS,
  );
}
