/**
 * What every page and component receives: the language, a translator bound to it, the current path (for the
 * language switch), the signed-in user and the CSRF token for forms. Built once per request by
 * `src/http/web/render.ts`, so views never read the request themselves.
 */
import { t, type Lang } from '../locales/index.ts';

/** Field name → translated message, in the order the fields appear on the page. */
export type FormErrors = Record<string, string>;

/** Per-request view context. */
export interface PageContext {
  lang: Lang;
  /** Translates a key in the page language. */
  t: (key: string, params?: Record<string, string | number>) => string;
  /** Path plus query of the current request, without `lang`. */
  path: string;
  /**
   * The page the language switch reloads in the other language (path plus query, without `lang`): the
   * request's own path for a GET, and for a form post re-rendered in place (422, 409) the GET page the
   * form lives on, since the post's URL has no GET route. Defaults to `path`.
   */
  langPath: string;
  /** The signed-in user, when any. */
  user: { name: string; email: string; roles: string[] } | null;
  /** CSRF token for forms posted with a session cookie; empty when signed out. */
  csrf: string;
  /** Asset version appended to static URLs (cache busting). */
  assetVersion: string;
  /** Unread in-app notifications of signed-in staff (the back-office menu badge). */
  unread?: number | undefined;
}

/** Builds a context for tests and non-HTTP renders. */
export function makeContext(lang: Lang, extra: Partial<Omit<PageContext, 'lang' | 't'>> = {}): PageContext {
  return {
    lang,
    t: (key, params) => t(lang, key, params),
    path: extra.path ?? '/',
    langPath: extra.langPath ?? extra.path ?? '/',
    user: extra.user ?? null,
    csrf: extra.csrf ?? '',
    assetVersion: extra.assetVersion ?? '1',
    unread: extra.unread,
  };
}

/** The id of a field's input element (also the error-summary anchor): `reporter.name` → `f-reporter-name`. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** Adds (or replaces) `lang` on a path: used by the language switch. */
export function withLang(path: string, lang: Lang): string {
  const [base, query = ''] = path.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set('lang', lang);
  return `${base}?${params.toString()}`;
}
