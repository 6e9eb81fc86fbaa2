/**
 * The yearly holiday load and the confirmation after the SKB over the JSON API (real database, real HTTP), as the
 * calendar page and `aduan holidays load|confirm --json` do: national admin only (401 without a session, 403 for a
 * coordinator), bilingual field errors (422), a dry run writes nothing (200), the load adds the certain dates and the
 * predictions (201), moves a running deadline and writes `holiday.load`, a second load adds nothing (200); confirming
 * one date, then the rest of the year, writes `holiday.confirm`; a date with no prediction is 404.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, submitReport, type TestApp } from '../../../../test/helpers/app.ts';
import { auditLog } from '../../../../test/helpers/admin-audit.ts';

let t: TestApp;
const log = auditLog(() => t);
beforeAll(async () => {
  // Wednesday 30 December 2026 (WITA): the 2027 calendar is empty in the test database.
  t = await startTestApp({ now: new Date('2026-12-30T02:00:00Z') });
});
afterAll(() => t?.close());

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function holidays2027() {
  return rows<{ date: string; tentative: boolean }>(
    sql`select date::text as date, tentative from holidays
        where region_code is null and date between '2027-01-01' and '2027-12-31' order by date`,
  );
}

async function dueAtOf(trackingId: string) {
  const [d] = await rows<{ due_at: string | Date }>(
    sql`select d.due_at from report_deadlines d join reports r on r.id = d.report_id
        where r.tracking_id = ${trackingId} and d.stopped_at is null`,
  );
  return new Date(d!.due_at).toISOString();
}

describe('POST /api/v1/holidays/load and /confirm', () => {
  it('needs a session (401) and the national admin (403); nothing is written', async () => {
    expect((await t.api('/api/v1/holidays/load', { json: { year: 2027 } })).status).toBe(401);
    expect((await t.api('/api/v1/holidays/confirm', { json: { year: 2027 } })).status).toBe(401);
    const coord = await t.login(DEMO.coordinator);
    const load = await t.api('/api/v1/holidays/load', { json: { year: 2027 }, token: coord });
    expect(load.status).toBe(403);
    const dry = await t.api('/api/v1/holidays/load', { json: { year: 2027, dryRun: true }, token: coord });
    expect(dry.status).toBe(403);
    const confirm = await t.api('/api/v1/holidays/confirm', { json: { year: 2027 }, token: coord });
    expect(confirm.status).toBe(403);
    expect(await holidays2027()).toEqual([]);
  });

  it('refuses bad input with field messages in both languages (422)', async () => {
    const nat = await t.login(DEMO.national);
    const badLoad = await t.api('/api/v1/holidays/load', {
      json: { year: 1999, dryRun: 'ya', extra: 1 },
      token: nat,
    });
    expect(badLoad.status).toBe(422);
    expect(Object.keys(badLoad.body.error.fields).sort()).toEqual(['dryRun', 'extra', 'year']);
    expect(badLoad.body.error.translations.en.fields.year).toContain('2000');
    expect(badLoad.body.error.translations.id.fields.year).toContain('2000');
    const noYear = await t.api('/api/v1/holidays/load', { json: {}, token: nat });
    expect(noYear.status).toBe(422);
    expect(Object.keys(noYear.body.error.fields)).toEqual(['year']);
    const otherYear = await t.api('/api/v1/holidays/confirm', {
      json: { year: 2027, date: '2028-01-01' },
      token: nat,
    });
    expect(otherYear.status).toBe(422);
    expect(otherYear.body.error.translations.en.fields.date).toBe(
      'The date must fall in the year given as year.',
    );
    expect(otherYear.body.error.translations.id.fields.date).toBe(
      'Tanggal harus berada dalam tahun yang diisi pada year.',
    );
    const badDate = await t.api('/api/v1/holidays/confirm', {
      json: { year: 2027, date: '2027-02-30' },
      token: nat,
    });
    expect(badDate.status).toBe(422);
    expect(Object.keys(badDate.body.error.fields)).toEqual(['date']);
    expect(await holidays2027()).toEqual([]);
  });

  it('a dry run says what it would add; the load adds it, moves a deadline and is idempotent', async () => {
    const tracking = await submitReport(t, 'Lampu jalan padam di depan pasar', { anonymous: true });
    const before = await dueAtOf(tracking);
    const nat = await t.login(DEMO.national);
    const since = await log.lastId();
    const dry = await t.api('/api/v1/holidays/load', { json: { year: 2027, dryRun: true }, token: nat });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ year: 2027, dryRun: true, recomputed: 0, kept: [] });
    expect(dry.body.added).toHaveLength(19);
    expect(dry.body.added.filter((h: any) => h.tentative)).toHaveLength(11);
    expect(dry.body.added[0]).toEqual({
      date: '2027-01-01',
      name: 'Tahun Baru 2027 Masehi',
      kind: 'libur_nasional',
      tentative: false,
    });
    expect(await holidays2027()).toEqual([]);
    expect(await log.entriesAfter(since)).toEqual([]);

    const load = await t.api('/api/v1/holidays/load', { json: { year: 2027 }, token: nat });
    expect(load.status).toBe(201);
    expect(load.body).toMatchObject({ year: 2027, dryRun: false, kept: [] });
    expect(load.body.added).toEqual(dry.body.added);
    expect(load.body.recomputed).toBeGreaterThan(0);
    const stored = await holidays2027();
    expect(stored).toHaveLength(19);
    expect(stored.filter((h) => h.tentative)).toHaveLength(11);
    expect(Date.parse(await dueAtOf(tracking))).toBeGreaterThan(Date.parse(before));
    const entries = await log.entriesAfter(since);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'holiday.load', target_id: '2027' });
    expect(entries[0]!.details).toMatchObject({
      year: 2027,
      added: 19,
      tentative: 11,
      recomputed: load.body.recomputed,
    });

    // Loading again adds nothing, moves nothing and writes no entry: 200 with every date under `kept`.
    const mid = await log.lastId();
    const again = await t.api('/api/v1/holidays/load', { json: { year: 2027 }, token: nat });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ year: 2027, dryRun: false, added: [], recomputed: 0 });
    expect(again.body.kept).toHaveLength(19);
    expect(await holidays2027()).toEqual(stored);
    expect(await log.entriesAfter(mid)).toEqual([]);
  });

  it('confirms one prediction, then the rest of the year; a date with no prediction is 404', async () => {
    const nat = await t.login(DEMO.national);
    const since = await log.lastId();
    const one = await t.api('/api/v1/holidays/confirm', {
      json: { year: 2027, date: '2027-01-05' },
      token: nat,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ year: 2027, date: '2027-01-05', confirmed: ['2027-01-05'] });
    expect(one.body.recomputed).toBeGreaterThan(0);
    const twice = await t.api('/api/v1/holidays/confirm', {
      json: { year: 2027, date: '2027-01-05' },
      token: nat,
    });
    expect(twice.status).toBe(404);
    const rest = await t.api('/api/v1/holidays/confirm', { json: { year: 2027 }, token: nat });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ year: 2027, date: null });
    expect(rest.body.confirmed).toHaveLength(10);
    expect((await holidays2027()).some((h) => h.tentative)).toBe(false);
    const entries = await log.entriesAfter(since);
    expect(entries.map((e) => [e.action, e.target_id, e.details.confirmed])).toEqual([
      ['holiday.confirm', '2027-01-05', 1],
      ['holiday.confirm', '2027', 10],
    ]);
    // Nothing left: an empty confirmation of the year is not an error.
    const none = await t.api('/api/v1/holidays/confirm', { json: { year: 2027 }, token: nat });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ confirmed: [], recomputed: 0 });
  });
});
