/**
 * Website / social-media audit for the evaluation awards: opens the URL in headless Chromium
 * (playwright-core, Debian `/usr/bin/chromium` or CHROMIUM_PATH), runs axe-core (WCAG 2.0/2.1/2.2 A+AA),
 * checks that the page loads, that same-origin links answer (HEAD, then GET when HEAD is refused;
 * bounded count and time) and that a complaint channel or LAPOR! link is present.
 * Works in production (the same launcher flags as the e2e helper) and in tests against local pages.
 * Why: the website and social-media awards are judged on functionality and accessibility (issue 6).
 *
 * The URLs come from coordinators, so every request the audit makes goes through the outbound SSRF guard
 * (src/integrations/outbound-guard.ts, ADUAN_OUTBOUND_ALLOW_HOSTS): nothing reaches a private, loopback,
 * link-local or reserved address. Three layers, because DNS can change after the URL was saved:
 * - `context.route` resolves the host of every request the page makes (navigation, subresources) and aborts
 *   it when it is blocked, recording why (`refused`);
 * - the browser context sends everything through a local proxy (`startGuardProxy`) that connects only to the
 *   addresses it checked (the guard's pinned `lookup`): redirects (which `route` does not see), WebSockets,
 *   and a name that resolves differently between the route's check and the connection are refused there;
 * - the link checks use the same pinned lookup and follow redirects hop by hop, checking each.
 * A refused start URL is not fetched at all: the audit is recorded as not loading, with the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { connect as netConnect, isIP, type AddressInfo, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Request } from 'playwright-core';
import {
  checkOutboundHost,
  guardedLookup,
  hostOf,
  isBlockedAddress,
  OutboundBlockedError,
  outboundUrlSyntax,
  type OutboundOptions,
  type OutboundProblem,
} from './outbound-guard.ts';

/** Chromium binary used by the audit. */
export const AUDIT_CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Whether the audit can run on this machine. */
export const AUDIT_AVAILABLE = existsSync(AUDIT_CHROMIUM_PATH);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
let axeSource: string | null = null;

/** Words and hosts that count as a complaint channel (LAPOR!, pengaduan, aduan, SP4N, WhatsApp hotline …). */
export const COMPLAINT_PATTERNS = [
  /lapor\.go\.id/i,
  /\blapor!?\b/i,
  /pengaduan/i,
  /\baduan\b/i,
  /sp4n/i,
  /complaint/i,
  /kontak|hubungi/i,
];

/** One check of the audit. */
export interface AuditCheck {
  id: 'loads' | 'accessibility' | 'links' | 'complaint_channel';
  passed: boolean;
  detail: string;
}

/** The audit of one URL. */
export interface SiteAuditResult {
  url: string;
  finalUrl: string | null;
  status: number | null;
  loadMs: number | null;
  title: string | null;
  checks: AuditCheck[];
  violations: { id: string; impact: string | null; help: string; nodes: number }[];
  links: { checked: number; broken: { url: string; status: number | null }[] };
  complaintLinks: string[];
  /** Requests the SSRF guard refused (never made); absent in audits stored before the guard. */
  refused?: RefusedRequest[];
  /** Suggested score 0–100: loads 25, accessibility 40 (minus 8 per violated rule), links 20, channel 15. */
  score: number;
  error?: string;
}

/** A request the audit did not make because the outbound guard refused its host. */
export interface RefusedRequest {
  url: string;
  host: string;
  problem: OutboundProblem;
}

/**
 * Options: link-check bounds and timeouts, and the outbound guard's (`allowHosts`: ADUAN_OUTBOUND_ALLOW_HOSTS,
 * exempt from the address check; `resolver`: tests simulate DNS answers).
 */
export interface AuditOptions extends OutboundOptions {
  maxLinks?: number;
  timeoutMs?: number;
}

/** The header of the proxy's answer to a refused request (tells the navigation's refusal from a real 403). */
const REFUSED_HEADER = 'x-aduan-audit-refused';
/** Redirects a link check follows (each hop checked). */
const MAX_LINK_REDIRECTS = 5;

/** The message of a refusal, as for webhooks: `outbound request to <host> refused: url_blocked_address`. */
function refusalText(r: Pick<RefusedRequest, 'host' | 'problem'>): string {
  return new OutboundBlockedError(r.host, r.problem).message;
}

/** The guard's host of a URL (null when it does not parse). */
function safeHost(raw: string): string | null {
  try {
    return hostOf(new URL(raw));
  } catch {
    return null;
  }
}

/** Literal addresses are connected to without any lookup, so the lookup hook never sees them: checked here. */
function literalProblem(host: string, opts: OutboundOptions): OutboundProblem | null {
  if ((opts.allowHosts ?? []).includes(host)) return null;
  return isIP(host) && isBlockedAddress(host) ? 'url_blocked_address' : null;
}

/**
 * Why the audit may not request `raw` (null: it may). Schemes without a network request (data:, blob:,
 * about:) pass; ws(s) is checked as http(s); any other scheme is `url_scheme`. The host is resolved now and
 * every address checked (an unresolvable name is `host_unresolvable`).
 */
export async function auditRequestProblem(
  raw: string,
  opts: OutboundOptions = {},
): Promise<{ host: string; problem: OutboundProblem } | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { host: raw, problem: 'invalid_format' };
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return null;
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol))
    return { host: url.hostname || raw, problem: 'url_scheme' };
  if (url.username || url.password || !url.hostname)
    return { host: url.hostname || raw, problem: 'invalid_format' };
  const host = hostOf(url);
  const problem = await checkOutboundHost(host, { ...opts, timeoutMs: 10_000 });
  return problem ? { host, problem } : null;
}

/** Hop-by-hop and proxy headers, never forwarded by the proxy. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_HEADERS.has(k.toLowerCase())));
}

/** A running guard proxy (see `startGuardProxy`). */
export interface GuardProxy {
  /** For `browser.newContext({ proxy })`. */
  proxy: { server: string; username: string; password: string };
  close(): Promise<void>;
}

/**
 * A local HTTP proxy (127.0.0.1, random port, random credentials so that no other local process can use it)
 * through which an audit's browser context makes every request: plain HTTP is forwarded, HTTPS and WebSockets
 * tunnelled (CONNECT). Each upstream connection goes through the guard's pinned lookup (src/integrations/
 * outbound-guard.ts), so it reaches only addresses that were checked just then: a redirect to an internal
 * address, or a name rebound after the route's check, is refused (`onRefused`) with 403 and `x-aduan-audit-refused`.
 */
export async function startGuardProxy(
  opts: AuditOptions,
  onRefused: (r: RefusedRequest) => void,
): Promise<GuardProxy> {
  const username = 'audit';
  const password = randomBytes(18).toString('base64url');
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const guard: OutboundOptions = { allowHosts: opts.allowHosts, resolver: opts.resolver };
  const sockets = new Set<Socket>();
  // The guard's lookup fails the connection with an OutboundBlockedError carrying the problem.
  const blocked = (e: unknown): OutboundProblem | null =>
    (e as { problem?: OutboundProblem }).problem ?? null;
  const refuse = (res: ServerResponse, r: RefusedRequest) => {
    onRefused(r);
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', [REFUSED_HEADER]: r.problem });
    res.end(refusalText(r));
  };
  const server = createServer((req, res) => {
    if (req.headers['proxy-authorization'] !== expected) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="aduan-audit"' }).end();
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (url.protocol !== 'http:' || url.username || url.password) {
      res.writeHead(400).end();
      return;
    }
    const host = hostOf(url);
    const literal = literalProblem(host, guard);
    if (literal) return refuse(res, { url: url.href, host, problem: literal });
    const upstream = httpRequest(
      url,
      {
        method: req.method,
        headers: endToEnd(req.headers),
        lookup: guardedLookup(guard),
        agent: false,
        timeout: timeoutMs,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    res.on('close', () => upstream.destroy());
    upstream.on('error', (e) => {
      const problem = blocked(e);
      if (problem === 'url_blocked_address' && !res.headersSent)
        return refuse(res, { url: url.href, host, problem });
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    client.on('error', () => undefined);
    const answer = (status: string, extra = '') => client.end(`HTTP/1.1 ${status}\r\n${extra}\r\n`);
    if (req.headers['proxy-authorization'] !== expected)
      return answer('407 Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="aduan-audit"\r\n');
    let url: URL;
    try {
      url = new URL(`http://${req.url ?? ''}`);
    } catch {
      return answer('400 Bad Request');
    }
    const host = hostOf(url);
    const port = Number(url.port || 443);
    const refuseTunnel = (problem: OutboundProblem) => {
      onRefused({ url: `${host}:${port}`, host, problem });
      answer('403 Forbidden', `${REFUSED_HEADER}: ${problem}\r\n`);
    };
    const literal = literalProblem(host, guard);
    if (literal) return refuseTunnel(literal);
    const upstream = netConnect({ host, port, lookup: guardedLookup(guard), timeout: timeoutMs });
    let connected = false;
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.once('connect', () => {
      connected = true;
      upstream.setTimeout(0);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', (e) => {
      const problem = blocked(e);
      if (!connected && client.writable) {
        if (problem === 'url_blocked_address') refuseTunnel(problem);
        else answer('502 Bad Gateway');
      } else client.destroy();
    });
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    proxy: { server: `http://127.0.0.1:${port}`, username, password },
    async close() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Launches chromium with the same flags as the e2e helper (no sandbox for containers, no QUIC). */
export async function launchAuditBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: AUDIT_CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** One request of a link check through the guard's pinned lookup: its status and redirect target. */
function linkRequest(
  url: URL,
  method: 'HEAD' | 'GET',
  timeoutMs: number,
  opts: OutboundOptions,
): Promise<{ status: number; location: string | null } | { problem: OutboundProblem } | null> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method,
        headers: { accept: '*/*', 'user-agent': 'aduan-site-audit' },
        lookup: guardedLookup(opts),
        agent: false,
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const location = res.headers.location ?? null;
        resolve({ status: res.statusCode ?? 0, location });
        res.destroy();
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      const problem = (e as { problem?: OutboundProblem }).problem;
      resolve(problem === 'url_blocked_address' ? { problem } : null);
    });
    req.end();
  });
}

/**
 * The status of a link (HEAD, then GET when HEAD is refused), following up to MAX_LINK_REDIRECTS redirects;
 * every hop goes through the guard, and a refused hop makes the link broken (null) and is reported.
 */
async function checkLink(
  link: string,
  timeoutMs: number,
  opts: OutboundOptions,
  onRefused: (r: RefusedRequest) => void,
): Promise<number | null> {
  for (const method of ['HEAD', 'GET'] as const) {
    let url = new URL(link);
    let answer: Awaited<ReturnType<typeof linkRequest>> = null;
    for (let hop = 0; hop <= MAX_LINK_REDIRECTS; hop++) {
      const host = hostOf(url);
      const literal =
        url.protocol === 'http:' || url.protocol === 'https:' ? literalProblem(host, opts) : 'url_scheme';
      answer = literal ? { problem: literal } : await linkRequest(url, method, timeoutMs, opts);
      if (answer && 'problem' in answer) {
        onRefused({ url: url.href, host, problem: answer.problem });
        return null;
      }
      if (!answer || answer.status < 300 || answer.status >= 400 || !answer.location) break;
      try {
        url = new URL(answer.location, url);
      } catch {
        break;
      }
      answer = null;
    }
    if (answer === null) {
      if (method === 'GET') return null;
      continue;
    }
    if (method === 'HEAD' && (answer.status === 405 || answer.status === 501)) continue;
    return answer.status;
  }
  return null;
}

/** Scores the checks (see `SiteAuditResult.score`). */
export function auditScore(r: Pick<SiteAuditResult, 'checks' | 'violations' | 'links'>): number {
  const passed = (id: AuditCheck['id']) => r.checks.find((c) => c.id === id)?.passed ?? false;
  if (!passed('loads')) return 0;
  const a11y = Math.max(0, 40 - 8 * r.violations.length);
  const links = r.links.checked ? Math.round(20 * (1 - r.links.broken.length / r.links.checked)) : 20;
  return 25 + a11y + links + (passed('complaint_channel') ? 15 : 0);
}

/**
 * Audits one URL with an already launched browser (one fresh context per URL, its own guard proxy). A start
 * URL the guard refuses is not opened: the audit fails `loads` with the reason (`error`, `refused`).
 */
export async function auditSite(
  browser: Browser,
  url: string,
  opts: AuditOptions = {},
): Promise<SiteAuditResult> {
  const maxLinks = opts.maxLinks ?? 25;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const guard: OutboundOptions = { allowHosts: opts.allowHosts, resolver: opts.resolver };
  const out: SiteAuditResult = {
    url,
    finalUrl: null,
    status: null,
    loadMs: null,
    title: null,
    checks: [],
    violations: [],
    links: { checked: 0, broken: [] },
    complaintLinks: [],
    score: 0,
  };
  const refused: RefusedRequest[] = [];
  const onRefused = (r: RefusedRequest) => {
    // Each refused host is listed once, with the first request to it and the reason: Chromium may ask again for a
    // request that failed (a navigation's redirect target) or for the favicon of the refusal page it shows (same
    // host), and a page may load many files from one internal host.
    if (refused.some((x) => x.host === r.host && x.problem === r.problem)) return;
    if (refused.length < 50) refused.push(r);
  };
  const notLoaded = (r: Pick<RefusedRequest, 'host' | 'problem'>): SiteAuditResult => {
    out.error = refusalText(r);
    out.checks = [{ id: 'loads', passed: false, detail: out.error }];
    return { ...out, refused, score: 0 };
  };
  // The start URL: an absolute http(s) URL (not data: or javascript:) on an address the guard allows.
  const syntax = outboundUrlSyntax(url);
  const start =
    'problem' in syntax ? { host: url, problem: syntax.problem } : await auditRequestProblem(url, guard);
  if (start && start.problem !== 'host_unresolvable') {
    onRefused({ url, ...start });
    return notLoaded(start);
  }
  const proxy = await startGuardProxy(opts, onRefused);
  // Service workers would fetch outside `route`; the proxy would still guard them, but block them anyway.
  const context = await browser
    .newContext({ locale: 'id-ID', proxy: proxy.proxy, serviceWorkers: 'block' })
    .catch(async (e: unknown) => {
      await proxy.close();
      throw e;
    });
  try {
    const page = await context.newPage();
    const isMainNavigation = (request: Request) => {
      try {
        return request.isNavigationRequest() && request.frame() === page.mainFrame();
      } catch {
        return false; // a request without a frame (worker)
      }
    };
    let navigationRefusal: RefusedRequest | null = null;
    let failedNavigationHost: string | null = null;
    page.on('requestfailed', (request) => {
      if (isMainNavigation(request)) failedNavigationHost = safeHost(request.url());
    });
    await context.route('**/*', async (route) => {
      const request = route.request();
      const problem = await auditRequestProblem(request.url(), guard);
      if (!problem) return route.continue().catch(() => undefined);
      if (problem.problem === 'host_unresolvable')
        return route.abort('namenotresolved').catch(() => undefined);
      const r = { url: request.url(), ...problem };
      onRefused(r);
      if (isMainNavigation(request)) navigationRefusal ??= r;
      return route.abort('blockedbyclient').catch(() => undefined);
    });
    const started = Date.now();
    let res;
    try {
      res = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    } catch (e) {
      out.error = (e as Error).message.split('\n')[0];
    }
    out.loadMs = Date.now() - started;
    // The start page or a redirect of it refused (by the route, or by the proxy: its 403 for plain HTTP, a
    // failed tunnel for HTTPS) is reported as such, not as the browser's error or an HTTP 403.
    const refusedHost =
      res?.headers()[REFUSED_HEADER] !== undefined ? safeHost(res.url()) : !res ? failedNavigationHost : null;
    const refusal =
      navigationRefusal ??
      (refusedHost ? [...refused].reverse().find((r) => r.host === refusedHost) : undefined);
    if (refusal) return { ...notLoaded(refusal), loadMs: out.loadMs };
    out.status = res?.status() ?? null;
    out.finalUrl = res ? page.url() : null;
    const loads = !!res && res.status() < 400;
    out.checks.push({
      id: 'loads',
      passed: loads,
      detail: res ? `HTTP ${res.status()}` : (out.error ?? 'no response'),
    });
    if (!loads) return { ...out, ...(refused.length ? { refused } : {}), score: 0 };
    out.title = await page.title();
    axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
    out.violations = await page.evaluate(async (tags) => {
      const w = globalThis as unknown as {
        axe: {
          run: (
            c: unknown,
            o: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[];
          }>;
        };
      };
      const r = await w.axe.run((globalThis as unknown as { document: unknown }).document, {
        runOnly: { type: 'tag', values: tags },
      });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
    }, AXE_TAGS);
    out.checks.push({
      id: 'accessibility',
      passed: out.violations.length === 0,
      detail: out.violations.length ? out.violations.map((v) => v.id).join(', ') : 'axe: 0 violations',
    });
    const anchors = await page.$$eval('a[href]', (as) =>
      as.map((a) => ({ href: (a as unknown as { href: string }).href, text: (a.textContent ?? '').trim() })),
    );
    const origin = new URL(out.finalUrl ?? url).origin;
    const sameOrigin = [
      ...new Set(
        anchors
          .map((a) => a.href.split('#')[0]!)
          .filter((h) => {
            try {
              return new URL(h).origin === origin;
            } catch {
              return false;
            }
          }),
      ),
    ].slice(0, maxLinks);
    for (const link of sameOrigin) {
      const status = await checkLink(link, Math.min(timeoutMs, 5000), guard, onRefused);
      out.links.checked++;
      if (status === null || status >= 400) out.links.broken.push({ url: link, status });
    }
    out.checks.push({
      id: 'links',
      passed: out.links.broken.length === 0,
      detail: `${out.links.checked - out.links.broken.length}/${out.links.checked} same-origin links answer`,
    });
    out.complaintLinks = anchors
      .filter((a) => COMPLAINT_PATTERNS.some((re) => re.test(a.href) || re.test(a.text)))
      .map((a) => a.href)
      .slice(0, 10);
    out.checks.push({
      id: 'complaint_channel',
      passed: out.complaintLinks.length > 0,
      detail: out.complaintLinks.length
        ? out.complaintLinks.join(' ')
        : 'no complaint channel or LAPOR! link',
    });
    out.score = auditScore(out);
    if (refused.length) out.refused = refused;
    return out;
  } finally {
    await context.close();
    await proxy.close();
  }
}
