/**
 * Statistics and open data over real HTTP: indicators per group from the roll-up, partial ranges equal
 * to whole months, CSV/XLSX exports, and open data / snapshots that never contain confidential
 * reports, unverified reports or any reporter identity (with a confidential and an anonymous report present).
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';
import { snapshotOpenData } from '../../../commands/snapshot-open-data.ts';
import { sql } from 'drizzle-orm';
import { query } from '../../../db/client.ts';
import { scopedStatsRead } from '../../../queries/stats.ts';

let t: TestApp;
let categoryId: number;
const ids: Record<string, string> = {};

const base = {
  classification: 'pengaduan',
  title: 'Jalan rusak di depan pasar',
  body: 'Jalan di depan pasar rusak parah dan berlubang, membahayakan pengendara motor setiap hari.',
  regionCode: '64.72.02',
  reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id', phone: '081234567890' },
};

async function submit(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', { json: { ...base, ...extra } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}
function act(id: string, action: string, body: unknown, auth: { token?: string; accessKey?: string }) {
  return actOk(t, id, action, body, auth);
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') }); // Thursday 10:00 WITA
  categoryId = await categoryIdByName(t);
  const coord = await t.login(DEMO.coordinator);

  const a = await submit();
  ids.completed = a.trackingId;
  await act(a.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  const b = await submit({ confidential: true, title: 'Pungli RAHASIA-XYZ di kantor' });
  ids.confidential = b.trackingId;
  await act(b.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  const c = await submit({
    anonymous: true,
    reporter: { name: 'Siti Anonimwati', email: 'siti.anonim@contoh.aduan.id', phone: '081299990000' },
  });
  ids.anonymous = c.trackingId;
  await act(c.trackingId, 'verify', { categoryId, agencyId: 'dinkes-kaltim' }, { token: coord });
  ids.unverified = (await submit()).trackingId;
  const e = await submit();
  ids.returned = e.trackingId;
  await act(e.trackingId, 'verify', { categoryId, agencyId: 'dinkes-kaltim' }, { token: coord });

  t.setNow(new Date('2026-03-13T02:00:00Z')); // Friday: first follow-up after 1 working day, 24 h
  const pupr = await t.login(DEMO.puprAdmin);
  await act(a.trackingId, 'respond', { body: 'Sudah diperbaiki.', final: true }, { token: pupr });
  await act(a.trackingId, 'accept', { rating: 5 }, { accessKey: a.accessKey });

  t.setNow(new Date('2026-03-16T02:00:00Z')); // Monday: Dinkes returns E (2 working days lost)
  await act(
    e.trackingId,
    'return',
    { note: 'Ini kewenangan Dinas PUPR.', suggestedAgencyId: 'pupr-kaltim' },
    {
      token: await t.login(DEMO.dinkesAdmin),
    },
  );
  await act(
    e.trackingId,
    'verify',
    { categoryId, agencyId: 'pupr-kaltim' },
    { token: await t.login(DEMO.coordinator) },
  );

  t.setNow(new Date('2026-04-15T02:00:00Z'));
  const r = await refreshStats(t.runtime.services);
  expect(r.reports).toBe(5);
  expect(r.months).toEqual(['2026-03']);
});
afterAll(() => t?.close());

describe('GET /api/v1/stats', () => {
  it('answers the indicators per agency, rolled up the tree', async () => {
    const r = await t.api('/api/v1/stats?groupBy=agency&from=2026-03-01&to=2026-03-31');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Public figures leave the confidential report out (see 'confidential reports' below).
    expect(r.body.totals).toMatchObject({
      received: 4,
      verified: 3,
      completed: 1,
      returned: 1,
      misroutedWorkingDays: 2,
    });
    const pupr = r.body.items.find((i: any) => i.key === 'pupr-kaltim');
    expect(pupr).toMatchObject({
      label: expect.stringContaining('Pekerjaan Umum'),
      received: 2,
      completed: 1,
      followedUpOnTime: 1,
      medianHoursToFollowUp: 24,
      medianWorkingDaysToFollowUp: 1,
      satisfaction: { meanRating: 5, ratings: 1, disputed: 0 },
    });
    for (const k of [
      'received',
      'verifiedOnTime',
      'followedUpOnTime',
      'completed',
      'overdue',
      'medianHoursToFollowUp',
      'completionRate',
      'satisfaction',
    ]) {
      expect(pupr).toHaveProperty(k);
    }
    const root = r.body.items.find((i: any) => i.key === 'pemprov-kaltim');
    expect(root.received).toBe(3);
    const unrouted = r.body.items.find((i: any) => i.key === '-');
    expect(unrouted).toMatchObject({ received: 1, overdue: 1 });
  });

  it('a partial range (day rows; edge facts in a scope) gives the same numbers as the whole month', async () => {
    const whole = await t.api('/api/v1/stats?groupBy=region&from=2026-03-01&to=2026-03-31');
    const part = await t.api('/api/v1/stats?groupBy=region&from=2026-03-12&to=2026-03-12');
    expect(part.body.items).toEqual(whole.body.items);
    expect(whole.body.items.map((i: any) => [i.key, i.received])).toEqual([
      ['64', 4],
      ['64.72', 4],
    ]);
    const none = await t.api('/api/v1/stats?groupBy=region&from=2026-03-13&to=2026-04-30');
    expect(none.body.totals.received).toBe(0);
    // Scopes below the national one have no day rows: their edge days are read from the facts.
    const db = t.runtime.services.db;
    const now = new Date('2026-04-15T02:00:00Z');
    for (const scope of [
      { kind: 'region', regionCode: '64' } as const,
      { kind: 'agency', agencyId: 'pemprov-kaltim' } as const,
    ]) {
      const month = await scopedStatsRead(db, scope, {
        groupBy: 'region',
        from: '2026-03-01',
        to: '2026-03-31',
        now,
      });
      const day = await scopedStatsRead(db, scope, {
        groupBy: 'region',
        from: '2026-03-12',
        to: '2026-03-12',
        now,
      });
      expect(day.items, scope.kind).toEqual(month.items);
      expect(day.totals, scope.kind).toEqual(month.totals);
    }
  });

  it('`top` keeps the groups ranked first by reports received (ties included)', async () => {
    const all = await scopedStatsRead(
      t.runtime.services.db,
      { kind: 'national' },
      {
        groupBy: 'agency',
        from: '2026-03-01',
        to: '2026-03-31',
        now: new Date('2026-04-15T02:00:00Z'),
      },
    );
    const top = await scopedStatsRead(
      t.runtime.services.db,
      { kind: 'national' },
      {
        groupBy: 'agency',
        from: '2026-03-01',
        to: '2026-03-31',
        now: new Date('2026-04-15T02:00:00Z'),
        top: 1,
      },
    );
    expect(top.totals).toEqual(all.totals);
    const most = all.items[0]!.received;
    expect(top.items).toEqual(all.items.filter((i) => i.received === most));
  });

  it('year, quarter, month, week and edge days of the roll-up all give the same numbers', async () => {
    // All reports were received on Thursday 12 March 2026: each range below is read from a different
    // roll-up grain (year, quarter, month, ISO week) or from the edge facts, and must agree.
    const ranges = [
      ['2026-01-01', '2026-12-31'],
      ['2026-01-01', '2026-03-31'],
      ['2026-03-01', '2026-03-31'],
      ['2026-03-09', '2026-03-15'],
      ['2026-03-10', '2026-03-12'],
      ['2025-11-20', '2026-11-19'],
      // Day rows; "to date" (no report after 12 March): the year bucket.
      ['2026-03-12', '2026-03-12'],
      ['2026-01-01', '2026-03-12'],
    ];
    for (const groupBy of ['agency', 'region', 'channel']) {
      const answers = [];
      for (const [from, to] of ranges) {
        const r = await t.api(`/api/v1/stats?groupBy=${groupBy}&from=${from}&to=${to}`);
        expect(r.status).toBe(200);
        answers.push({ totals: r.body.totals, items: r.body.items });
      }
      for (const a of answers.slice(1)) expect(a, groupBy).toEqual(answers[0]);
      expect(answers[0]!.totals.received).toBe(4);
    }
    for (const scope of ['*', 'p*']) {
      const rows = await query<{ grain: string }>(
        t.runtime.services.db,
        sql`select grain, count(*)::int as n from stats_rollup where scope = ${scope} group by grain order by grain`,
      );
      expect(rows.map((r) => r.grain)).toEqual(['d', 'm', 'q', 'w', 'y']);
    }
  });

  it('groups by classification, channel, category and month', async () => {
    for (const [g, key] of [
      ['classification', 'pengaduan'],
      ['channel', 'api'],
      ['category', String(categoryId)],
      ['month', '2026-03'],
    ]) {
      const r = await t.api(`/api/v1/stats?groupBy=${g}&from=2026-01-01&to=2026-12-31`);
      expect(r.status).toBe(200);
      expect(r.body.items.find((i: any) => i.key === key)?.received, g).toBeGreaterThan(0);
    }
  });

  it('rejects bad input with 4xx and bilingual field messages', async () => {
    let r = await t.api('/api/v1/stats?groupBy=agency&from=2026-04-01&to=2026-03-01');
    expect(r.status).toBe(422);
    expect(r.body.error.fields.from).toContain('tidak boleh');
    r = await t.api('/api/v1/stats?groupBy=bogus');
    expect([400, 422]).toContain(r.status);
    r = await t.api('/api/v1/stats?from=2026-13-45');
    expect([400, 422]).toContain(r.status);
  });

  it('never lists confidential report detail in statistics', async () => {
    const r = await t.api('/api/v1/stats?groupBy=agency&from=2026-03-01&to=2026-03-31');
    expect(JSON.stringify(r.body)).not.toContain(ids.confidential);
    expect(JSON.stringify(r.body)).not.toContain('RAHASIA-XYZ');
  });

  it('exports the table as CSV and XLSX', async () => {
    const csv = await t.api('/api/v1/stats.csv?groupBy=agency&from=2026-03-01&to=2026-03-31');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('Diterima');
    expect(csv.body).toMatch(/pupr-kaltim,[^\n]*,2,/);
    const res = await fetch(
      `${t.url}/api/v1/stats.xlsx?groupBy=agency&from=2026-03-01&to=2026-03-31&lang=en`,
    );
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(3).value).toBe('Received');
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.some((row) => row[1] === 'pupr-kaltim' && row[3] === 2)).toBe(true);
  });
});

describe('confidential reports', () => {
  const now = new Date('2026-04-15T02:00:00Z');
  const march = { from: '2026-03-01', to: '2026-03-31', now };

  it('public statistics leave them out on every grain; staff statistics count them', async () => {
    const db = t.runtime.services.db;
    const staff = await scopedStatsRead(db, { kind: 'national' }, { groupBy: 'agency', ...march });
    expect(staff.totals.received).toBe(5);
    expect(staff.items.find((i) => i.key === 'pupr-kaltim')?.received).toBe(3);
    const region = await scopedStatsRead(
      db,
      { kind: 'region', regionCode: '64' },
      { groupBy: 'agency', ...march },
    );
    expect(region.totals.received).toBe(5);
    // The confidential report was received on 12 March with the open ones; narrowing the public figures to its
    // day, agency and category finds only the public reports: the open-data rows, counted again.
    for (const [groupBy, key] of [
      ['agency', 'pupr-kaltim'],
      ['category', String(categoryId)],
      ['classification', 'pengaduan'],
    ]) {
      for (const [from, to] of [
        ['2026-03-12', '2026-03-12'],
        ['2026-03-09', '2026-03-15'],
        ['2026-01-01', '2026-12-31'],
      ] as const) {
        const r = await t.api(`/api/v1/stats?groupBy=${groupBy}&from=${from}&to=${to}&parent=${key}`);
        expect(r.status).toBe(200);
        const group = r.body.items.find((i: any) => i.key === key);
        const staffGroup = (
          await scopedStatsRead(db, { kind: 'national' }, { groupBy: groupBy as 'agency', from, to, now })
        ).items.find((i) => i.key === key);
        expect(group.received, `${groupBy} ${from}`).toBe(staffGroup!.received - 1);
      }
    }
  });
});

describe('open data', () => {
  const forbidden = () => [
    ids.confidential!,
    ids.unverified!,
    'RAHASIA-XYZ',
    'Siti Anonimwati',
    'siti.anonim',
    '081299990000',
    'Warga Uji',
    'warga.uji',
    'Jalan rusak',
    'anonymous',
    'confidential',
  ];

  it('reports.json has one row per public report and no personal data', async () => {
    const r = await t.api('/api/v1/open-data/reports.json');
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: any) => i.trackingId).sort()).toEqual(
      [ids.completed, ids.anonymous, ids.returned].sort(),
    );
    const text = JSON.stringify(r.body);
    for (const f of forbidden()) expect(text, f).not.toContain(f);
    const e = r.body.items.find((i: any) => i.trackingId === ids.returned);
    expect(e).toMatchObject({
      returnCount: 1,
      misroutedWorkingDays: 2,
      agencyId: 'pupr-kaltim',
      region: expect.any(String),
    });
  });

  it('reports.csv has the same rows', async () => {
    const r = await t.api('/api/v1/open-data/reports.csv');
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = r.body.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^trackingId,classification,/);
    for (const f of forbidden()) expect(r.body, f).not.toContain(f);
  });

  it('pages the rows: limit, a next cursor in JSON and in Link, every row once, none of the hidden ones', async () => {
    const all = (await t.api('/api/v1/open-data/reports.json')).body;
    expect(all).toMatchObject({ total: 3, limit: 1000, next: null });
    const seen: string[] = [];
    const etags = new Set<string>();
    let url: string | null = `${t.url}/api/v1/open-data/reports.json?limit=1`;
    while (url) {
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      const text = await res.text();
      for (const f of forbidden()) expect(text, `${url}: ${f}`).not.toContain(f);
      const page = JSON.parse(text);
      expect(page).toMatchObject({ total: 3, limit: 1 });
      expect(page.items).toHaveLength(1);
      seen.push(page.items[0].trackingId);
      // The Link header names the same next page as the body; the last page has neither.
      expect(res.headers.get('link')).toBe(page.next ? `<${page.next}>; rel="next"` : null);
      // ETag per page: this page revalidates to 304, and each page has its own tag.
      const etag = res.headers.get('etag')!;
      expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
      etags.add(etag);
      if (page.next) expect(new URL(page.next).origin).toBe(t.url);
      url = page.next;
    }
    expect(seen).toEqual(all.items.map((i: any) => i.trackingId));
    expect(etags.size).toBe(3);
  });

  it('pages the CSV the same way; without limit or cursor the CSV is every row', async () => {
    const whole = await fetch(`${t.url}/api/v1/open-data/reports.csv`);
    expect(whole.headers.get('link')).toBeNull();
    const wholeLines = (await whole.text()).trim().split('\n');
    expect(wholeLines).toHaveLength(4);
    const rows: string[] = [];
    let url: string | null = `${t.url}/api/v1/open-data/reports.csv?limit=2`;
    while (url) {
      const res: Response = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const text = await res.text();
      for (const f of forbidden()) expect(text, `${url}: ${f}`).not.toContain(f);
      const [header, ...lines] = text.trim().split('\n');
      expect(header).toBe(wholeLines[0]);
      rows.push(...lines);
      const link: string | null = res.headers.get('link');
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
      if (url) expect(new URL(url).pathname).toBe('/api/v1/open-data/reports.csv');
    }
    expect(rows).toEqual(wholeLines.slice(1));
  });

  it.each([
    ['limit=0', 'limit', 'Minimal 1.', 'At least 1.'],
    ['limit=10001', 'limit', 'Maksimal 10000.', 'At most 10000.'],
    ['limit=abc', 'limit', 'Jenis nilai tidak valid.', 'The value has the wrong type.'],
    [
      'cursor=bukan-kursor',
      'cursor',
      'Kursor halaman tidak valid: gunakan tautan next dari halaman sebelumnya.',
      'The page cursor is not valid: use the next link of the previous page.',
    ],
    [
      // Well-formed base64url of something that is no position (a date that does not exist).
      `cursor=${Buffer.from('2026-02-30_1234567890').toString('base64url')}`,
      'cursor',
      'Kursor halaman tidak valid: gunakan tautan next dari halaman sebelumnya.',
      'The page cursor is not valid: use the next link of the previous page.',
    ],
  ])('%s → 422 naming the field in both languages (JSON and CSV)', async (q, field, id, en) => {
    for (const ext of ['json', 'csv']) {
      const r = await t.api(`/api/v1/open-data/reports.${ext}?${q}`);
      expect(r.status, ext).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.translations.id.fields[field]).toBe(id);
      expect(r.body.error.translations.en.fields[field]).toBe(en);
    }
  });

  it('serves the data dictionary', async () => {
    const r = await t.api('/api/v1/open-data/dictionary');
    expect(r.body.columns.map((c: any) => c.name)).toContain('workingDaysToFollowUp');
    for (const c of r.body.columns) expect(c.id && c.en && c.type).toBeTruthy();
  });

  it('writes a checksummed snapshot and serves the latest one', async () => {
    let r = await t.api('/api/v1/open-data/snapshots/latest');
    expect(r.status).toBe(404);
    const written = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    expect(written.rows).toBe(3);
    const res = await fetch(`${t.url}/api/v1/open-data/snapshots/latest`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(res.headers.get('x-checksum-sha256')).toBe(sha);
    expect(sha).toBe(written.sha256);
    const text = bytes.toString('utf8');
    for (const f of forbidden()) expect(text, f).not.toContain(f);
    const doc = JSON.parse(text);
    expect(doc.reports).toHaveLength(3);
    expect(doc.agencies.find((a: any) => a.id === 'pupr-kaltim')).toMatchObject({
      admins: expect.any(Number),
    });
    r = await t.api('/api/v1/open-data/snapshots/latest.sha256');
    expect(r.body).toMatchObject({ sha256: sha, rows: 3 });
  });
});

describe('incremental refresh', () => {
  it('leaves every roll-up row (days, weeks, months, quarters, years) equal to a full rebuild', async () => {
    const rollup = () =>
      query<Record<string, unknown>>(
        t.runtime.services.db,
        sql`select scope, dim, grain, bucket::text as bucket, key, c, h from stats_rollup
            order by scope, dim, grain, bucket, key`,
      );
    // A new report in another month, one verified late, one followed up: three dates, two months.
    t.setNow(new Date('2026-04-20T02:00:00Z'));
    const coord = await t.login(DEMO.coordinator);
    const n = await submit({ regionCode: '64.71.01' });
    await act(n.trackingId, 'verify', { categoryId, agencyId: 'dinkes-kaltim' }, { token: coord });
    await act(ids.unverified!, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    t.setNow(new Date('2026-04-22T02:00:00Z'));
    const r = await refreshStats(t.runtime.services);
    expect(r.months).toEqual(['2026-03', '2026-04']);
    const incremental = await rollup();
    expect(
      incremental.filter((x) => x.grain === 'd' && x.dim === 'all' && x.scope === '*').map((x) => x.bucket),
    ).toEqual(['2026-03-12', '2026-04-20']);
    await refreshStats(t.runtime.services, { full: true });
    expect(await rollup()).toEqual(incremental);
    const day = await t.api('/api/v1/stats?groupBy=region&from=2026-04-20&to=2026-04-20');
    expect(day.body.items.map((i: any) => [i.key, i.received])).toEqual([
      ['64', 1],
      ['64.71', 1],
    ]);
  });
});

describe('open-data snapshots and rahasia', () => {
  it('withdraws from a served snapshot and from public statistics the rows of reports made rahasia later', async () => {
    const coord = await t.login(DEMO.coordinator);
    const later = await submit({ title: 'Jembatan penyeberangan RAHASIA-NANTI rusak' });
    await act(later.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
    const written = await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    t.setNow(new Date(t.runtime.services.now().getTime() + 60_000));
    await refreshStats(t.runtime.services);
    const range = { groupBy: 'agency' as const, from: '2026-01-01', to: '2026-12-31' };
    const publicReceived = async () =>
      (await t.api(`/api/v1/stats?groupBy=agency&from=${range.from}&to=${range.to}`)).body.totals.received;
    const staffReceived = async () =>
      (
        await scopedStatsRead(
          t.runtime.services.db,
          { kind: 'national' },
          { ...range, now: t.runtime.services.now() },
        )
      ).totals.received;
    const [publicBefore, staffBefore] = [await publicReceived(), await staffReceived()];
    const stored = await fetch(`${t.url}/api/v1/open-data/snapshots/latest`);
    expect(await stored.text()).toContain(later.trackingId);
    expect(stored.headers.get('x-snapshot-withdrawn-rows')).toBeNull();

    t.setNow(new Date(t.runtime.services.now().getTime() + 60_000));
    const made = await t.api(`/api/v1/reports/${later.trackingId}/privacy`, {
      json: { confidential: true },
      token: coord,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    // The statistics too: the public figures no longer count it after the next refresh; staff ones still do.
    t.setNow(new Date(t.runtime.services.now().getTime() + 60_000));
    await refreshStats(t.runtime.services);
    expect(await publicReceived()).toBe(publicBefore - 1);
    expect(await staffReceived()).toBe(staffBefore);
    for (const path of ['latest', written.sha256]) {
      const res = await fetch(`${t.url}/api/v1/open-data/snapshots/${path}`);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString('utf8');
      expect(text, path).not.toContain(later.trackingId);
      expect(text, path).not.toContain('RAHASIA-NANTI');
      expect(res.headers.get('x-checksum-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(res.headers.get('x-snapshot-original-sha256')).toBe(written.sha256);
      expect(res.headers.get('x-snapshot-withdrawn-rows')).toBe('1');
      const doc = JSON.parse(text);
      expect(doc.reports).toHaveLength(written.rows - 1);
      expect(doc.withdrawnRows).toBe(1);
    }
  });
});
