/**
 * Integrator QA fixes over real HTTP: the open-data CSV writes booleans as `true`/`false` and leaves only nulls empty
 * (M1); a malformed snapshot checksum is 422 like every malformed path parameter (L2); similar reports give
 * `createdAt` with the report's offset, equal to the report's own (L3); `lat` without `lon` (or the reverse) is a
 * 422 on the missing one (L4); a bad list-filter item is reported on the field's name, not `status.0` (L5).
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';
import { fieldKeyOf } from '../../plugins/errors.ts';

let t: TestApp;
let categoryId: number;
let coord: string;
const ids: Record<string, string> = {};

const TITLE = 'Drainase tersumbat menyebabkan banjir di Jalan Pahlawan';
const BODY =
  'Saluran drainase di tepi Jalan Pahlawan tersumbat sampah dan lumpur, setiap hujan air meluap ke jalan dan rumah.';

const valid = {
  classification: 'pengaduan',
  title: 'Lampu penerangan jalan padam',
  body: 'Lampu penerangan jalan di depan balai warga padam sejak dua minggu, jalan gelap di malam hari.',
  anonymous: true,
};

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-02T02:00:00Z') }); // Monday 10:00 WITA
  categoryId = await categoryIdByName(t);
  coord = await t.login(DEMO.coordinator);
  // Verified and never followed up: its follow-up deadline passes (followedUpOnTime false).
  ids.late = await submitReport(t, TITLE, { body: BODY, anonymous: true });
  await actOk(t, ids.late, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  t.setNow(new Date('2026-04-20T02:00:00Z'));
  coord = await t.login(DEMO.coordinator);
  // Verified just now: its follow-up is not yet due (followedUpOnTime null).
  ids.fresh = await submitReport(t, 'Jembatan kayu di desa rusak parah', { anonymous: true });
  await actOk(t, ids.fresh, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  await refreshStats(t.runtime.services);
});
afterAll(() => t?.close());

describe('M1: open-data CSV booleans', () => {
  it('writes true/false, leaves only nulls empty, and agrees with the JSON cell for cell', async () => {
    const json = await t.api('/api/v1/open-data/reports.json');
    expect(json.status).toBe(200);
    const csv = await t.api('/api/v1/open-data/reports.csv');
    expect(csv.status).toBe(200);
    const [header, ...rows] = parse(csv.body as string) as string[][];
    expect(header).toEqual(json.body.columns);
    expect(rows).toHaveLength(json.body.total);
    const byId = new Map(rows.map((r) => [r[0], r]));
    const seen = { true: 0, false: 0, null: 0 };
    for (const item of json.body.items as Record<string, unknown>[]) {
      const row = byId.get(item.trackingId as string)!;
      header!.forEach((col, i) => {
        const v = item[col];
        const expected =
          v === null ? '' : Array.isArray(v) ? v.join('/') : typeof v === 'boolean' ? String(v) : String(v);
        expect(row[i], `${item.trackingId} ${col}`).toBe(expected);
        if (typeof v === 'boolean') seen[String(v) as 'true' | 'false'] += 1;
        if (v === null) seen.null += 1;
      });
    }
    expect(seen.true).toBeGreaterThan(0);
    expect(seen.false).toBeGreaterThan(0);
    expect(seen.null).toBeGreaterThan(0);

    // Late and not yet due are told apart, as in the JSON.
    const col = header!.indexOf('followedUpOnTime');
    const late = json.body.items.find((i: any) => i.trackingId === ids.late);
    const fresh = json.body.items.find((i: any) => i.trackingId === ids.fresh);
    expect(late.followedUpOnTime).toBe(false);
    expect(fresh.followedUpOnTime).toBeNull();
    expect(byId.get(ids.late!)![col]).toBe('false');
    expect(byId.get(ids.fresh!)![col]).toBe('');
    expect(byId.get(ids.late!)![header!.indexOf('completed')]).toBe('false');
    expect(byId.get(ids.late!)![header!.indexOf('verified')]).toBe('true');
  });
});

describe('L2: malformed path parameters', () => {
  it('answers 422 VALIDATION_FAILED on the snapshot checksum, as on a tracking number', async () => {
    for (const [path, field] of [
      ['/api/v1/open-data/snapshots/abc', 'sha256'],
      [`/api/v1/open-data/snapshots/${'A'.repeat(64)}`, 'sha256'],
      ['/api/v1/reports/abc', 'trackingId'],
    ] as const) {
      const r = await t.api(path);
      expect(r.status, path).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(r.body.error.fields)).toEqual([field]);
      expect(r.body.error.translations.en.fields[field]).toBeTruthy();
    }
    const unknown = await t.api(`/api/v1/open-data/snapshots/${'0'.repeat(64)}`);
    expect(unknown.status).toBe(404);
  });
});

describe('L3: similar reports give createdAt with the report offset', () => {
  it('public /similar and staff /reports/{id}/similar match the report read', async () => {
    const report = await t.api(`/api/v1/reports/${ids.late}`);
    expect(report.status).toBe(200);
    expect(report.body.createdAt).toMatch(/\+08:00$/);

    const q = new URLSearchParams({ title: TITLE, body: BODY, regionCode: '64.72' });
    const pub = await t.api(`/api/v1/similar?${q}`);
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    const hit = pub.body.items.find((i: any) => i.trackingId === ids.late);
    expect(hit, JSON.stringify(pub.body)).toBeTruthy();
    expect(hit.createdAt).toBe(report.body.createdAt);
    for (const i of pub.body.items) expect(i.createdAt).toMatch(/[+-]\d{2}:\d{2}$/);

    const dup = await submitReport(t, TITLE, { body: BODY, anonymous: true });
    const staff = await t.api(`/api/v1/reports/${dup}/similar`, { token: coord });
    expect(staff.status, JSON.stringify(staff.body)).toBe(200);
    const same = staff.body.items.find((i: any) => i.trackingId === ids.late);
    expect(same, JSON.stringify(staff.body)).toBeTruthy();
    expect(same.createdAt).toBe(report.body.createdAt);
  });
});

describe('L4: lat and lon come together', () => {
  const post = (json: unknown) => t.api('/api/v1/reports', { json });

  it('refuses lat without lon (with or without regionCode) with a message on lon, in both languages', async () => {
    for (const extra of [{ regionCode: '64.71', lat: -1.2 }, { lat: -1.2 }]) {
      const r = await post({ ...valid, ...extra });
      expect(r.status, JSON.stringify(extra)).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(r.body.error.fields)).toEqual(['lon']);
      expect(r.body.error.translations.id.fields.lon).toBe('lat dan lon harus dikirim bersama.');
      expect(r.body.error.translations.en.fields.lon).toBe('lat and lon must be sent together.');
    }
  });

  it('refuses lon without lat with a message on lat, next to the other field errors', async () => {
    const r = await post({ ...valid, regionCode: '64.71', lon: 116.83, title: 'x' });
    expect(r.status).toBe(422);
    expect(r.body.error.fields).toHaveProperty('lat');
    expect(r.body.error.fields).toHaveProperty('title');
    expect(r.body.error.translations.en.fields.lat).toBe('lat and lon must be sent together.');
  });

  it('keeps the point when both are given', async () => {
    const r = await post({ ...valid, regionCode: '64.71', lat: -1.2654, lon: 116.8312 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const read = await t.api(`/api/v1/reports/${r.body.trackingId}`, { accessKey: r.body.accessKey });
    expect(read.body.location).toEqual({ lat: -1.2654, lon: 116.8312 });
  });
});

describe('L5: field keys of list filters', () => {
  it('reports a bad status item on `status`, not `status.0`', async () => {
    for (const status of ['x', 'completed,bogus', 'bogus,also-bogus']) {
      const r = await t.api(`/api/v1/reports?status=${status}`);
      expect(r.status, status).toBe(422);
      expect(Object.keys(r.body.error.fields), status).toEqual(['status']);
      expect(r.body.error.translations.en.fields.status).toMatch(/submitted/);
    }
  });

  it('keeps nested object keys dotted', async () => {
    const r = await t.api('/api/v1/reports', {
      json: {
        ...valid,
        anonymous: false,
        regionCode: '64.71',
        reporter: { name: 'A', email: 'bukan-email' },
      },
    });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body.error.fields)).toEqual(['reporter.email']);
  });

  it('fieldKeyOf drops trailing array indexes only', () => {
    expect(fieldKeyOf('/status/0')).toBe('status');
    expect(fieldKeyOf('/status/12')).toBe('status');
    expect(fieldKeyOf('/events/1')).toBe('events');
    expect(fieldKeyOf('/reporter/email')).toBe('reporter.email');
    expect(fieldKeyOf('/groups/0/name')).toBe('groups.0.name');
    expect(fieldKeyOf('/groups/0/participants/3')).toBe('groups.0.participants');
    expect(fieldKeyOf('/v2')).toBe('v2');
    expect(fieldKeyOf('/0')).toBe('_');
    expect(fieldKeyOf('')).toBe('_');
  });
});
