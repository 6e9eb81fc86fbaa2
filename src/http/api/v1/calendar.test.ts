/** The holiday calendar: warnings for a missing year, national entries by the national admin, regional ones by coordinators. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-11-28T03:00:00Z') });
});
afterAll(() => t?.close());

describe('holiday calendar', () => {
  it('lists 2026 national holidays and cuti bersama', async () => {
    const r = await t.api('/api/v1/holidays?year=2026');
    expect(r.status).toBe(200);
    const kinds = new Set(r.body.items.map((h: any) => h.kind));
    expect(kinds.has('libur_nasional')).toBe(true);
    expect(kinds.has('cuti_bersama')).toBe(true);
    expect(r.body.items.some((h: any) => h.date === '2026-12-25')).toBe(true);
  });

  it('warns that 2027 has not been entered, until the national admin enters it', async () => {
    let s = await t.api('/api/v1/calendar/status');
    expect(s.body.warning.year).toBe(2027);
    expect(s.body.warning.message.id).toContain('2027');
    const coord = await t.login(DEMO.coordinator);
    // A coordinator cannot load the year: its message says whom to ask, in both languages.
    const asCoord = await t.api('/api/v1/calendar/status', { token: coord });
    expect(asCoord.body.warning).toMatchObject({ year: 2027, state: s.body.warning.state });
    expect(asCoord.body.warning.message.id).not.toBe(s.body.warning.message.id);
    expect(asCoord.body.warning.message.id).toContain('admin nasional');
    expect(asCoord.body.warning.message.en).toContain('national admin');
    const asNational = await t.api('/api/v1/calendar/status', { token: await t.login(DEMO.national) });
    expect(asNational.body.warning.message).toEqual(s.body.warning.message);
    const denied = await t.api('/api/v1/holidays', {
      json: { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'libur_nasional' },
      token: coord,
    });
    expect(denied.status).toBe(403);
    const national = await t.login(DEMO.national);
    const ok = await t.api('/api/v1/holidays', {
      json: { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'libur_nasional' },
      token: national,
    });
    expect(ok.status).toBe(201);
    // One entry does not hide a year that is still almost empty.
    s = await t.api('/api/v1/calendar/status');
    expect(s.body.yearsCovered).not.toContain(2027);
    expect(s.body.warning).toMatchObject({ year: 2027, entered: 1 });
    // The rest of the year's national holidays (synthetic dates: the SKB for 2027 is not bundled).
    for (let month = 2; month <= 12; month++) {
      const r = await t.api('/api/v1/holidays', {
        json: {
          date: `2027-${String(month).padStart(2, '0')}-15`,
          name: `Libur uji ${month}`,
          kind: 'libur_nasional',
        },
        token: national,
      });
      expect(r.status).toBe(201);
    }
    s = await t.api('/api/v1/calendar/status');
    expect(s.body.yearsCovered).toContain(2027);
    expect(s.body.warning).toBeNull();
  });

  it('lets a coordinator add a regional holiday in its region only, and deadlines there skip it', async () => {
    const coord = await t.login(DEMO.balikpapanCoordinator);
    const outside = await t.api('/api/v1/holidays', {
      json: {
        date: '2026-12-01',
        name: 'Hari Jadi Kota Samarinda (uji)',
        kind: 'regional',
        regionCode: '64.72',
      },
      token: coord,
    });
    expect(outside.status).toBe(403);
    const inside = await t.api('/api/v1/holidays', {
      json: {
        date: '2026-12-01',
        name: 'Hari Jadi Kota Balikpapan (uji)',
        kind: 'regional',
        regionCode: '64.71',
      },
      token: coord,
    });
    expect(inside.status).toBe(201);
    const submit = (regionCode: string) =>
      t.api('/api/v1/reports', {
        json: {
          classification: 'pengaduan',
          title: 'Saluran air tersumbat',
          body: 'Saluran air di depan rumah tersumbat dan menyebabkan genangan setiap hujan turun.',
          regionCode,
          anonymous: true,
        },
      });
    // Saturday 2026-11-28: working days Mon 30 Nov, (Tue 1 Dec holiday in Balikpapan), Wed 2, Thu 3.
    const bpn = await submit('64.71.01');
    const smd = await submit('64.72.01');
    expect(smd.body.deadline.dueAt).toBe('2026-12-02T23:59:59.999+08:00');
    expect(bpn.body.deadline.dueAt).toBe('2026-12-03T23:59:59.999+08:00');
    expect(bpn.body.deadline.explanation).toContain('Hari Jadi Kota Balikpapan');
    const removed = await t.api('/api/v1/holidays/2026-12-01?regionCode=64.71', {
      method: 'DELETE',
      token: coord,
    });
    expect(removed.status).toBe(200);
  });

  it('rejects invalid holiday input with 422', async () => {
    const national = await t.login(DEMO.national);
    const r = await t.api('/api/v1/holidays', {
      json: { date: '2027-13-01', name: 'x', kind: 'libur' },
      token: national,
    });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body.error.fields).sort()).toEqual(['date', 'kind', 'name']);
  });
});
