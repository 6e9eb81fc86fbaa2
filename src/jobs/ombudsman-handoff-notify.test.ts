/**
 * Who is told of a hand-off to the Ombudsman, and how, over real HTTP with the worker and a real SMTP server:
 * - the Ombudsman office's staff (in-app and email by their preferences), with a link to the office's own page of the
 *   report, and without the reporter's identity unless the reporter shared it;
 * - besides the agency holding a dispatched report, the coordinators of its region and the officers of the unit a
 *   disposisi gave it to, once each;
 * - the staff message says who recorded the consent (the reporter, or staff on the reporter's behalf);
 * - on /kantor/notifikasi, a notice whose report the viewer can no longer open says so instead of linking to it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { deliverMailOnce, startSmtp } from '../../test/helpers/receivers.ts';
import { signInWeb } from '../../test/helpers/web-client.ts';
import { query } from '../db/client.ts';
import { enqueueDigests } from '../commands/enqueue-digests.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
type Made = { trackingId: string; accessKey: string };
const REPORTER = { name: 'Rina Wulandari', email: 'rina.wulandari@contoh.aduan.id', phone: '081298765432' };
const SECRETS = [REPORTER.name, 'Rina', REPORTER.email, REPORTER.phone];
/** Balikpapan reports: anonim and unshared, shared identity, consent recorded by staff. */
const r = {} as Record<'anonymous' | 'shared' | 'byStaff', Made>;

const rows = (q: ReturnType<typeof sql>) => query<Record<string, any>>(t.runtime.services.db, q);

/** The accounts told in the app of the hand-off of a report (any kind), with the kind and title. */
const notices = async (trackingId: string) =>
  rows(
    sql`select u.email, n.kind, n.title from notifications n join users u on u.id = n.user_id
         join reports r on r.id = n.report_id
         where r.tracking_id = ${trackingId} and n.kind in ('escalate', 'ombudsman_handoff') order by u.email`,
  );
/** The hand-off emails of a report to one address (subject "Laporan <id>: Dialihkan ke Ombudsman"). */
const mailsAbout = (trackingId: string, to: string) =>
  smtp
    .unique()
    .filter(
      (m) => m.to === to && m.subject.includes(trackingId) && m.subject.includes('Dialihkan ke Ombudsman'),
    );

beforeAll(async () => {
  // Monday 5 January 2026, 09:00 WITA; the hand-off opens in April.
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  smtp = await startSmtp();
  const categoryId = await categoryIdByName(t);
  const coordinator = await t.login(DEMO.coordinator);
  const puprAdmin = await t.login(DEMO.puprAdmin);
  const file = async (title: string, extra: Record<string, unknown> = {}): Promise<Made> => {
    const res = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        // The title names the reporter: masked for the Ombudsman unless the identity is shared.
        title: `${title} (pelapor Rina Wulandari, 081298765432)`,
        body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi yang berwenang.`,
        regionCode: '64.71.01',
        reporter: REPORTER,
        ...extra,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const made = res.body as Made;
    await actOk(
      t,
      made.trackingId,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim' },
      { token: coordinator },
    );
    // Disposisi to Bidang Bina Marga, whose officer now holds it.
    await actOk(t, made.trackingId, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: puprAdmin });
    return made;
  };
  r.anonymous = await file('Jalan amblas di Balikpapan Selatan', { anonymous: true });
  r.shared = await file('Drainase tersumbat di Balikpapan Kota');
  r.byStaff = await file('Jembatan kayu rusak di Balikpapan Timur');
  await deliverMailOnce(t.runtime.services, smtp.url);
  t.setNow(new Date('2026-04-14T09:00:00+08:00'));
  await actOk(t, r.anonymous.trackingId, 'escalate', { consent: true }, { accessKey: r.anonymous.accessKey });
  await actOk(
    t,
    r.shared.trackingId,
    'escalate',
    { consent: true, shareIdentity: true },
    { accessKey: r.shared.accessKey },
  );
  await actOk(
    t,
    r.byStaff.trackingId,
    'escalate',
    { consent: true, note: 'Pelapor menyetujui melalui telepon pada 13 April 2026.' },
    { token: await t.login(DEMO.coordinator) },
  );
  await deliverMailOnce(t.runtime.services, smtp.url);
  // The fan-out's own rows (emails) were queued by the first pass: deliver them too.
  await deliverMailOnce(t.runtime.services, smtp.url);
});
afterAll(async () => {
  await smtp?.close();
  await t?.close();
});

describe('the Ombudsman office is told of a hand-off', () => {
  it('in-app and by email, linking to its own page of the report, without an unshared identity', async () => {
    for (const m of [r.anonymous, r.shared, r.byStaff]) {
      const told = (await notices(m.trackingId)).filter((n) => n.email === DEMO.ombudsman);
      expect(told.map((n) => n.kind)).toEqual(['ombudsman_handoff']);
      expect(told[0]!.title).toContain(m.trackingId);
      const mails = mailsAbout(m.trackingId, DEMO.ombudsman);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain(`${t.url}/kantor/ombudsman/laporan/${m.trackingId}`);
      expect(mails[0]!.text).not.toContain(`/kantor/laporan/${m.trackingId}`);
      expect(mails[0]!.text).toContain('diserahkan kepada Ombudsman RI');
    }
    // Anonim, and a staff-recorded consent without sharing: no name, phone or email of the reporter anywhere.
    for (const m of [r.anonymous, r.byStaff]) {
      const [mail] = mailsAbout(m.trackingId, DEMO.ombudsman);
      const texts = [
        mail!.subject,
        mail!.text,
        ...(await notices(m.trackingId)).map((n) => n.title as string),
      ];
      for (const s of texts) for (const secret of SECRETS) expect(s).not.toContain(secret);
      // The outbox row holds nothing of the reporter either.
      const [row] = await rows(
        sql`select o.payload::text as p from outbox o join reports r on r.id = o.report_id
             join users u on o.recipient = 'user:' || u.id::text
             where r.tracking_id = ${m.trackingId} and u.email = ${DEMO.ombudsman} and o.channel = 'email'`,
      );
      for (const secret of SECRETS) expect(String(row!.p)).not.toContain(secret);
    }
    // Shared with the Ombudsman: the title as written.
    const [shared] = mailsAbout(r.shared.trackingId, DEMO.ombudsman);
    expect(shared!.text).toContain('pelapor Rina Wulandari');
  });

  it('the Ombudsman reads the notice on /kantor/notifikasi, linked to /kantor/ombudsman/laporan/:id', async () => {
    const c = await signInWeb(t.url, DEMO.ombudsman);
    const page = await c.get('/kantor/notifikasi');
    expect(page.status).toBe(200);
    for (const m of [r.anonymous, r.shared, r.byStaff]) {
      expect(page.html).toContain(`href="/kantor/ombudsman/laporan/${m.trackingId}"`);
      expect(page.html).not.toContain(`href="/kantor/laporan/${m.trackingId}"`);
      expect((await c.get(`/kantor/ombudsman/laporan/${m.trackingId}`)).status).toBe(200);
    }
    for (const secret of SECRETS) expect(page.html).not.toContain(secret);
    // Its own menu, with the unread count; no back-office link that would be 403.
    expect(page.html).toContain('href="/kantor/ombudsman"');
    expect(page.html).toMatch(/Notifikasi \(\d+ belum dibaca\)/);
    expect(page.html).not.toContain('href="/kantor/lapor-langsung"');
    expect((await c.get('/kantor/preferensi')).status).toBe(200);
    // The JSON API gives the same page as each item's `path`.
    const api = await t.api('/api/v1/notifications', { token: await t.login(DEMO.ombudsman) });
    expect(api.status).toBe(200);
    for (const m of [r.anonymous, r.shared, r.byStaff]) {
      const item = (api.body.items as Array<{ trackingId: string; path: string }>).find(
        (n) => n.trackingId === m.trackingId,
      );
      expect(item?.path).toBe(`/kantor/ombudsman/laporan/${m.trackingId}`);
    }
  });
});

describe('the Ombudsman on the daily digest', () => {
  it("links each hand-off to the office's page of the report", async () => {
    const token = await t.login(DEMO.ombudsman);
    const put = await t.api('/api/v1/notifications/preferences', {
      method: 'PUT',
      token,
      json: { email: false, sms: false, inApp: true, digest: true, lang: 'id' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await enqueueDigests(t.runtime.services, '2026-04-14');
    await deliverMailOnce(t.runtime.services, smtp.url);
    const digest = smtp
      .unique()
      .find((m) => m.to === DEMO.ombudsman && m.subject.includes('Ringkasan harian'));
    expect(digest, 'the digest').toBeDefined();
    for (const m of [r.anonymous, r.shared, r.byStaff]) {
      expect(digest!.text).toContain(`${t.url}/kantor/ombudsman/laporan/${m.trackingId}`);
      expect(digest!.text).not.toContain(`${t.url}/kantor/laporan/${m.trackingId}`);
    }
  });
});

describe('staff told of a hand-off', () => {
  it('the agency, the disposisi unit officer and the region coordinators, once each', async () => {
    const told = (await notices(r.shared.trackingId)).filter((n) => n.kind === 'escalate');
    expect(told.map((n) => n.email)).toEqual(
      [DEMO.balikpapanCoordinator, DEMO.coordinator, DEMO.puprOfficer, DEMO.puprAdmin].sort(),
    );
    for (const who of [DEMO.balikpapanCoordinator, DEMO.coordinator, DEMO.puprOfficer, DEMO.puprAdmin]) {
      const mails = mailsAbout(r.shared.trackingId, who);
      expect(mails, who).toHaveLength(1);
      expect(mails[0]!.text).toContain(`${t.url}/kantor/laporan/${r.shared.trackingId}`);
    }
  });

  it('says who recorded the consent', async () => {
    const [byReporter] = mailsAbout(r.shared.trackingId, DEMO.puprAdmin);
    expect(byReporter!.text).toContain('atas permintaan pelapor');
    const [byStaff] = mailsAbout(r.byStaff.trackingId, DEMO.puprAdmin);
    expect(byStaff!.text).toContain('dengan persetujuan pelapor yang dicatat oleh petugas');
    expect(byStaff!.text).not.toContain('atas permintaan pelapor');
  });

  it('a notice whose report the viewer can no longer open says so instead of linking to it', async () => {
    // A rahasia report dispatched to Dinkes (which is told), returned by it and dispatched again to Dinas PUPR.
    const res = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Puskesmas menolak pasien BPJS di Balikpapan',
        body: 'Puskesmas menolak pasien BPJS tanpa alasan yang jelas, sudah tiga kali terjadi bulan ini.',
        regionCode: '64.71.01',
        reporter: REPORTER,
        confidential: true,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { trackingId } = res.body as Made;
    const categoryId = await categoryIdByName(t);
    const coordinator = await t.login(DEMO.coordinator);
    await actOk(t, trackingId, 'verify', { categoryId, agencyId: 'dinkes-kaltim' }, { token: coordinator });
    await deliverMailOnce(t.runtime.services, smtp.url);
    const c = await signInWeb(t.url, DEMO.dinkesAdmin);
    const before = await c.get('/kantor/notifikasi');
    expect(before.html).toContain(`href="/kantor/laporan/${trackingId}"`);
    await actOk(
      t,
      trackingId,
      'return',
      { note: 'Ini kewenangan Dinas PUPR.', suggestedAgencyId: 'pupr-kaltim' },
      { token: await t.login(DEMO.dinkesAdmin) },
    );
    await actOk(t, trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coordinator });
    await deliverMailOnce(t.runtime.services, smtp.url);
    expect((await c.get(`/kantor/laporan/${trackingId}`)).status).not.toBe(200);
    const page = await c.get('/kantor/notifikasi');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(`href="/kantor/laporan/${trackingId}"`);
    const row = page.html.split('<tr').find((tr) => tr.includes(trackingId));
    expect(row).toContain('Laporan ini sudah tidak dalam lingkup Anda');
    const en = await c.get('/kantor/notifikasi?lang=en');
    expect(en.html).toContain('This report is no longer in your scope');
    // Notices of reports the viewer still opens keep their link (PUPR's admin on the re-dispatched report).
    const pupr = await (await signInWeb(t.url, DEMO.puprAdmin)).get('/kantor/notifikasi');
    expect(pupr.html).toContain(`href="/kantor/laporan/${trackingId}"`);
    expect(pupr.html).not.toContain('Laporan ini sudah tidak dalam lingkup Anda');
  });
});
