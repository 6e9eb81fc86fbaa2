/**
 * The whole-file open-data CSV (`/api/v1/open-data/reports.csv` without `limit`/`cursor`) is streamed: its rows are
 * read a page at a time through the keyset cursor (`openDataRowPages`) and written as they come. With the page size
 * lowered so the fixture's reports span several pages, the bytes equal the CSV built in memory from every row at once
 * (what was served before), with and without `from`/`to`; the ETag is that of those bytes (304 on If-None-Match); the
 * confidential report and the anonymous reporter are absent. Real HTTP, real database.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { SECRET, seedStatsReports } from '../../../../test/helpers/stats-fixture.ts';
import { etagOf } from '../../plugins/conditional-get.ts';
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
    expect(res.headers.get('etag')).toBe(etagOf(expected));
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
