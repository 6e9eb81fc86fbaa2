/**
 * Shared fixture for the statistics/evaluation page tests: five reports in March 2026 (one completed
 * and rated, one confidential with a marker title, one anonymous with a marker name, one unverified,
 * one returned and re-dispatched), then `refreshStats` in April 2026.
 */
import { expect } from 'vitest';
import { actOk, categoryIdByName, DEMO, type TestApp } from './app.ts';
import { refreshStats } from '../../src/commands/refresh-stats.ts';

/** Marker strings that must never appear on public pages. */
export const SECRET = {
  confidentialTitle: 'Pungli RAHASIA-XYZ di kantor',
  anonymousName: 'Siti Anonimwati',
  anonymousEmail: 'siti.anonim@contoh.aduan.id',
  reporterEmail: 'warga.uji@contoh.aduan.id',
  reporterPhone: '081234567890',
};

/** Creates the reports and refreshes the statistics; returns tracking ids. */
export async function seedStatsReports(t: TestApp): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const base = {
    classification: 'pengaduan',
    title: 'Jalan rusak di depan pasar',
    body: 'Jalan di depan pasar rusak parah dan berlubang, membahayakan pengendara motor setiap hari.',
    regionCode: '64.72.02',
    reporter: { name: 'Warga Uji', email: SECRET.reporterEmail, phone: SECRET.reporterPhone },
  };
  const submit = async (extra: Record<string, unknown> = {}) => {
    const r = await t.api('/api/v1/reports', { json: { ...base, ...extra } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { trackingId: string; accessKey: string };
  };
  const act = (id: string, action: string, body: unknown, auth: { token?: string; accessKey?: string }) =>
    actOk(t, id, action, body, auth);
  const categoryId = await categoryIdByName(t);
  const coord = await t.login(DEMO.coordinator);
  const a = await submit({ title: 'Jalan berlubang SELESAI-ABC diperbaiki', regionCode: '64.71.01' });
  ids.completed = a.trackingId;
  await act(a.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  const b = await submit({ confidential: true, title: SECRET.confidentialTitle });
  ids.confidential = b.trackingId;
  await act(b.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  const c = await submit({
    anonymous: true,
    reporter: { name: SECRET.anonymousName, email: SECRET.anonymousEmail, phone: '081299990000' },
  });
  ids.anonymous = c.trackingId;
  await act(c.trackingId, 'verify', { categoryId, agencyId: 'dinkes-kaltim' }, { token: coord });
  ids.unverified = (await submit()).trackingId;
  const e = await submit();
  ids.returned = e.trackingId;
  await act(e.trackingId, 'verify', { categoryId, agencyId: 'dinkes-kaltim' }, { token: coord });
  t.setNow(new Date('2026-03-13T02:00:00Z'));
  const pupr = await t.login(DEMO.puprAdmin);
  await act(a.trackingId, 'respond', { body: 'Sudah diperbaiki.', final: true }, { token: pupr });
  await act(a.trackingId, 'accept', { rating: 5 }, { accessKey: a.accessKey });
  t.setNow(new Date('2026-03-16T02:00:00Z'));
  await act(
    e.trackingId,
    'return',
    { note: 'Ini kewenangan Dinas PUPR.', suggestedAgencyId: 'pupr-kaltim' },
    { token: await t.login(DEMO.dinkesAdmin) },
  );
  await act(
    e.trackingId,
    'verify',
    { categoryId, agencyId: 'pupr-kaltim' },
    { token: await t.login(DEMO.coordinator) },
  );
  t.setNow(new Date('2026-04-15T02:00:00Z'));
  await refreshStats(t.runtime.services);
  return ids;
}
