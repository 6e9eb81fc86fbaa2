/**
 * The website audit against pages served locally: a good page (accessible, links answer, LAPOR! link)
 * and a bad page (missing alt/label/lang, a broken link, no complaint channel), a page that does not
 * load, and the command storing results next to the rubric scores. Skips clearly without chromium.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_AVAILABLE, AUDIT_CHROMIUM_PATH, auditSite, launchAuditBrowser } from './site-audit.ts';
import type { Browser } from 'playwright-core';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { runScheduledSiteAudits, runSiteAudit } from '../commands/run-site-audit.ts';
import { sql } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { latestSiteAudits } from '../queries/evaluation-pages.ts';

if (!AUDIT_AVAILABLE) console.warn(`SKIP site audit tests: ${AUDIT_CHROMIUM_PATH} not found`);

const GOOD = `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Dinas Baik</title></head>
<body><header><nav aria-label="Menu"><a href="/layanan">Layanan</a> <a href="/kontak">Kontak</a></nav></header>
<main><h1>Dinas Baik</h1><p>Sampaikan pengaduan Anda melalui <a href="https://www.lapor.go.id/">LAPOR!</a>.</p>
<img src="/logo.png" alt="Logo Dinas Baik"><form><label for="q">Cari</label><input id="q" name="q"></form></main></body></html>`;
const BAD = `<!doctype html><html><head><title>Dinas Buruk</title></head>
<body><div><img src="/logo.png"><input name="q"><a href="/hilang">Halaman hilang</a> <a href="/layanan">Layanan</a>
<p style="color:#aaa;background:#fff">Teks pucat sekali</p></div></body></html>`;

/** The local pages are on 127.0.0.1, which the outbound guard refuses unless allowlisted (site-audit-guard.test.ts). */
const LOCAL = { allowHosts: ['127.0.0.1'] };

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const html = (body: string) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    if (path === '/baik') return html(GOOD);
    if (path === '/buruk') return html(BAD);
    if (path === '/layanan' || path === '/kontak')
      return html('<!doctype html><html lang="id"><title>x</title><main><h1>x</h1></main></html>');
    if (path === '/logo.png') return res.writeHead(200, { 'content-type': 'image/png' }).end();
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (AUDIT_AVAILABLE) browser = await launchAuditBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server.close(r));
});

describe.skipIf(!AUDIT_AVAILABLE)('site audit (axe-core in headless chromium)', () => {
  it('passes a good page: loads, no axe violations, links answer, LAPOR! link present', async () => {
    const r = await auditSite(browser, `${base}/baik`, LOCAL);
    expect(r.checks.map((c) => [c.id, c.passed])).toEqual([
      ['loads', true],
      ['accessibility', true],
      ['links', true],
      ['complaint_channel', true],
    ]);
    expect(r.links.checked).toBe(2);
    expect(r.complaintLinks).toContain('https://www.lapor.go.id/');
    expect(r.score).toBe(100);
  }, 60_000);

  it('fails a bad page: axe violations, a broken link, no complaint channel', async () => {
    const r = await auditSite(browser, `${base}/buruk`, LOCAL);
    const ids = r.violations.map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'html-has-lang', 'label', 'color-contrast']));
    expect(r.links.broken).toEqual([{ url: `${base}/hilang`, status: 404 }]);
    expect(r.checks.find((c) => c.id === 'complaint_channel')?.passed).toBe(false);
    expect(r.score).toBeLessThan(50);
    const gone = await auditSite(browser, `${base}/tidak-ada`, LOCAL);
    expect(gone.checks).toEqual([{ id: 'loads', passed: false, detail: 'HTTP 404' }]);
    expect(gone.score).toBe(0);
  }, 60_000);

  it('runSiteAudit stores one result per participant URL, shown on the evaluation page', async () => {
    const t: TestApp = await startTestApp({
      now: new Date('2026-03-12T02:00:00Z'),
      outboundAllowHosts: ['127.0.0.1'],
    });
    try {
      const r = await t.api('/api/v1/evaluation/periods', {
        token: await t.login(DEMO.national),
        json: {
          id: 'web-2026',
          name: 'Penghargaan Situs Web 2026',
          from: '2026-01-01',
          to: '2026-12-31',
          groups: [
            {
              id: 'web-kaltim',
              name: 'Situs web perangkat daerah',
              scope: 'agency',
              award: 'website',
              participants: [
                { agencyId: 'pupr-kaltim', websiteUrl: `${base}/baik` },
                { agencyId: 'dinkes-kaltim', websiteUrl: `${base}/buruk`, socialUrl: `${base}/kontak` },
              ],
            },
          ],
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const stored = await runSiteAudit(t.runtime.services, 'web-2026', { maxLinks: 5 });
      expect(stored.map((s) => [s.agencyId, s.kind])).toEqual([
        ['dinkes-kaltim', 'website'],
        ['dinkes-kaltim', 'media_sosial'],
        ['pupr-kaltim', 'website'],
      ]);
      const latest = await latestSiteAudits(t.runtime.services.db, 'web-2026');
      expect(latest.find((a) => a.agencyId === 'pupr-kaltim')?.score).toBe(100);
      const login = await fetch(`${t.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: DEMO.assessor,
          password: (await import('../../test/global-setup.ts')).DEMO_PASSWORD,
        }),
      });
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const page = await (await fetch(`${t.url}/kantor/evaluasi/web-2026`, { headers: { cookie } })).text();
      expect(page).toContain('skor saran 100');
      expect(page).toContain('image-alt');
      // Once the host is no longer allowed (the allowlist changed, or the name now resolves to an internal address),
      // the next audit opens nothing and the page says why.
      await runSiteAudit(t.runtime.services, 'web-2026', { maxLinks: 5, allowHosts: [] });
      const refused = await (
        await fetch(`${t.url}/kantor/evaluasi/web-2026`, { headers: { cookie } })
      ).text();
      expect(refused).toContain('Tidak dibuka karena alamatnya internal atau tidak diizinkan: 127.0.0.1');
      expect(refused).not.toContain('skor saran 100');
    } finally {
      await t.close();
    }
  }, 120_000);

  it('the scheduled audit runs once per participant URL and day, for running periods only', async () => {
    const t: TestApp = await startTestApp({
      now: new Date('2026-03-12T02:00:00Z'),
      outboundAllowHosts: ['127.0.0.1'],
    }); // 10:00 WITA
    try {
      const national = await t.login(DEMO.national);
      const define = async (id: string, from: string, to: string, url: string) => {
        const r = await t.api('/api/v1/evaluation/periods', {
          token: national,
          json: {
            id,
            name: `Penghargaan ${id}`,
            from,
            to,
            groups: [
              {
                id: `${id}-g`,
                name: 'Situs web perangkat daerah',
                scope: 'agency',
                award: 'website',
                participants: [{ agencyId: 'pupr-kaltim', websiteUrl: url }],
              },
            ],
          },
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
      };
      await define('now-2026', '2026-01-01', '2026-12-31', `${base}/baik`);
      await define('old-2024', '2024-01-01', '2024-12-31', `${base}/buruk`); // ended long ago
      await define('next-2027', '2027-01-01', '2027-12-31', `${base}/buruk`); // not started
      const svc = t.runtime.services;
      const count = async () =>
        (
          await query<{ period_id: string; n: number }>(
            svc.db,
            sql`select period_id, count(*)::int as n from evaluation_site_audits group by 1 order by 1`,
          )
        ).map((r) => [r.period_id, r.n]);

      expect(await runScheduledSiteAudits(svc, { maxLinks: 1 })).toEqual({
        periods: ['now-2026'],
        audited: 1,
      });
      expect(await count()).toEqual([['now-2026', 1]]);
      // Later the same day (WITA): nothing is due, nothing runs again.
      t.setNow(new Date('2026-03-12T15:00:00Z')); // 23:00 WITA
      expect(await runScheduledSiteAudits(svc, { maxLinks: 1 })).toEqual({ periods: [], audited: 0 });
      // A manual run the same day adds results; the schedule still skips the day.
      await runSiteAudit(svc, 'now-2026', { maxLinks: 1 });
      expect(await count()).toEqual([['now-2026', 2]]);
      // The next day (00:30 WITA) the participants are audited again, once.
      t.setNow(new Date('2026-03-12T16:30:00Z'));
      const [a, b] = await Promise.all([
        runScheduledSiteAudits(svc, { maxLinks: 1 }),
        runScheduledSiteAudits(svc, { maxLinks: 1 }),
      ]);
      expect(a).toEqual({ periods: ['now-2026'], audited: 1 });
      expect(b).toEqual(a); // the same run, not a second one
      expect(await count()).toEqual([['now-2026', 3]]);
      // Within 30 days after the end the period is still audited; later it is not.
      t.setNow(new Date('2027-01-20T02:00:00Z'));
      expect((await runScheduledSiteAudits(svc, { maxLinks: 1 })).periods).toEqual(['next-2027', 'now-2026']);
      t.setNow(new Date('2027-02-15T02:00:00Z'));
      expect((await runScheduledSiteAudits(svc, { maxLinks: 1 })).periods).toEqual(['next-2027']);
    } finally {
      await t.close();
    }
  }, 600_000);

  it('the day of the schedule is the home zone’s (ADUAN_TIME_ZONE=WIB): 23:30 and 00:30 WIB are two days', async () => {
    // 16:30 UTC is 23:30 WIB on 12 March but already 00:30 WITA on the 13th.
    const t: TestApp = await startTestApp({
      now: new Date('2026-03-12T16:30:00Z'),
      outboundAllowHosts: ['127.0.0.1'],
      timeZone: 'WIB',
    });
    try {
      const r = await t.api('/api/v1/evaluation/periods', {
        token: await t.login(DEMO.national),
        json: {
          id: 'wib-2026',
          name: 'Penghargaan wib-2026',
          from: '2026-03-12',
          to: '2026-03-12',
          groups: [
            {
              id: 'wib-2026-g',
              name: 'Situs web perangkat daerah',
              scope: 'agency',
              award: 'website',
              participants: [{ agencyId: 'pupr-kaltim', websiteUrl: `${base}/baik` }],
            },
          ],
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const svc = t.runtime.services;
      expect(await runScheduledSiteAudits(svc, { maxLinks: 1 })).toEqual({
        periods: ['wib-2026'],
        audited: 1,
      });
      t.setNow(new Date('2026-03-12T17:30:00Z')); // 00:30 WIB on the 13th: a new day, the period still in its grace
      expect(await runScheduledSiteAudits(svc, { maxLinks: 1 })).toEqual({
        periods: ['wib-2026'],
        audited: 1,
      });
      expect(await runScheduledSiteAudits(svc, { maxLinks: 1 })).toEqual({ periods: [], audited: 0 });
    } finally {
      await t.close();
    }
  }, 300_000);
});
