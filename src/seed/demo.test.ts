/** The synthetic demo: reports in every status and every intake channel, built through the real commands, with intact timelines. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../db/client.ts';
import { verifyChains } from '../db/repositories/events.ts';
import { CHANNELS, STAFF_INTAKE_CHANNELS, STATUSES } from '../domain/report/report.ts';
import { seedDemoReports } from './demo.ts';
import { kabKotaAt } from '../queries/boundaries.ts';
import { similarReportsForStaff } from '../queries/similar-reports.ts';
import { systemCaller } from '../app/context.ts';
import { DEMO_ROUTING_TEXTS, DEMO_UNIT_TEXTS, DEMO_USERS } from './demo-data.ts';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await seedDemoReports(t.runtime.services, new Date());
});
afterAll(() => t?.close());

describe('demo seed', () => {
  it('creates a few dozen reports spread over every status', async () => {
    const rows = await query<{ status: string; n: number }>(
      t.runtime.services.db,
      sql`select status, count(*)::int as n from reports group by status`,
    );
    expect(rows.map((r) => r.status).sort()).toEqual([...STATUSES].sort());
    expect(rows.reduce((a, r) => a + r.n, 0)).toBeGreaterThanOrEqual(24);
    expect((await verifyChains(t.runtime.services.db)).problems).toEqual([]);
  });

  it('covers every intake channel; walk-in, phone and letter complaints are recorded by staff', async () => {
    const db = t.runtime.services.db;
    const rows = await query<{ channel: string; n: number }>(
      db,
      sql`select channel, count(*)::int as n from reports group by channel`,
    );
    expect(rows.map((r) => r.channel).sort()).toEqual([...CHANNELS].sort());
    const submits = await query<{
      channel: string;
      actor_role: string;
      recorded: boolean;
      asked: boolean;
      staff: boolean;
    }>(
      db,
      sql`select r.channel, e.actor_role, e.data ? 'recordedBy' as recorded,
                 coalesce(e.data->>'privacyChoice' = 'asked', false) as asked,
                 exists (select 1 from role_grants g where g.user_id = e.actor_user_id
                          and g.role in ('coordinator', 'officer', 'agency_admin', 'national_admin')) as staff
            from reports r join report_events e on e.report_id = r.id and e.type = 'submit'`,
    );
    for (const s of submits) {
      const staffIntake = (STAFF_INTAKE_CHANNELS as readonly string[]).includes(s.channel);
      // A staff intake names the recorder's own back-office role (the demo's verifiers are coordinators), and its
      // anonim/rahasia flags are the citizen's answers to the officer's questions.
      const { channel, actor_role: role, recorded, asked, staff } = s;
      expect({ channel, role, recorded, asked, staff }).toEqual({
        channel,
        role: staffIntake ? 'coordinator' : 'reporter',
        recorded: staffIntake,
        asked: staffIntake,
        staff: staffIntake,
      });
    }
    // Every status is reached by more than one channel, so the demo's queues mix them.
    const mix = await query<{ status: string; n: number }>(
      db,
      sql`select status, count(distinct channel)::int as n from reports group by status`,
    );
    for (const m of mix) expect(m.n, m.status).toBeGreaterThanOrEqual(2);
  });

  it('files SMS reports as the SMS channel does: anonymous, with a number only', async () => {
    const sms = await query<{ tracking_id: string; anonymous: boolean }>(
      t.runtime.services.db,
      sql`select tracking_id, anonymous from reports where channel = 'sms'`,
    );
    expect(sms.length).toBeGreaterThan(0);
    for (const r of sms) expect(r.anonymous, r.tracking_id).toBe(true);
    const national = await t.login('nasional@demo.aduan.id');
    const one = await t.api(`/api/v1/reports/${sms[0]!.tracking_id}`, { token: national });
    expect(one.body.reporter).toEqual({ phone: expect.stringMatching(/^\+?\d+$/) });
  });

  it('pins web, API, Open311 and walk-in reports inside their kab/kota, a few hundred metres apart per text', async () => {
    const db = t.runtime.services.db;
    const rows = await query<{
      tracking_id: string;
      channel: string;
      region_code: string;
      lat: number | null;
      lon: number | null;
    }>(db, sql`select tracking_id, channel, region_code, lat, lon from reports`);
    const pinned = rows.filter((r) => r.lat !== null);
    expect(pinned.length).toBeGreaterThanOrEqual(15);
    for (const r of rows) {
      if (['sms', 'email', 'phone', 'letter'].includes(r.channel)) expect(r.lat, r.tracking_id).toBeNull();
      if (r.lat === null) continue;
      const kab = r.region_code.split('.').slice(0, 2).join('.');
      expect(kabKotaAt(Number(r.lon), Number(r.lat))?.properties.kode, r.tracking_id).toBe(kab);
    }
    // Some pinned reports of the same text lie within 1 km of each other: the similar lists show a distance.
    const byId = new Map(pinned.map((r) => [r.tracking_id, r]));
    let found = 0;
    for (const r of pinned) {
      const similar = await similarReportsForStaff(
        t.runtime.services,
        systemCaller('demo test'),
        r.tracking_id,
      );
      if (similar.some((n) => n.distanceM !== null && n.distanceM < 1000 && byId.has(n.trackingId))) found++;
    }
    expect(found).toBeGreaterThanOrEqual(4);
  });

  it('has routing history: trained models and suggestions decided by month, one misrouted and returned', async () => {
    const national = await t.login('nasional@demo.aduan.id');
    const acc = await t.api('/api/v1/routing/accuracy?months=6', { token: national });
    expect(acc.status, JSON.stringify(acc.body)).toBe(200);
    const months = acc.body.months as Array<{ decided: number; acceptedTop1: number; returns: number }>;
    const sum = (k: 'decided' | 'acceptedTop1' | 'returns') => months.reduce((a, m) => a + m[k], 0);
    expect(sum('decided')).toBe(DEMO_ROUTING_TEXTS.length);
    expect(months.filter((m) => m.decided > 0).length).toBeGreaterThanOrEqual(3);
    expect(sum('acceptedTop1')).toBeGreaterThan(0);
    expect(sum('acceptedTop1')).toBeLessThan(sum('decided'));
    expect(sum('returns')).toBeGreaterThanOrEqual(1);
    const models = await query<{ kind: string; n: number }>(
      t.runtime.services.db,
      sql`select kind, count(*)::int as n from routing_models group by kind order by kind`,
    );
    expect(models.map((m) => m.kind)).toEqual(expect.arrayContaining(['agency', 'category']));
  });

  it('gives each text the classification its words say, so the classification model is not a weak one', async () => {
    const db = t.runtime.services.db;
    // Every copy of a text has the text's classification (a complaint, a suggestion or a question).
    const mixed = await query<{ title: string }>(
      db,
      sql`select regexp_replace(title, ' \\(\\d+\\)$', '') as title from reports
           group by 1 having count(distinct classification) > 1`,
    );
    expect(mixed).toEqual([]);
    const [model] = await query<{ labels: number; f1: number }>(
      db,
      sql`select (metrics->>'labels')::int as labels, (metrics->>'macroF1')::float8 as f1
            from routing_models where kind = 'classification' and active`,
    );
    // The verification screen warns below a cross-validated macro-F1 of 0.5 (verification-aids.tsx).
    expect(model?.labels).toBe(3);
    expect(model?.f1).toBeGreaterThanOrEqual(0.5);
    // A question from the routing history is suggested as a permintaan informasi.
    const [question] = await query<{ tracking_id: string }>(
      db,
      sql`select tracking_id from reports where title = 'Cara menghitung denda pajak kendaraan'`,
    );
    const national = await t.login('nasional@demo.aduan.id');
    const s = await t.api(`/api/v1/reports/${question!.tracking_id}/suggestions`, { token: national });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body.classifications[0].id).toBe('permintaan_informasi');
  });

  it('leaves new reports waiting whose suggestions go beyond the history: a question filed as a pengaduan', async () => {
    const db = t.runtime.services.db;
    const coord = await t.login('diskominfo.kaltim@demo.aduan.id');
    const waiting = [
      [
        'Syarat balik nama kendaraan dari luar provinsi',
        'pengaduan',
        'permintaan_informasi',
        'bapenda-kaltim',
      ],
      ['Usul posyandu lansia dibuka hari Sabtu', 'aspirasi', 'aspirasi', 'dinkes-kaltim'],
    ];
    for (const [title, filedAs, suggested, agency] of waiting) {
      const [row] = await query<{ tracking_id: string; status: string; classification: string }>(
        db,
        sql`select tracking_id, status, classification from reports where title = ${title}`,
      );
      expect(row, title).toMatchObject({ status: 'submitted', classification: filedAs });
      const s = await t.api(`/api/v1/reports/${row!.tracking_id}/suggestions`, { token: coord });
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      expect([s.body.classifications[0].id, s.body.agencies[0].id], title).toEqual([suggested, agency]);
    }
    // Every agency of the demo texts has enough history to be suggested: a school complaint on hold goes to Disdik.
    const [school] = await query<{ tracking_id: string }>(
      db,
      sql`select tracking_id from reports where title like 'Pungutan seragam di SMA negeri%' and status = 'on_hold'`,
    );
    const s = await t.api(`/api/v1/reports/${school!.tracking_id}/suggestions`, { token: coord });
    expect(s.body.agencies[0].id).toBe('disdik-kaltim');
  });

  it('has a disposisi history inside Dinas PUPR: a unit model, and unit suggestions on the dispose form', async () => {
    const db = t.runtime.services.db;
    const units = await query<{ agency_id: string; n: number }>(
      db,
      sql`select agency_id, count(*)::int as n from reports where agency_id like 'pupr-kaltim-%'
           and status = 'completed' group by agency_id order by agency_id`,
    );
    expect(units.map((u) => u.agency_id)).toEqual(['pupr-kaltim-cipta-karya', 'pupr-kaltim-unit']);
    for (const u of units) expect(u.n).toBeGreaterThanOrEqual(DEMO_UNIT_TEXTS.length / 2);
    const [model] = await query<{ labels: number }>(
      db,
      sql`select (metrics->>'labels')::int as labels from routing_models where kind = 'unit' and active`,
    );
    expect(model?.labels).toBe(2);
    const national = await t.login('nasional@demo.aduan.id');
    const acc = await t.api('/api/v1/routing/accuracy?months=6', { token: national });
    const months = acc.body.months as Array<{ unitDecided: number }>;
    expect(months.reduce((a, m) => a + m.unitDecided, 0)).toBe(4);
    // A PUPR report still at the agency gets unit suggestions for the dispose form.
    const [open] = await query<{ tracking_id: string }>(
      db,
      sql`select tracking_id from reports where agency_id = 'pupr-kaltim' and status = 'dispatched' limit 1`,
    );
    const pupr = await t.login('pupr.kaltim@demo.aduan.id');
    const r = await t.api(`/api/v1/reports/${open!.tracking_id}/unit-suggestions`, { token: pupr });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.units.map((u: { id: string }) => u.id).sort()).toEqual([
      'pupr-kaltim-cipta-karya',
      'pupr-kaltim-unit',
    ]);
  });

  it('lets every demo account sign in with the demo password', async () => {
    for (const u of DEMO_USERS) expect(await t.login(u.email)).toMatch(/^[\w-]{20,}$/);
  });

  it('uses only synthetic reporters', async () => {
    const list = await t.api('/api/v1/reports?pageSize=100', {
      token: await t.login('nasional@demo.aduan.id'),
    });
    expect(list.body.total).toBeGreaterThanOrEqual(24);
    const one = await t.api(`/api/v1/reports/${list.body.items[0].trackingId}`, {
      token: await t.login('nasional@demo.aduan.id'),
    });
    expect(one.body.reporter.name).toMatch(/^Pelapor Demo \d+$/);
  });
});
