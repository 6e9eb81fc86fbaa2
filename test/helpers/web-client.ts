/**
 * A tiny browser-like HTTP client for page tests: keeps cookies, posts urlencoded forms, does not follow
 * redirects (tests assert Post/Redirect/Get), and reads hidden `_csrf` fields.
 */
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../global-setup.ts';

/** One response, with the body as text. */
export interface WebResponse {
  status: number;
  location: string | null;
  html: string;
  headers: Headers;
}

/** Cookie-keeping client bound to a base URL. */
export class WebClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private remember(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async send(path: string, init: RequestInit): Promise<WebResponse> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'text/html');
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    this.remember(res);
    return {
      status: res.status,
      location: res.headers.get('location'),
      html: await res.text(),
      headers: res.headers,
    };
  }

  /** GET a page. */
  get(path: string): Promise<WebResponse> {
    return this.send(path, { method: 'GET' });
  }

  /** POST an urlencoded form (arrays repeat the field). */
  post(path: string, form: Record<string, string | string[]>): Promise<WebResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of ([] as string[]).concat(v)) body.append(k, x);
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  /** POST multipart form data. */
  postMultipart(path: string, form: FormData): Promise<WebResponse> {
    return this.send(path, { method: 'POST', body: form });
  }
}

/** The value of the first hidden `_csrf` input in a page. */
export function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

/** Opens `page` (expects 200) and posts `form` to `action` with that page's CSRF token, as a browser submits a form. */
export async function postFromPage(
  c: WebClient,
  page: string,
  action: string,
  form: Record<string, string | string[]>,
): Promise<WebResponse> {
  const p = await c.get(page);
  expect(p.status, p.html.slice(0, 300)).toBe(200);
  return c.post(action, { _csrf: csrfOf(p.html), ...form });
}

/** Signs in through the sign-in form (`POST /masuk`, expects the 303) and returns the cookie-keeping client. */
export async function signInWeb(
  base: string,
  email: string,
  password = DEMO_PASSWORD,
  next = '/kantor',
): Promise<WebClient> {
  const c = new WebClient(base);
  const r = await c.post('/masuk', { email, password, next });
  expect(r.status, r.html.slice(0, 300)).toBe(303);
  return c;
}

/** A staff session from the JSON sign-in: the cookie header to send and the CSRF token for forms. */
export interface Session {
  cookie: string;
  csrf: string;
}

/** Signs in through `POST /api/v1/auth/login` and returns the session's cookie header and CSRF token. */
export async function signInSession(base: string, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: body.csrfToken };
}

/** Signs an email in once and reuses its session; `clear()` forgets them all (e.g. after moving the clock). */
export interface SessionCache {
  (email: string): Promise<Session>;
  clear(): void;
}

/**
 * One session per email, signed in on first use and reused after (base read lazily, so it can be
 * created before the app starts): `const signIn = sessionsFor(() => t.url);`.
 */
export function sessionsFor(base: () => string): SessionCache {
  const sessions = new Map<string, Session>();
  const signIn = async (email: string) => {
    const cached = sessions.get(email);
    if (cached) return cached;
    const s = await signInSession(base(), email);
    sessions.set(email, s);
    return s;
  };
  return Object.assign(signIn, { clear: () => sessions.clear() });
}

/** Undoes the HTML escaping of an attribute value or text (the entities Preact writes). */
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * Every field of the page's form with this `action` (the first one) as a browser would submit it unchanged:
 * inputs with their value (a file input gives ""), the selected (else first) option of each select, textareas.
 */
export function formFields(html: string, action: string): Array<[string, string]> {
  const start = html.indexOf(`action="${action}"`);
  expect(start, `form ${action}`).toBeGreaterThan(0);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Array<[string, string]> = [];
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[1]!)?.[1];
    if (name) out.push([name, decode(/\bvalue="([^"]*)"/.exec(m[1]!)?.[1] ?? '')]);
  }
  for (const m of form.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option\b[^>]*value="([^"]*)"[^>]*\bselected\b/.exec(m[2]!)?.[1];
    const first = /<option\b[^>]*value="([^"]*)"/.exec(m[2]!)?.[1];
    out.push([m[1]!, decode(selected ?? first ?? '')]);
  }
  for (const m of form.matchAll(/<textarea\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g))
    out.push([m[1]!, decode(m[2]!)]);
  return out;
}

/** The option values of the select `name` in the page's form with this `action`, in page order. */
export function formOptions(html: string, action: string, name: string): string[] {
  const start = html.indexOf(`action="${action}"`);
  expect(start, `form ${action}`).toBeGreaterThan(0);
  const form = html.slice(start, html.indexOf('</form>', start));
  const select = new RegExp(`<select\\b[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(form);
  expect(select, `select ${name} in form ${action}`).not.toBeNull();
  return [...select![1]!.matchAll(/<option\b[^>]*value="([^"]*)"/g)].map((m) => decode(m[1]!));
}
