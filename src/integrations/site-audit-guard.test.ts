/**
 * The site audit never reaches a loopback, private, link-local or reserved address unless the host is
 * allowlisted (QA H3): a local HTTP server on 127.0.0.1 records every request and connection, and the audit is
 * pointed at it directly, through a name resolving to it, through a redirect (which Playwright's `route` does not
 * see), from subresources and same-origin links, and through a DNS answer that changes after the route's check.
 * The refused requests are never made, and the audit records why. With the host allowlisted it is reached.
 * Skips clearly without chromium.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { sql } from 'drizzle-orm';
import {
  AUDIT_AVAILABLE,
  AUDIT_CHROMIUM_PATH,
  auditSite,
  launchAuditBrowser,
  startGuardProxy,
  type RefusedRequest,
} from './site-audit.ts';
import { systemResolver } from './outbound-guard.ts';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { runSiteAudit } from '../commands/run-site-audit.ts';
import { query } from '../db/client.ts';

if (!AUDIT_AVAILABLE) console.warn(`SKIP site audit guard tests: ${AUDIT_CHROMIUM_PATH} not found`);

const PAGE = (body: string) =>
  `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Dinas</title></head><body><main><h1>Dinas</h1>${body}</main></body></html>`;

let server: Server;
let port: number;
let base: string;
/** Paths requested from the local server, and TCP connections it accepted. */
let hits: string[] = [];
let connections = 0;
let browser: Browser;

/** A resolver (the guard's DNS) that answers 127.0.0.1 for the made-up names of these tests, else the system's. */
const toLoopback = async (host: string): Promise<LookupAddress[]> =>
  host.endsWith('.test') ? [{ address: '127.0.0.1', family: 4 }] : systemResolver(host);

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.push(path);
    const html = (body: string) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE(body));
    if (path === '/halaman') return html('<p>Halaman dinas. <a href="/layanan">Layanan</a></p>');
    if (path === '/layanan') return html('<p>Layanan</p>');
    // A public site redirecting to the internal server.
    if (path === '/pindah')
      return res.writeHead(302, { location: `http://127.0.0.1:${port}/rahasia-redirect` }).end();
    // Subresources on internal addresses (literal, and a name resolving to loopback).
    if (path === '/dengan-gambar')
      return html(
        `<img src="http://127.0.0.1:${port}/rahasia-gambar.png" alt="x"><script src="http://localhost:${port}/rahasia-skrip.js"></script><a href="/layanan">Layanan</a>`,
      );
    // A same-origin link that redirects to an internal address.
    if (path === '/tautan') return html('<a href="/keluar">Keluar</a>');
    if (path === '/keluar')
      return res.writeHead(301, { location: `http://127.0.0.1:${port}/rahasia-tautan` }).end();
    if (path.startsWith('/rahasia'))
      return res.writeHead(200, { 'content-type': 'text/plain' }).end('secret');
    res.writeHead(404).end('not found');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  if (AUDIT_AVAILABLE) browser = await launchAuditBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  hits = [];
  connections = 0;
});

const refusedHosts = (r: { refused?: RefusedRequest[] }) =>
  (r.refused ?? []).map((x) => `${x.host} ${x.problem}`);

describe.skipIf(!AUDIT_AVAILABLE)('site audit: outbound SSRF guard', () => {
  it('does not open a URL on a blocked address: no request, the audit fails with the reason', async () => {
    for (const [url, host] of [
      [`${base}/rahasia`, '127.0.0.1'],
      [`http://localhost:${port}/rahasia`, 'localhost'], // a name resolving to loopback (system DNS)
      [`http://[::ffff:127.0.0.1]:${port}/rahasia`, '::ffff:7f00:1'],
      [`http://0x7f000001:${port}/rahasia`, '127.0.0.1'],
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ] as const) {
      const r = await auditSite(browser, url);
      expect(r.checks, url).toEqual([
        { id: 'loads', passed: false, detail: `outbound request to ${host} refused: url_blocked_address` },
      ]);
      expect(r.error).toBe(`outbound request to ${host} refused: url_blocked_address`);
      expect(r.score).toBe(0);
      expect(r.status).toBeNull();
      expect(refusedHosts(r)).toEqual([`${host} url_blocked_address`]);
    }
    const js = await auditSite(browser, 'javascript:alert(1)');
    expect(js.checks[0]).toMatchObject({ id: 'loads', passed: false });
    expect(js.error).toContain('refused: url_scheme');
    expect(hits).toEqual([]);
    expect(connections).toBe(0);
  }, 60_000);

  it('reaches the same server when its host is allowlisted (ADUAN_OUTBOUND_ALLOW_HOSTS)', async () => {
    const r = await auditSite(browser, `${base}/halaman`, { allowHosts: ['127.0.0.1'] });
    expect(r.checks.find((c) => c.id === 'loads')).toEqual({ id: 'loads', passed: true, detail: 'HTTP 200' });
    expect(r.title).toBe('Dinas');
    expect(r.links).toEqual({ checked: 1, broken: [] });
    expect(r.refused).toBeUndefined();
    expect(hits).toEqual(expect.arrayContaining(['/halaman', '/layanan']));
  }, 60_000);

  it('refuses a redirect from an allowed site to an internal address (route does not see redirects)', async () => {
    const opts = { allowHosts: ['situs.test'], resolver: toLoopback };
    const r = await auditSite(browser, `http://situs.test:${port}/pindah`, opts);
    expect(hits).toEqual(['/pindah']);
    expect(r.checks).toEqual([
      { id: 'loads', passed: false, detail: 'outbound request to 127.0.0.1 refused: url_blocked_address' },
    ]);
    expect(refusedHosts(r)).toEqual(['127.0.0.1 url_blocked_address']);
    expect(r.refused?.[0]?.url).toBe(`http://127.0.0.1:${port}/rahasia-redirect`);
  }, 60_000);

  it('refuses subresources and same-origin links that lead to internal addresses; the page itself is audited', async () => {
    const opts = { allowHosts: ['situs.test'], resolver: toLoopback };
    const r = await auditSite(browser, `http://situs.test:${port}/dengan-gambar`, opts);
    expect(r.checks.find((c) => c.id === 'loads')?.passed).toBe(true);
    expect(refusedHosts(r)).toEqual(
      expect.arrayContaining(['127.0.0.1 url_blocked_address', 'localhost url_blocked_address']),
    );
    const link = await auditSite(browser, `http://situs.test:${port}/tautan`, opts);
    expect(link.links).toEqual({
      checked: 1,
      broken: [{ url: `http://situs.test:${port}/keluar`, status: null }],
    });
    expect(refusedHosts(link)).toEqual(['127.0.0.1 url_blocked_address']);
    expect(hits.filter((h) => h.startsWith('/rahasia'))).toEqual([]);
    expect(hits).toEqual(expect.arrayContaining(['/dengan-gambar', '/tautan', '/keluar']));
  }, 60_000);

  it('refuses a name whose DNS answer changes to loopback after the route checked it (pinned connection)', async () => {
    const answers: string[] = [];
    // Public for the first two answers (the start check, then the route's), loopback afterwards.
    const rebinding = async (host: string): Promise<LookupAddress[]> => {
      const address = answers.length < 2 ? '93.184.216.34' : '127.0.0.1';
      answers.push(`${host} ${address}`);
      return [{ address, family: 4 }];
    };
    const r = await auditSite(browser, `http://rebind.test:${port}/rahasia`, { resolver: rebinding });
    expect(answers.slice(0, 3)).toEqual([
      'rebind.test 93.184.216.34',
      'rebind.test 93.184.216.34',
      'rebind.test 127.0.0.1',
    ]);
    expect(r.checks).toEqual([
      { id: 'loads', passed: false, detail: 'outbound request to rebind.test refused: url_blocked_address' },
    ]);
    expect(hits).toEqual([]);
    expect(connections).toBe(0);
  }, 60_000);

  it('the guard proxy tunnels (HTTPS, WebSocket) only to allowed addresses and only for its own browser', async () => {
    const refused: RefusedRequest[] = [];
    const connectVia = async (proxyPort: number, target: string, auth?: string) =>
      new Promise<string>((resolve, reject) => {
        const s = connect(proxyPort, '127.0.0.1', () => {
          s.write(
            `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`,
          );
        });
        let data = '';
        s.on('data', (d) => {
          data += d.toString('latin1');
          if (data.includes('\r\n\r\n')) {
            s.destroy();
            resolve(data.split('\r\n')[0]!);
          }
        });
        s.on('error', reject);
        s.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
      });
    const strict = await startGuardProxy({}, (r) => refused.push(r));
    const open = await startGuardProxy({ allowHosts: ['127.0.0.1'] }, (r) => refused.push(r));
    try {
      const auth = (p: typeof strict) =>
        `Basic ${Buffer.from(`${p.proxy.username}:${p.proxy.password}`).toString('base64')}`;
      const portOf = (p: typeof strict) => Number(new URL(p.proxy.server).port);
      expect(await connectVia(portOf(strict), `127.0.0.1:${port}`)).toBe(
        'HTTP/1.1 407 Proxy Authentication Required',
      );
      expect(await connectVia(portOf(strict), `127.0.0.1:${port}`, auth(strict))).toBe(
        'HTTP/1.1 403 Forbidden',
      );
      expect(await connectVia(portOf(strict), `[::1]:${port}`, auth(strict))).toBe('HTTP/1.1 403 Forbidden');
      expect(connections).toBe(0);
      expect(refused.map((r) => `${r.host} ${r.problem}`)).toEqual([
        '127.0.0.1 url_blocked_address',
        '::1 url_blocked_address',
      ]);
      expect(await connectVia(portOf(open), `127.0.0.1:${port}`, auth(open))).toBe(
        'HTTP/1.1 200 Connection Established',
      );
    } finally {
      await strict.close();
      await open.close();
    }
  });

  it('runSiteAudit applies ADUAN_OUTBOUND_ALLOW_HOSTS: a stored internal URL is recorded as refused, never fetched', async () => {
    const t: TestApp = await startTestApp({
      now: new Date('2026-03-12T02:00:00Z'),
      outboundAllowHosts: ['127.0.0.1'],
    });
    try {
      const r = await t.api('/api/v1/evaluation/periods', {
        token: await t.login(DEMO.national),
        json: {
          id: 'ssrf-2026',
          name: 'Penghargaan Situs Web 2026',
          from: '2026-01-01',
          to: '2026-12-31',
          groups: [
            {
              id: 'ssrf-2026-g',
              name: 'Situs web perangkat daerah',
              scope: 'agency',
              award: 'website',
              participants: [{ agencyId: 'pupr-kaltim', websiteUrl: `${base}/halaman` }],
            },
          ],
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const svc = t.runtime.services;
      // The operator withdraws the allowlist (or the URL was stored before the guard existed).
      svc.outboundAllowHosts = [];
      const [refused] = await runSiteAudit(svc, 'ssrf-2026', { maxLinks: 1 });
      expect(hits).toEqual([]);
      expect(connections).toBe(0);
      expect(refused?.score).toBe(0);
      expect(refused?.result.checks).toEqual([
        { id: 'loads', passed: false, detail: 'outbound request to 127.0.0.1 refused: url_blocked_address' },
      ]);
      const rows = await query<{ error: string }>(
        svc.db,
        sql`select result->>'error' as error from evaluation_site_audits where period_id = 'ssrf-2026'`,
      );
      expect(rows).toEqual([{ error: 'outbound request to 127.0.0.1 refused: url_blocked_address' }]);
      svc.outboundAllowHosts = ['127.0.0.1'];
      const [reached] = await runSiteAudit(svc, 'ssrf-2026', { maxLinks: 1 });
      expect(reached?.result.checks.find((c) => c.id === 'loads')?.passed).toBe(true);
      expect(hits).toContain('/halaman');
    } finally {
      await t.close();
    }
  }, 120_000);
});
