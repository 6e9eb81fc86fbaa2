/**
 * What a reporter writes after filing (reply, dispute reason, acceptance comment) and what the back office shows of a
 * report to staff out of its scope (privacy audit of 2026-11-29):
 *
 * - a reporter's own name, email address, phone number (any format) and NIK are stored masked in their texts, and in
 *   an anonim report's title and body: the agency, the public and the database at rest never read them, while a
 *   third party's number stays readable for staff in scope (the public reads it masked, as before);
 * - staff who may open a public report but are not in its scope (another agency, another region's coordinator) read
 *   the back-office page as the public reads the JSON timeline: reporter texts masked, no return note, no name of a
 *   citizen who commented.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { signInWeb } from '../../../test/helpers/web-client.ts';

const REPORTER = {
  name: 'Rahmat Hidayatullah',
  email: 'rahmat.h@contoh.aduan.id',
  phone: '081255501234',
  nik: '6472010101900011',
};
/** Every form of the reporter's identity that must not leave the sealed column. */
const OWN = /Rahmat Hidayatullah|rahmat\.h@|5550[- ]?1234|6472 ?0101 ?0190 ?0011/i;
const NEIGHBOUR = '081399988877';
const RETURN_NOTE = 'Bukan wewenang provinsi, ruas jalan ini milik kota (catatan internal 7731).';

let t: TestApp;
let trackingId: string;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-12-02T02:00:00Z') });
  const filed = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jalan berlubang di Jalan Pangeran Antasari, lapor Rahmat Hidayatullah',
      body:
        'Jalan berlubang dalam di depan pasar sejak dua bulan, sudah ada pengendara jatuh. ' +
        'Saya Rahmat Hidayatullah (NIK 6472010101900011), bisa dihubungi di 0812-5550-1234.',
      regionCode: '64.72.02',
      anonymous: true,
      reporter: REPORTER,
    },
  });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  trackingId = filed.body.trackingId;
  const { accessKey } = filed.body as { accessKey: string };
  const coord = await t.login(DEMO.coordinator);
  const pupr = await t.login(DEMO.puprAdmin);
  const roads = await categoryIdByName(t);
  await verifyReport(t, coord, trackingId, 'pupr-kaltim', roads);
  await actOk(t, trackingId, 'return', { note: RETURN_NOTE }, { token: pupr });
  await actOk(
    t,
    trackingId,
    'verify',
    { agencyId: 'pupr-kaltim', categoryId: roads, confirmRedispatch: true },
    { token: coord },
  );
  await actOk(
    t,
    trackingId,
    'comment',
    { body: 'Saya juga melihat lubang ini setiap pagi.' },
    { token: await t.login(DEMO.citizen) },
  );
  await actOk(
    t,
    trackingId,
    'respond',
    { body: 'Lubang sudah ditambal oleh tim UPTD pada 3 Desember 2026.', final: true },
    { token: pupr },
  );
  await actOk(
    t,
    trackingId,
    'dispute',
    {
      reason:
        `Belum selesai, masih berlubang. Saya RAHMAT HIDAYATULLAH, hubungi +62 812 5550 1234 atau ` +
        `Rahmat.H@contoh.aduan.id, NIK 6472-0101-0190-0011. Tetangga saya juga melihat: ${NEIGHBOUR}.`,
    },
    { accessKey },
  );
});
afterAll(() => t?.close());

describe("a reporter's own identity in their texts", () => {
  it('is masked at rest: report title and body, and the dispute reason', async () => {
    const { rows } = (await t.runtime.services.db.execute(
      sql`select r.title, r.body, e.body as event_body from reports r
          join report_events e on e.report_id = r.id and e.type = 'dispute'
          where r.tracking_id = ${trackingId}`,
    )) as unknown as { rows: Array<{ title: string; body: string; event_body: string }> };
    const [row] = rows;
    expect(row).toBeTruthy();
    for (const text of [row!.title, row!.body, row!.event_body]) {
      expect(text).not.toMatch(OWN);
      expect(text).toContain('[nama-disembunyikan]');
    }
    expect(row!.event_body).toContain('[telepon-disembunyikan]');
    expect(row!.event_body).toContain('[email-disembunyikan]');
    expect(row!.event_body).toContain('[nik-disembunyikan]');
    // Not the reporter's: kept for staff in scope.
    expect(row!.event_body).toContain(NEIGHBOUR);
  });

  it('reaches neither the agency (JSON, page) nor the public (page, JSON, Open311)', async () => {
    const pupr = await t.login(DEMO.puprAdmin);
    const events = await t.api(`/api/v1/reports/${trackingId}/events`, { token: pupr });
    expect(events.status).toBe(200);
    const text = JSON.stringify(events.body);
    expect(text).toContain('Belum selesai');
    expect(text).not.toMatch(OWN);
    const report = await t.api(`/api/v1/reports/${trackingId}`, { token: pupr });
    expect(JSON.stringify(report.body)).not.toMatch(OWN);
    const page = await (await signInWeb(t.url, DEMO.puprAdmin)).get(`/kantor/laporan/${trackingId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Belum selesai');
    expect(page.html).toContain(NEIGHBOUR);
    expect(page.html).not.toMatch(OWN);

    const publicPage = await fetch(`${t.url}/laporan/${trackingId}`).then((r) => r.text());
    expect(publicPage).toContain('Belum selesai');
    expect(publicPage).not.toMatch(OWN);
    expect(publicPage).not.toContain(NEIGHBOUR);
    const open311 = await fetch(`${t.url}/open311/v2/requests/${trackingId}.json`).then((r) => r.text());
    expect(open311).toContain('Jalan berlubang dalam di depan pasar');
    expect(open311).not.toMatch(OWN);
  });
});

describe('the back-office page for staff out of the report’s scope', () => {
  it('reads as the public: masked reporter texts, no return note, no commenter name; staff in scope read both', async () => {
    const inScope = await (await signInWeb(t.url, DEMO.puprAdmin)).get(`/kantor/laporan/${trackingId}`);
    expect(inScope.html).toContain(RETURN_NOTE);
    expect(inScope.html).toContain('Warga Demo');
    for (const who of [DEMO.dinkesAdmin, DEMO.balikpapanCoordinator]) {
      const page = await (await signInWeb(t.url, who)).get(`/kantor/laporan/${trackingId}`);
      expect(page.status, who).toBe(200);
      expect(page.html, who).toContain('Belum selesai');
      expect(page.html, who).toContain('Saya juga melihat lubang ini');
      expect(page.html, who).not.toContain(NEIGHBOUR);
      expect(page.html, who).toContain('[telepon-disembunyikan]');
      expect(page.html, who).not.toContain(RETURN_NOTE);
      expect(page.html, who).not.toContain('Warga Demo');
      expect(page.html, who).not.toMatch(OWN);
    }
  });
});

describe('a report made anonim after filing', () => {
  it('loses the reporter’s own identity from its title and body, by verification or by the privacy action', async () => {
    const coord = await t.login(DEMO.coordinator);
    const pupr = await t.login(DEMO.puprAdmin);
    const named = async (title: string) => {
      const r = await t.api('/api/v1/reports', {
        json: {
          classification: 'pengaduan',
          title: `${title} (Rahmat Hidayatullah)`,
          body: `${title} sejak seminggu. Saya Rahmat Hidayatullah, telepon 081255501234, mohon ditangani.`,
          regionCode: '64.72.02',
          reporter: REPORTER,
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.trackingId as string;
    };
    const roads = await categoryIdByName(t);
    const byVerify = await named('Lampu jalan padam di Jalan Juanda');
    await actOk(
      t,
      byVerify,
      'verify',
      { agencyId: 'pupr-kaltim', categoryId: roads, anonymous: true },
      { token: coord },
    );
    const byAction = await named('Drainase tersumbat di Jalan Pahlawan');
    const set = await t.api(`/api/v1/reports/${byAction}/privacy`, {
      json: { anonymous: true },
      token: coord,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    await actOk(t, byAction, 'verify', { agencyId: 'pupr-kaltim', categoryId: roads }, { token: coord });
    for (const id of [byVerify, byAction]) {
      const seen = await t.api(`/api/v1/reports/${id}`, { token: pupr });
      expect(seen.status).toBe(200);
      expect(seen.body.body).toContain('sejak seminggu');
      expect(JSON.stringify(seen.body), id).not.toMatch(OWN);
      expect(seen.body.body).toContain('[nama-disembunyikan]');
    }
  });
});
