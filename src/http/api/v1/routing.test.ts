/**
 * Routing suggestions, accept tracking, accuracy (scoped to the viewer), similar reports and merging over real HTTP, on
 * PGlite (default) or PostgreSQL (DATABASE_URL). The history is synthetic (no real report text).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import { query } from '../../../db/client.ts';
import { signInWeb } from '../../../../test/helpers/web-client.ts';
import { trainRoutingModels } from '../../../commands/train-routing.ts';
import {
  candidateTsquery,
  forgetLexemeStats,
  similarPublicReports,
} from '../../../queries/similar-reports.ts';
import { HEALTH, ROADS } from '../../../../test/helpers/routing-corpus.ts';

let t: TestApp;
let coord: string;
let catRoads: number;
let catHealth: number;

const submit = (title: string, extra: Record<string, unknown> = {}) =>
  submitReport(t, title, {
    body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang, sudah berminggu-minggu.`,
    reporter: { name: 'Warga Uji Rahasia', email: 'warga.rahasia@contoh.aduan.id', phone: '081200000001' },
    ...extra,
  });
const verify = (id: string, agencyId: string, categoryId: number, token = coord) =>
  verifyReport(t, token, id, agencyId, categoryId);

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  for (const title of ROADS) await verify(await submit(title), 'pupr-kaltim', catRoads);
  for (const title of HEALTH) await verify(await submit(title), 'dinkes-kaltim', catHealth);
  // One health report first went to PU and came back as bukan wewenang.
  const returned = await submit('Dokter puskesmas jarang datang, pasien terlantar');
  await verify(returned, 'pupr-kaltim', catRoads);
  const admin = await t.login(DEMO.puprAdmin);
  const back = await t.api(`/api/v1/reports/${returned}/actions/return`, {
    json: { note: 'Bukan wewenang PU.' },
    token: admin,
  });
  expect(back.status, JSON.stringify(back.body)).toBe(200);
  await verify(returned, 'dinkes-kaltim', catHealth);
  // Waiting for verification when the models are trained: the agency model self-trains on it (docs/routing.md).
  await submit(`${ROADS[0]} lagi, kali ini dekat terminal`);
  const results = await trainRoutingModels(t.runtime.services, { cvMaxRows: 0 });
  expect(results.map((r) => r.status)).toEqual(['trained', 'trained', 'skipped', 'skipped']);
  expect(results[0]!.negatives).toBe(1);
  // The two agencies with history learn their names (three documents each), and the pending report joins.
  expect(results[0]!.metrics).toMatchObject({ labelDocs: 6, selfTrained: 1 });
  expect(results[1]!.metrics).not.toHaveProperty('labelDocs');
}, 120_000);
afterAll(() => t?.close());

describe('routing suggestions', () => {
  it('answers the top agencies and categories with confidences and words', async () => {
    const id = await submit('Jalan rusak berlubang dekat jembatan desa');
    const r = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.trackingId).toBe(id);
    expect(r.body.agencies.length).toBe(2);
    expect(r.body.agencies[0]).toMatchObject({ id: 'pupr-kaltim', name: expect.any(String) });
    expect(r.body.agencies[0].confidence).toBeGreaterThan(0.5);
    expect(r.body.agencies[0].confidence).toBeLessThanOrEqual(1);
    expect(r.body.agencies[0].words.length).toBeGreaterThan(0);
    expect(r.body.categories[0]).toMatchObject({ id: catRoads });
    expect(r.body.models.agency.version).toBe(1);
    expect(JSON.stringify(r.body)).not.toContain('Warga Uji Rahasia');
  });

  it('is for verifiers in scope only: public, officers and agency admins get 404/403', async () => {
    const id = await submit('Jalan rusak dan aspal berlubang di pasar');
    expect((await t.api(`/api/v1/reports/${id}/suggestions`)).status).toBe(404);
    const officer = await t.login(DEMO.puprOfficer);
    expect((await t.api(`/api/v1/reports/${id}/suggestions`, { token: officer })).status).toBe(404);
    const other = await t.login(DEMO.balikpapanCoordinator);
    expect((await t.api(`/api/v1/reports/${id}/suggestions`, { token: other })).status).toBe(404);
    await verify(id, 'pupr-kaltim', catRoads);
    const admin = await t.login(DEMO.puprAdmin);
    expect((await t.api(`/api/v1/reports/${id}/suggestions`, { token: admin })).status).toBe(403);
    expect((await t.api(`/api/v1/reports/0000000000/suggestions`, { token: coord })).status).toBe(404);
  });

  it('the verify queue shows where each waiting report probably belongs, without recording it', async () => {
    const road = await submit('Aspal jalan kampung rusak dan berlubang besar', { anonymous: true });
    const health = await submit('Puskesmas kekurangan dokter, pasien menunggu lama', { anonymous: true });
    const web = await signInWeb(t.url, DEMO.coordinator);
    const queue = await web.get('/kantor?tab=verify');
    expect(queue.status).toBe(200);
    const row = (id: string) =>
      queue.html.split('<tr').find((r) => r.includes(`href="/kantor/laporan/${id}"`));
    expect(row(road)).toMatch(
      /data-suggestion="pupr-kaltim">Dinas PUPR Kaltim <span class="hint">\(keyakinan (?:di atas |di bawah )?\d+%\)/,
    );
    expect(row(health)).toContain('data-suggestion="dinkes-kaltim"');
    expect(queue.html).toContain('<th scope="col">Saran instansi</th>');
    expect(queue.html).not.toContain('Warga Uji Rahasia');
    // Shown, not recorded: the report page records what the verifier sees when deciding.
    const recorded = await query<{ n: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n from routing_suggestions s join reports r on r.id = s.report_id
            where r.tracking_id in (${road}, ${health})`,
    );
    expect(recorded[0]!.n).toBe(0);
    // In English, and only on the verify tab.
    expect((await web.get('/kantor?tab=verify&lang=en')).html).toMatch(
      /Suggested agency[\s\S]*\(confidence \d+%\)/,
    );
    const dispatched = await web.get('/kantor?tab=dispatched');
    expect(dispatched.status).toBe(200);
    expect(dispatched.html).not.toContain('data-suggestion');
    expect(dispatched.html).not.toContain('Saran instansi');
  });

  it('records whether the verifier followed the top suggestion, and reports accuracy by month', async () => {
    const a = await submit('Aspal jalan rusak dan berlubang di kampung');
    const b = await submit('Jalan berlubang di depan jembatan kampung');
    for (const id of [a, b]) await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    await verify(a, 'pupr-kaltim', catRoads);
    await verify(b, 'dinkes-kaltim', catHealth);
    const rows = await query<{ tracking_id: string; kind: string; accepted: boolean; in_top3: boolean }>(
      t.runtime.services.db,
      sql`select r.tracking_id, s.kind, s.accepted, s.in_top3 from routing_suggestions s
            join reports r on r.id = s.report_id where r.tracking_id in (${a}, ${b}) order by s.id`,
    );
    const agencyRow = (id: string) => rows.find((r) => r.tracking_id === id && r.kind === 'agency')!;
    expect(agencyRow(a)).toMatchObject({ accepted: true, in_top3: true });
    expect(agencyRow(b)).toMatchObject({ accepted: false, in_top3: true });

    const national = await t.login(DEMO.national);
    const acc = await t.api('/api/v1/routing/accuracy', { token: national });
    expect(acc.status, JSON.stringify(acc.body)).toBe(200);
    const month = acc.body.months.find((m: any) => m.month === '2026-03');
    expect(month.decided).toBeGreaterThanOrEqual(2);
    expect(month.acceptedTop1).toBeGreaterThanOrEqual(1);
    expect(month.returns).toBe(1);
    expect(acc.body.scope).toEqual({ kind: 'national' });

    // Scoped to the viewer: a kab/kota coordinator its city (nothing here: every report is in Samarinda), an
    // agency admin its subtree (PUPR made the one return; every dispatch went to PUPR or Dinkes).
    const scoped = async (email: string) => {
      const r = await t.api('/api/v1/routing/accuracy', { token: await t.login(email) });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const city = await scoped(DEMO.balikpapanCoordinator);
    expect(city.scope).toEqual({ kind: 'region', regionCode: '64.71', name: 'Kota Balikpapan' });
    // Every month of the period is listed (12 by default), all of them empty for this city.
    expect(city.months.map((m: any) => m.month)).toEqual(acc.body.months.map((m: any) => m.month));
    expect(city.months).toHaveLength(12);
    for (const m of city.months)
      expect(m).toMatchObject({
        decided: 0,
        verifications: 0,
        returns: 0,
        top1Accuracy: null,
        misroutingRate: null,
      });
    expect((await scoped(DEMO.coordinator)).months).toEqual(acc.body.months);
    const pupr = await scoped(DEMO.puprAdmin);
    const dinkes = await scoped(DEMO.dinkesAdmin);
    expect(pupr.scope).toMatchObject({ kind: 'agency', agencyId: 'pupr-kaltim' });
    const puprMonth = pupr.months.find((m: any) => m.month === '2026-03');
    const dinkesMonth = dinkes.months.find((m: any) => m.month === '2026-03');
    expect(puprMonth.returns).toBe(1);
    expect(dinkesMonth.returns).toBe(0);
    for (const k of ['decided', 'acceptedTop1', 'inTop3', 'categoryDecided', 'verifications', 'returns'])
      expect(puprMonth[k] + dinkesMonth[k], k).toBe(month[k]);
    expect(puprMonth.decided).toBeGreaterThanOrEqual(1);
    expect(dinkesMonth.decided).toBeGreaterThanOrEqual(1);

    expect((await t.api('/api/v1/routing/accuracy')).status).toBe(401);
    const citizen = await t.login(DEMO.citizen);
    expect((await t.api('/api/v1/routing/accuracy', { token: citizen })).status).toBe(403);
  });
});

describe('similar reports and merging', () => {
  const TITLE = 'Lampu penerangan jalan umum mati di Jalan Melati';
  let open: string;
  let confidential: string;

  beforeAll(async () => {
    open = await submit(TITLE, { anonymous: true });
    await verify(open, 'pupr-kaltim', catRoads);
    confidential = await submit('Lampu penerangan jalan mati total di Jalan Melati', { confidential: true });
    await verify(confidential, 'pupr-kaltim', catRoads);
  });

  it('citizen side: open public reports only, never confidential, never a reporter field', async () => {
    const q = new URLSearchParams({
      title: 'Lampu jalan mati di jln Melati',
      body: 'Lampu PJU di jalan melati sudah mati seminggu, jalan gelap',
      regionCode: '64.72',
    });
    const r = await t.api(`/api/v1/similar?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const ids = r.body.items.map((i: any) => i.trackingId);
    expect(ids).toContain(open);
    expect(ids).not.toContain(confidential);
    for (const item of r.body.items) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'createdAt',
          'distanceM',
          'regionCode',
          'score',
          'status',
          'supportCount',
          'title',
          'trackingId',
        ].sort(),
      );
    }
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/Warga Uji Rahasia|warga\.rahasia|081200000001|reporter/);
    const elsewhere = await t.api(
      `/api/v1/similar?${new URLSearchParams({ title: TITLE, regionCode: '64.71' })}`,
    );
    expect(elsewhere.body.items).toEqual([]);
    // Without a region or a point there is no "nearby": nothing, not the whole country.
    const nowhere = await t.api(`/api/v1/similar?${new URLSearchParams({ title: TITLE })}`);
    expect(nowhere.status).toBe(200);
    expect(nowhere.body.items).toEqual([]);
    const bad = await t.api(`/api/v1/similar?${new URLSearchParams({ title: TITLE, regionCode: 'x' })}`);
    expect(bad.status).toBe(422);
  });

  it("near the draft's point: a bonus within 1 km, the distance, and reports across the kab/kota border", async () => {
    // A point in Samarinda and a report 120 m east of it filed in the neighbouring kab/kota (Kutai Kartanegara).
    const here = { lat: -0.49, lon: 117.14 };
    const east = (m: number) => ({
      lat: here.lat,
      lon: here.lon + m / (111_320 * Math.cos((here.lat * Math.PI) / 180)),
    });
    const TEXT = 'Saluran drainase tersumbat lumpur di Gang Kenanga';
    const near = await submit(TEXT, { regionCode: '64.02', ...east(120) });
    await verify(near, 'pupr-kaltim', catRoads);
    // Its own words only (the helper's filler would put its text score at the threshold, where the test is not).
    const far = await submit(`${TEXT} dekat pasar`, {
      body: `${TEXT} dekat pasar, air meluap ke jalan.`,
      regionCode: '64.72.02',
      ...east(5_000),
    });
    await verify(far, 'pupr-kaltim', catRoads);
    const hidden = await submit(`${TEXT} sebelah masjid`, {
      regionCode: '64.72.02',
      confidential: true,
      ...east(50),
    });
    await verify(hidden, 'pupr-kaltim', catRoads);
    const ask = (extra: Record<string, string>) =>
      t.api(
        `/api/v1/similar?${new URLSearchParams({
          title: 'Drainase tersumbat lumpur di gg Kenanga',
          body: 'Saluran air di gang kenanga tersumbat lumpur, kalau hujan banjir',
          regionCode: '64.72',
          ...extra,
        })}`,
      );
    const textOnly = await ask({});
    expect(textOnly.status, JSON.stringify(textOnly.body)).toBe(200);
    const plain = new Map(textOnly.body.items.map((i: any) => [i.trackingId, i]));
    expect(plain.has(near)).toBe(false); // another kab/kota, and no point given
    expect(plain.get(far)).toMatchObject({ distanceM: null });

    const located = await ask({ lat: String(here.lat), lon: String(here.lon) });
    expect(located.status, JSON.stringify(located.body)).toBe(200);
    const byId = new Map(located.body.items.map((i: any) => [i.trackingId, i]));
    expect(byId.get(near)).toMatchObject({ distanceM: 120 });
    expect(Math.abs((byId.get(far) as any).distanceM - 5_000)).toBeLessThanOrEqual(20); // to 10 m, on a sphere
    // Within 150 m the text score gets the full bonus; 5 km away it gets none.
    expect((byId.get(far) as any).score).toBe((plain.get(far) as any).score);
    expect((byId.get(near) as any).score).toBeGreaterThan((byId.get(far) as any).score);
    expect(byId.has(hidden)).toBe(false); // confidential, however close
    expect(located.body.items[0].trackingId).toBe(near);
    for (const item of located.body.items) expect(item.score).toBeLessThanOrEqual(1);

    // A point and no kab/kota: the 1 km around the point only, not the text's matches across the country.
    const pointOnly = await t.api(
      `/api/v1/similar?${new URLSearchParams({
        title: 'Drainase tersumbat lumpur di gg Kenanga',
        body: 'Saluran air di gang kenanga tersumbat lumpur, kalau hujan banjir',
        lat: String(here.lat),
        lon: String(here.lon),
      })}`,
    );
    expect(pointOnly.status, JSON.stringify(pointOnly.body)).toBe(200);
    expect(pointOnly.body.items.map((i: any) => i.trackingId)).toEqual([near]);

    const bad = await ask({ lat: 'utara', lon: '117' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toMatch(/lat/);
  });

  it('the score compares word stems: a report worded with other forms of the same words is found', async () => {
    const kept = await submit('Drainase tersumbat di Jalan Cempedak', {
      body: 'Drainase di Jalan Cempedak tersumbat sampah, airnya meluap ketika hujan. Mohon dibersihkan.',
      regionCode: '64.74.01',
    });
    await verify(kept, 'pupr-kaltim', catRoads);
    const draft = {
      title: 'Penyumbatan drainase Jalan Cempedak',
      body: 'Sumbatan sampah pada drainase Jalan Cempedak, luapan air saat hujan. Mohon pembersihan segera.',
      regionCode: '64.74',
    };
    const svc = t.runtime.services;
    const scoreOf = async (opts: { stemWords?: boolean }) =>
      (await similarPublicReports(svc, draft, { minScore: 0, ...opts })).find((r) => r.trackingId === kept)
        ?.score;
    // Written words: sumbat/tersumbat/penyumbatan, bersih/dibersihkan/pembersihan, luap/meluap/luapan differ.
    expect(await scoreOf({ stemWords: false })).toBeLessThan(0.65);
    expect(await scoreOf({})).toBeGreaterThan(0.8);
    const found = await t.api(`/api/v1/similar?${new URLSearchParams(draft)}`);
    expect(found.body.items.map((i: any) => i.trackingId)).toContain(kept);
  });

  it('a busy kab/kota: candidates are picked by the distinctive words, the common ones only in pairs', async () => {
    const svc = t.runtime.services;
    const DOCK = 'Jalan rusak berlubang di dermaga Tanjungmas, perahu nelayan susah bersandar';
    const dock = await submit(DOCK);
    await verify(dock, 'pupr-kaltim', catRoads);
    // 3,100 open public reports of Kota Samarinda in the window, each with the words of a common road complaint: a
    // busy kab/kota (more than 3,000 in the window), where the full-text index leads.
    await query(
      svc.db,
      sql`insert into reports (tracking_id, access_key_hash, classification, title, body, region_code, status, channel,
                               created_at, updated_at, verified_at)
          select (9900000000 + g)::text, 'x', 'pengaduan', 'Jalan rusak berlubang',
                 'Jalan rusak berlubang mohon diperbaiki, laporan ' || g, '64.72.02', 'dispatched', 'web',
                 timestamptz '2026-03-01', timestamptz '2026-03-01', timestamptz '2026-03-01'
            from generate_series(1, 3100) g`,
    );
    await query(svc.db, sql`analyze reports`);
    forgetLexemeStats();
    const variant = {
      title: 'Jln rusak di dermaga Tanjungmas',
      body: 'Jalan berlubang di dermaga tanjungmas, perahu nelayan tdk bisa bersandar',
    };
    // The query asks for the distinctive words; "jalan", "rusak" and "lubang" are in most reports and left out.
    const q = (await candidateTsquery(svc, variant))!;
    expect(q).toMatch(/'dermaga'/);
    expect(q).toMatch(/'tanjungmas'/);
    expect(q).not.toMatch(/'jalan'|'rusak'|'lubang'/);
    const found = await t.api(`/api/v1/similar?${new URLSearchParams({ ...variant, regionCode: '64.72' })}`);
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.items[0]?.trackingId).toBe(dock);
    // A text of common words only asks for them in pairs, and still finds its duplicates.
    const generic = {
      title: 'Jalan rusak berlubang',
      body: 'Jalan rusak berlubang, mohon segera diperbaiki',
    };
    const pairs = (await candidateTsquery(svc, generic))!;
    expect(pairs).toMatch(/\('(jalan|rusak|lubang)' & '(jalan|rusak|lubang)'\)/);
    expect(pairs).not.toMatch(/(^|\| )'(jalan|rusak|lubang)'/);
    const same = await t.api(`/api/v1/similar?${new URLSearchParams({ ...generic, regionCode: '64.72' })}`);
    expect(same.body.items.length).toBe(5);
    expect(same.body.items[0].title).toBe('Jalan rusak berlubang');
    // Where the full-text index leads, the common words read are bounded: each of these is in ~3,100 reports, so
    // with room for 3,000 entries none is asked for, only the text's one distinctive word ("segera", in no report of
    // the kab/kota); the region-first path (a quiet kab/kota) keeps the pairs, and the default room (GIN_READ_ROWS)
    // keeps them here.
    expect(await candidateTsquery(svc, generic, { indexReadRows: 3_000 }, true)).toBe("'segera'");
    expect(await candidateTsquery(svc, generic, { indexReadRows: 3_000 }, false)).toBe(pairs);
    expect(await candidateTsquery(svc, generic, {}, true)).toBe(pairs);
    const region = { ...generic, regionCode: '64.72' };
    expect(await similarPublicReports(svc, region, { indexReadRows: 3_000 })).toEqual([]);
    expect(await similarPublicReports(svc, region, { indexReadRows: 200_000 })).toHaveLength(5);
    // A draft of stopwords only has no word to look for: nothing, before the kab/kota is counted.
    expect(
      await similarPublicReports(svc, { title: 'yang dan', body: 'di ke dari', regionCode: '64.72' }),
    ).toEqual([]);
  });

  it('staff side: confidential reports for staff in scope, with a score; others are refused', async () => {
    const dup = await submit('Lampu jalan umum mati di Jalan Melati sejak minggu lalu');
    const r = await t.api(`/api/v1/reports/${dup}/similar`, { token: coord });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const byId = new Map(r.body.items.map((i: any) => [i.trackingId, i]));
    expect(byId.has(open)).toBe(true);
    expect(byId.get(confidential)).toMatchObject({ confidential: true });
    expect((byId.get(open) as any).score).toBeGreaterThanOrEqual(0.65);
    expect(JSON.stringify(r.body)).not.toMatch(/Warga Uji Rahasia|warga\.rahasia|081200000001/);
    const other = await t.api(`/api/v1/reports/${dup}/similar`, {
      token: await t.login(DEMO.balikpapanCoordinator),
    });
    expect(other.status).toBe(404);
    expect((await t.api(`/api/v1/reports/${dup}/similar`)).status).toBe(404);
  });

  it('merge archives the duplicate, moves its supporters and tells both reporters', async () => {
    const kept = await submit('Sampah menumpuk di pasar pagi tidak diangkut');
    await verify(kept, 'pupr-kaltim', catRoads);
    // The duplicate is still waiting for verification; supports only exist on public reports, so
    // its supporters are written directly (as if it had been supported before being sent back).
    const dup = await submit('Sampah di pasar pagi menumpuk berhari-hari');
    const citizenOnKept = await t.api(`/api/v1/reports/${kept}/actions/support`, {
      json: {},
      token: await t.login(DEMO.citizen),
    });
    expect(citizenOnKept.status, JSON.stringify(citizenOnKept.body)).toBe(200);
    const citizenKey = (
      await query<{ supporter_key: string }>(
        t.runtime.services.db,
        sql`select s.supporter_key from supports s join reports r on r.id = s.report_id where r.tracking_id = ${kept}`,
      )
    )[0]!.supporter_key;
    await t.runtime.services.db.execute(
      sql`insert into supports (report_id, supporter_key)
          select id, k from reports, unnest(array[${citizenKey}, 'device:merge-test']) as k where tracking_id = ${dup}`,
    );
    await t.runtime.services.db.execute(sql`update reports set support_count = 2 where tracking_id = ${dup}`);

    const officer = await t.login(DEMO.puprOfficer);
    const denied = await t.api(`/api/v1/reports/${dup}/actions/merge`, {
      json: { keepTrackingId: kept },
      token: officer,
    });
    expect([403, 404]).toContain(denied.status);

    const m = await t.api(`/api/v1/reports/${dup}/actions/merge`, {
      json: { keepTrackingId: kept },
      token: coord,
    });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(m.body.supportersMoved).toBe(1); // the citizen already supported the kept report
    expect(m.body.duplicate.status).toBe('archived');
    expect(m.body.kept.supportCount).toBe(2);
    const rows = await query<{
      tracking_id: string;
      kind: string;
      support_count: number;
      duplicate_of: string | null;
    }>(
      t.runtime.services.db,
      sql`select r.tracking_id, o.kind, r.support_count,
                 (select k.tracking_id from reports k where k.id = r.duplicate_of_id) as duplicate_of
            from outbox o join reports r on r.id = o.report_id
           where r.tracking_id in (${dup}, ${kept}) and o.kind in ('report.archive', 'report.merge')`,
    );
    expect(rows.find((r) => r.tracking_id === dup)).toMatchObject({
      kind: 'report.archive',
      support_count: 0,
      duplicate_of: kept,
    });
    expect(rows.find((r) => r.tracking_id === kept)).toMatchObject({
      kind: 'report.merge',
      support_count: 2,
    });
    // The kept report's timeline names the merge in words, in both languages.
    for (const [lang, label] of [
      ['id', 'Laporan duplikat digabungkan ke laporan ini'],
      ['en', 'A duplicate report was merged into this one'],
    ]) {
      const events = await t.api(`/api/v1/reports/${kept}/events?lang=${lang}`, { token: coord });
      expect(events.body.items.find((e: any) => e.type === 'merge')?.label).toBe(label);
    }
    const self = await t.api(`/api/v1/reports/${kept}/actions/merge`, {
      json: { keepTrackingId: kept },
      token: coord,
    });
    expect(self.status).toBe(422);
  });
});
