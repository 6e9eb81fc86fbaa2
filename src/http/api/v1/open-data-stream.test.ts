/**
 * The whole-file open-data CSV (`/api/v1/open-data/reports.csv` without `limit`/`cursor`) is streamed: its rows are
 * read a page at a time through the keyset cursor (`openDataRowPages`) and written as they come. With the page size
 * lowered so the fixture's reports span several pages, the bytes equal the CSV built in memory from every row at once
 * (what was served before), with and without `from`/`to`; the confidential report and the anonymous reporter are
 * absent. The ETag is the rows' fingerprint (one aggregate query), not a hash of the bytes: it stays while nothing
 * changes (304 on If-None-Match) and changes with every input of the bytes: a report made rahasia, a renamed agency,
 * category or region, a rewritten fact, a new public report, another filter. Real HTTP, real database.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { SECRET, seedStatsReports } from '../../../../test/helpers/stats-fixture.ts';
import { sql } from 'drizzle-orm';
import { categoryIdByName, DEMO, submitReport, verifyReport } from '../../../../test/helpers/app.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';
import { openDataRowPages, openDataRows } from '../../../queries/open-data.ts';
import { openDataCsv, openDataStreaming } from './stats.ts';

let t: TestApp;
let ids: Record<string, string>;
const DEFAULT_PAGE = openDataStreaming.pageSize;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  ids = await seedStatsReports(t);
});
afterEach(() => {
  openDataStreaming.pageSize = DEFAULT_PAGE;
});
afterAll(() => t?.close());

describe('streamed whole-file open-data CSV', () => {
  it('the fixture spans several pages when the page size is lowered', async () => {
    const all = await openDataRows(t.runtime.services.db);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const pages: string[][] = [];
    for await (const rows of openDataRowPages(t.runtime.services.db, {}, 1))
      pages.push(rows.map((r) => r.trackingId));
    // One row per page, every row once, in the order of the whole file.
    expect(pages.every((p) => p.length === 1)).toBe(true);
    expect(pages.flat()).toEqual(all.map((r) => r.trackingId));
  });

  it.each([
    [1, ''],
    [2, ''],
    [DEFAULT_PAGE, ''],
    [1, '?from=2026-03-01&to=2026-03-31'],
    [2, '?to=2026-03-05'],
  ])('page size %i, filter "%s": the same bytes as the CSV of every row at once', async (pageSize, query) => {
    openDataStreaming.pageSize = pageSize;
    const params = new URLSearchParams(query);
    const filter = { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined };
    const expected = openDataCsv(await openDataRows(t.runtime.services.db, filter));
    const res = await fetch(`${t.url}/api/v1/open-data/reports.csv${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('aduan-open-data-reports.csv');
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    const body = await res.text();
    expect(body).toBe(expected);
    expect(body.split('\n')[0]).toMatch(/^trackingId,/);
    expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    // Privacy: the confidential report and the anonymous reporter's data are not in the file.
    expect(body).not.toContain(ids.confidential);
    for (const s of Object.values(SECRET)) expect(body).not.toContain(s);
    // A harvester holding these bytes gets 304 without a body.
    const again = await fetch(`${t.url}/api/v1/open-data/reports.csv${query}`, {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('an empty filter result is the header row alone', async () => {
    openDataStreaming.pageSize = 2;
    const res = await fetch(`${t.url}/api/v1/open-data/reports.csv?from=2030-01-01`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(openDataCsv([]));
  });
});

describe('the whole-file ETag follows every input of the bytes', () => {
  const csv = async (query = '') => {
    const res = await fetch(`${t.url}/api/v1/open-data/reports.csv${query}`);
    expect(res.status).toBe(200);
    return { etag: res.headers.get('etag')!, body: await res.text() };
  };
  const db = () => t.runtime.services.db;

  it('stays while nothing changes; a new public report changes it, and a filter holding the old rows has the old', async () => {
    const a = await csv();
    const b = await csv();
    expect(b.etag).toBe(a.etag);
    expect(b.body).toBe(a.body);
    // A report received in April, verified, counted by a refresh.
    t.setNow(new Date('2026-04-16T02:00:00Z'));
    const id = await submitReport(t, 'Lampu jalan mati di simpang empat', {
      reporter: { name: 'Warga Baru', email: 'warga.baru@contoh.aduan.id' },
    });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    await refreshStats(t.runtime.services);
    const c = await csv();
    expect(c.body).toContain(id);
    expect(c.etag).not.toBe(a.etag);
    // The March rows alone are the bytes of before, so the ETag of before (a cache holding them stays right).
    const march = await csv('?to=2026-03-31');
    expect(march.body).toBe(a.body);
    expect(march.etag).toBe(a.etag);
    expect((await csv('?from=2030-01-01')).etag).not.toBe(a.etag);
  });

  it.each([
    ['an agency renamed', sql`update agencies set name = name || ' (baru)' where id = 'pupr-kaltim'`],
    ['a category renamed', sql`update categories set name = name || ' (baru)'`],
    [
      'a region renamed',
      sql`update regions set name = name || ' BARU' where code in ('64.71.01', '64.72.02')`,
    ],
    [
      'a fact rewritten (a refresh that finds a new rating)',
      sql`update stats_report_facts set fact = jsonb_set(fact, '{rating}', '4') where fact->>'rating' = '5'`,
    ],
  ])('%s: the bytes and the ETag change; the old ETag gets 200', async (_name, change) => {
    const before = await csv();
    await db().execute(change);
    const after = await csv();
    expect(after.body).not.toBe(before.body);
    expect(after.etag).not.toBe(before.etag);
    const res = await fetch(`${t.url}/api/v1/open-data/reports.csv`, {
      headers: { 'if-none-match': before.etag },
    });
    expect(res.status).toBe(200);
  });

  it('a report made rahasia leaves the file and changes the ETag at once, before any refresh', async () => {
    const before = await csv();
    expect(before.body).toContain(ids.returned);
    const r = await t.api(`/api/v1/reports/${ids.returned}/privacy`, {
      json: { confidential: true },
      token: await t.login(DEMO.coordinator),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = await csv();
    expect(after.body).not.toContain(ids.returned);
    expect(after.etag).not.toBe(before.etag);
  });
});
