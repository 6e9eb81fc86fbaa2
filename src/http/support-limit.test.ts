/**
 * Support counts are public, and one support per device rests on the device cookie: a client that drops the cookie
 * looks like a new device every time. Such cookie-less supports are limited per IP and hour (found by exploratory
 * testing, 2026-11-29); a browser, which keeps the cookie, is unaffected. Real HTTP over PGlite or PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../test/helpers/app.ts';
import { WebClient } from '../../test/helpers/web-client.ts';

let t: TestApp;
let id: string;
beforeAll(async () => {
  t = await startTestApp({ limits: { supportPerHour: 3 }, now: new Date() }); // one fixed window
  id = await submitReport(t, 'Pasar tradisional kotor dan becek setiap hari', { anonymous: true });
  await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
});
afterAll(() => t?.close());

describe('supports without a device cookie', () => {
  it('count up to the hourly limit per IP, then answer 429; a browser keeps its one support', async () => {
    const support = () =>
      fetch(`${t.url}/api/v1/reports/${id}/actions/support`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await support();
      expect(r.status).toBe(200);
      counts.push(((await r.json()) as { supportCount: number }).supportCount);
    }
    expect(counts).toEqual([1, 2, 3]);
    const over = await support();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBeTruthy();
    // The web form is limited the same way for cookie-less clients.
    const form = await fetch(`${t.url}/laporan/${id}/dukung`, { method: 'POST', redirect: 'manual' });
    expect(form.status).toBe(429);

    // A browser that already holds its device cookie is not limited: its second support is "already supported".
    const browser = new WebClient(t.url);
    browser.cookies.set('aduan_device', 'a-device-key-of-a-browser-0001');
    expect((await browser.post(`/laporan/${id}/dukung`, {})).location).toBe(`/laporan/${id}?dukung=ok`);
    expect((await browser.post(`/laporan/${id}/dukung`, {})).location).toBe(`/laporan/${id}?dukung=sudah`);
    const report = await t.api(`/api/v1/reports/${id}`);
    expect(report.body.supportCount).toBe(4);
  });
});
