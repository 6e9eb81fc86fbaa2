/**
 * A tiny browser-like HTTP client for page tests: keeps cookies, posts urlencoded forms, does not follow
 * redirects (tests assert Post/Redirect/Get), and reads hidden `_csrf` fields.
 */

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
