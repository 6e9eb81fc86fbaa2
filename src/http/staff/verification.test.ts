/**
 * The verification screen's aids over real HTTP with cookie sessions: similar earlier reports (confidential
 * ones marked, for staff in scope; a score and a link), routing suggestions (top agencies and categories with
 * confidence and words), picking a suggestion into the verify form without JavaScript (links that prefill),
 * the outcome recorded against what was shown, and PRIVACY: agency roles never see an anonymous reporter's
 * identity through the panel. The history is synthetic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  categoryIds,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../../test/helpers/web-client.ts';
import { trainRoutingModels } from '../../commands/train-routing.ts';
import { HEALTH, ROADS } from '../../../test/helpers/routing-corpus.ts';

let t: TestApp;
let coord: string;
let catRoads: number;
let catHealth: number;

/** The anonymous reporter whose identity must never reach agency roles. */
const SECRET = {
  name: 'Sutrisno Anonim Serupa',
  email: 'sutrisno.anonim@contoh.aduan.id',
  phone: '081299988877',
};
const SECRETS = [SECRET.name, 'Sutrisno', SECRET.email, SECRET.phone, '81299988877'];

const submit = (title: string, extra: Record<string, unknown> = {}) =>
  submitReport(t, title, {
    body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang, sudah berminggu-minggu.`,
    reporter: { name: 'Warga Biasa', email: 'warga.biasa@contoh.aduan.id' },
    ...extra,
  });
const verify = (id: string, agencyId: string, categoryId: number) =>
  verifyReport(t, coord, id, agencyId, categoryId);

/** The similar-reports section of a page. */
function similarSection(html: string): string {
  const m = /<section class="similar-reports" data-slot="similar-reports"[\s\S]*?<\/section>/.exec(html);
  expect(m, 'similar-reports section').toBeTruthy();
  return m![0];
}

/** Recorded suggestions of a report per kind (the verifier's views; not the auto-dispatcher's). */
async function shownRows(trackingId: string): Promise<Array<{ kind: string; n: number }>> {
  const res = (await t.runtime.services.db.execute(
    sql`select s.kind, count(*)::int as n from routing_suggestions s join reports r on r.id = s.report_id
         where r.tracking_id = ${trackingId} and s.kind in ('agency', 'category')
         group by s.kind order by s.kind`,
  )) as unknown as { rows: Array<{ kind: string; n: number }> };
  return res.rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  for (const title of ROADS) await verify(await submit(title), 'pupr-kaltim', catRoads);
  for (const title of HEALTH) await verify(await submit(title), 'dinkes-kaltim', catHealth);
  const results = await trainRoutingModels(t.runtime.services, { cvMaxRows: 0 });
  expect(results.map((r) => r.status).slice(0, 2)).toEqual(['trained', 'trained']);
}, 180_000);
afterAll(() => t?.close());

describe('verification screen: similar reports and routing suggestions', () => {
  const TITLE = 'Lampu penerangan jalan umum mati di Jalan Melati';
  let anonymousEarlier: string;
  let confidentialEarlier: string;

  beforeAll(async () => {
    anonymousEarlier = await submit(TITLE, { anonymous: true, reporter: SECRET });
    await verify(anonymousEarlier, 'pupr-kaltim', catRoads);
    confidentialEarlier = await submit('Lampu penerangan jalan mati total di Jalan Melati', {
      confidential: true,
      anonymous: true,
      reporter: SECRET,
      lat: -0.5,
      lon: 117.15,
    });
    await verify(confidentialEarlier, 'pupr-kaltim', catRoads);
  });

  it('coordinator: similar reports with score, link and the confidential mark; suggestions with words', async () => {
    // Pinned 80 m north of the confidential earlier report; the anonymous one has no point.
    const id = await submit('Lampu jalan umum mati di Jalan Melati sejak minggu lalu', {
      lat: -0.5 + 80 / 111_195,
      lon: 117.15,
    });
    const c = await signInWeb(t.url, DEMO.coordinator);
    const page = await c.get(`/kantor/laporan/${id}`);
    expect(page.status).toBe(200);
    const similar = similarSection(page.html);
    expect(similar).toContain(`href="/kantor/laporan/${anonymousEarlier}"`);
    expect(similar).toContain(`href="/kantor/laporan/${confidentialEarlier}"`);
    expect(similar).toMatch(/Rahasia<\/span>/);
    const scores = [...similar.matchAll(/data-score="([\d.]+)">(\d+)%</g)];
    // Each cell carries its column name, so the rows stack on a phone (`table-stack`) with the score still on screen.
    expect(similar).toContain('class="queue-table similar-table table-stack"');
    expect(similar).toContain('<td data-label="Kemiripan" data-score="');
    expect(scores.length).toBeGreaterThanOrEqual(2);
    for (const [, score, pct] of scores) {
      expect(Number(score)).toBeGreaterThanOrEqual(0.65);
      expect(Number(pct)).toBe(Math.round(Number(score) * 100));
    }
    expect(similar).toContain('<th scope="col">Jarak</th>');
    const distances = new Map(
      [
        ...similar.matchAll(/<tr><td data-label="[^"]+"><a href="\/kantor\/laporan\/(\d+)">[\s\S]*?<\/tr>/g),
      ].map(([row, tracking]) => [
        tracking,
        /<td data-label="Jarak"( data-distance="\d+")?>([^<]*)<\/td><td><a/.exec(row)?.slice(1),
      ]),
    );
    expect(distances.get(confidentialEarlier)).toEqual([' data-distance="80"', '80 m']);
    expect(distances.get(anonymousEarlier)).toEqual([undefined, 'Tanpa titik']);
    expect(page.html).toContain('Saran penerusan');
    expect(page.html).toMatch(/data-model-version="1">Model instansi versi 1, dilatih 12 Maret 2026\./);
    expect(page.html).toMatch(/data-suggestion="agency:pupr-kaltim"/);
    expect(page.html).toMatch(/data-suggestion="category:\d+"/);
    expect(page.html).toMatch(/keyakinan (?:di atas |di bawah )?\d+%/);
    expect(page.html).toContain('kata penentu:');
    // English copy.
    const en = await c.get(`/kantor/laporan/${id}?lang=en`);
    expect(en.html).toContain('Routing suggestions');
    expect(en.html).toContain('Similarity');
  });

  it('picking a suggestion prefills the verify form without JavaScript; verifying records the outcome', async () => {
    const id = await submit('Jalan rusak berlubang dekat jembatan desa');
    const c = await signInWeb(t.url, DEMO.coordinator);
    const page = await c.get(`/kantor/laporan/${id}`);
    // The link that picks Dinkes (not the top suggestion) into the form, then the top category.
    const agencyLink = new RegExp(`href="(/kantor/laporan/${id}\\?instansi=dinkes-kaltim[^"]*)"`).exec(
      page.html,
    );
    expect(agencyLink, 'a link that picks the suggested agency').toBeTruthy();
    const picked = await c.get(agencyLink![1]!.replace(/&amp;/g, '&'));
    expect(picked.status).toBe(200);
    expect(picked.html).toMatch(/<option[^>]*value="dinkes-kaltim"[^>]*selected/);
    expect(picked.html).toContain('Dipilih di formulir');
    const catLink = new RegExp(
      `href="(/kantor/laporan/${id}\\?instansi=dinkes-kaltim&amp;kategori=${catRoads}[^"]*)"`,
    ).exec(picked.html);
    expect(catLink, 'the category link keeps the picked agency').toBeTruthy();
    const both = await c.get(catLink![1]!.replace(/&amp;/g, '&'));
    expect(both.html).toMatch(/<option[^>]*value="dinkes-kaltim"[^>]*selected/);
    expect(both.html).toMatch(new RegExp(`<option[^>]*value="${catRoads}"[^>]*selected`));
    // Malformed picks are ignored, not an error.
    expect((await c.get(`/kantor/laporan/${id}?instansi=%3Cscript%3E&kategori=abc`)).status).toBe(200);
    // Four views and an API read so far: one recorded suggestion per kind, not one per view.
    const api = await t.api(`/api/v1/reports/${id}/suggestions`, { token: coord });
    expect(api.status).toBe(200);
    expect(await shownRows(id)).toEqual([
      { kind: 'agency', n: 1 },
      { kind: 'category', n: 1 },
    ]);

    const v = await c.post(`/kantor/laporan/${id}/verify`, {
      _csrf: csrfOf(both.html),
      classification: 'pengaduan',
      categoryId: String(catRoads),
      agencyId: 'dinkes-kaltim',
    });
    expect(v.status, v.html.slice(0, 300)).toBe(303);
    const rows = (
      (await t.runtime.services.db.execute(
        sql`select s.kind, s.chosen_label, s.accepted, s.in_top3, s.decided_at is not null as decided
              from routing_suggestions s join reports r on r.id = s.report_id
             where r.tracking_id = ${id} order by s.id`,
      )) as unknown as {
        rows: Array<{
          kind: string;
          chosen_label: string;
          accepted: boolean;
          in_top3: boolean;
          decided: boolean;
        }>;
      }
    ).rows;
    expect(rows.length).toBe(2); // recorded once per kind and model, decided by the verify
    for (const r of rows) expect(r.decided).toBe(true);
    const agency = rows.filter((r) => r.kind === 'agency');
    expect(agency.every((r) => r.chosen_label === 'dinkes-kaltim' && !r.accepted && r.in_top3)).toBe(true);
    const category = rows.filter((r) => r.kind === 'category');
    expect(category.every((r) => r.chosen_label === String(catRoads) && r.accepted)).toBe(true);
    void catHealth;
  });

  it('"duplicate of this" prefills the archive form; archiving merges: supporters move, both reporters told', async () => {
    const kept = await submit('Pohon tumbang menutup Jalan Kenanga sejak kemarin sore');
    await verify(kept, 'pupr-kaltim', catRoads);
    const dup = await submit('Pohon besar tumbang menutupi Jalan Kenanga sejak kemarin sore');
    await t.runtime.services.db.execute(
      sql`insert into supports (report_id, supporter_key)
          select id, 'device:dup-supporter' from reports where tracking_id = ${dup}`,
    );
    await t.runtime.services.db.execute(sql`update reports set support_count = 1 where tracking_id = ${dup}`);
    const c = await signInWeb(t.url, DEMO.coordinator);
    const page = await c.get(`/kantor/laporan/${dup}`);
    const link = new RegExp(`href="(/kantor/laporan/${dup}\\?duplikat=${kept}[^"]*)"`).exec(
      similarSection(page.html),
    );
    expect(link, 'a "duplicate of this" link on the similar report').toBeTruthy();
    const prefilled = await c.get(link![1]!.replace(/&amp;/g, '&'));
    expect(prefilled.status).toBe(200);
    expect(prefilled.html).toMatch(/<option[^>]*value="duplicate"[^>]*selected/);
    expect(prefilled.html).toMatch(
      new RegExp(`name="duplicateOf"[^>]*value="${kept}"|value="${kept}"[^>]*name="duplicateOf"`),
    );
    // Malformed: ignored. Unknown kept report: a field error on the form, not an error page.
    expect((await c.get(`/kantor/laporan/${dup}?duplikat=12ab`)).status).toBe(200);
    const unknown = await c.post(`/kantor/laporan/${dup}/archive`, {
      _csrf: csrfOf(prefilled.html),
      reason: 'duplicate',
      duplicateOf: '9999999999',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.html).toContain('href="#f-duplicateOf"');

    const done = await c.post(`/kantor/laporan/${dup}/archive`, {
      _csrf: csrfOf(prefilled.html),
      reason: 'duplicate',
      duplicateOf: kept,
      archiveNote: 'Sama dengan laporan sebelumnya.',
    });
    expect(done.status, done.html.slice(0, 300)).toBe(303);
    const rows = (
      (await t.runtime.services.db.execute(
        sql`select r.tracking_id, r.status, r.support_count,
                   (select k.tracking_id from reports k where k.id = r.duplicate_of_id) as duplicate_of,
                   (select string_agg(o.kind, ',' order by o.kind) from outbox o
                     where o.report_id = r.id and o.kind in ('report.archive', 'report.merge')) as told
              from reports r where r.tracking_id in (${dup}, ${kept}) order by r.tracking_id = ${kept}`,
      )) as unknown as {
        rows: Array<{
          tracking_id: string;
          status: string;
          support_count: number;
          duplicate_of: string | null;
          told: string | null;
        }>;
      }
    ).rows;
    expect(rows[0]).toMatchObject({
      tracking_id: dup,
      status: 'archived',
      support_count: 0,
      duplicate_of: kept,
      told: 'report.archive',
    });
    expect(rows[1]).toMatchObject({ tracking_id: kept, support_count: 1, told: 'report.merge' });
    // Agency roles without the archive right get no such link.
    const officer = await signInWeb(t.url, DEMO.puprOfficer);
    expect((await officer.get(`/kantor/laporan/${kept}`)).html).not.toContain('?duplikat=');
    // A third report lists both as similar, but only the open one can be kept: the archived duplicate has no link.
    const third = await submit('Pohon tumbang menutup Jalan Kenanga sejak kemarin sore, mohon segera');
    const similar = similarSection((await c.get(`/kantor/laporan/${third}`)).html);
    expect(similar).toContain(`data-duplicate-of="${kept}"`);
    expect(similar).toContain(`/kantor/laporan/${dup}`);
    expect(similar).not.toContain(`data-duplicate-of="${dup}"`);
  });

  it('records a suggestion once per report and model version: a new model records again', async () => {
    const id = await submit('Jalan berlubang di depan sekolah dasar belum ditambal');
    const c = await signInWeb(t.url, DEMO.coordinator);
    await c.get(`/kantor/laporan/${id}`);
    await c.get(`/kantor/laporan/${id}`);
    await (await signInWeb(t.url, DEMO.national)).get(`/kantor/laporan/${id}`);
    expect(await shownRows(id)).toEqual([
      { kind: 'agency', n: 1 },
      { kind: 'category', n: 1 },
    ]);
    await trainRoutingModels(t.runtime.services, { cvMaxRows: 0 });
    await c.get(`/kantor/laporan/${id}`);
    await c.get(`/kantor/laporan/${id}`);
    expect(await shownRows(id)).toEqual([
      { kind: 'agency', n: 2 },
      { kind: 'category', n: 2 },
    ]);
  }, 120_000);

  it('warns the verifier when a public report’s text seems to hold personal data; not for a confidential one', async () => {
    const c = await signInWeb(t.url, DEMO.coordinator);
    const plain = await submit('Jembatan gantung di Loa Kulu goyang dan berbahaya');
    const pii = await submit('Pungutan di loket kecamatan', {
      body: 'Petugas meminta uang tambahan. NIK saya 6472010101900011, hubungi 081234567890 bila perlu.',
    });
    const hidden = await submit('Pungutan di loket kelurahan', {
      body: 'Petugas meminta uang tambahan. NIK saya 6472010101900012, hubungi 081234567891 bila perlu.',
      confidential: true,
    });
    const notice = (html: string) => /data-slot="personal-data"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    expect(notice((await c.get(`/kantor/laporan/${pii}`)).html)).toContain('NIK, nomor telepon');
    expect(notice((await c.get(`/kantor/laporan/${pii}?lang=en`)).html)).toContain(
      'mark the report confidential',
    );
    expect(notice((await c.get(`/kantor/laporan/${plain}`)).html)).toBe('');
    expect(notice((await c.get(`/kantor/laporan/${hidden}`)).html)).toBe('');
  });

  it('PRIVACY: the PUPR admin verifying sees similar reports but never the anonymous identities', async () => {
    const id = await submit('Lampu penerangan jalan mati di Jalan Melati dekat pasar', {
      targetAgencyId: 'pupr-kaltim',
      anonymous: true,
      reporter: SECRET,
    });
    const admin = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await admin.get(`/kantor/laporan/${id}`);
    expect(page.status).toBe(200);
    const similar = similarSection(page.html);
    expect(similar).toContain(`/kantor/laporan/${anonymousEarlier}`);
    for (const s of SECRETS) expect(page.html, s).not.toContain(s);
    // The coordinator may see the identity of this report (it is only hidden from agencies and the public).
    const coordPage = await (await signInWeb(t.url, DEMO.coordinator)).get(`/kantor/laporan/${id}`);
    expect(coordPage.html).toContain(SECRET.name);
    expect(similarSection(coordPage.html)).not.toContain(SECRET.name);
    // Officers cannot verify: no panel at all.
    const officer = await signInWeb(t.url, DEMO.puprOfficer);
    await verify(id, 'pupr-kaltim', catRoads);
    const dispose = await t.api(`/api/v1/reports/${id}/actions/dispose`, {
      json: { unitId: 'pupr-kaltim-unit' },
      token: await t.login(DEMO.puprAdmin),
    });
    expect(dispose.status, JSON.stringify(dispose.body)).toBe(200);
    const officerPage = await officer.get(`/kantor/laporan/${id}`);
    expect(officerPage.status).toBe(200);
    expect(officerPage.html).not.toContain('data-slot="similar-reports"');
    for (const s of SECRETS) expect(officerPage.html, s).not.toContain(s);
  });
});
