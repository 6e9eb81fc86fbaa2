/**
 * Privacy red-team sweep (docs/security.md, "Surfaces and the tests that prove them"): one set of marker
 * reports, then every surface an agency role or the public can read, asserting no marker of an anonim reporter
 * and no content of a rahasia report is in what they get. Real app on a port, real database.
 *
 * - ANON: an anonim report whose reporter carries distinctive markers, with a photo whose file name holds the NIK
 *   and the name; verified and dispositioned to PUPR.
 * - NAMED: a named report on the same subject addressed to PUPR, so PUPR's admin is its verifier and reads the
 *   similar-report list, routing suggestions and unit suggestions at verification with ANON among the candidates.
 * - DUP: a second anonim report from the same reporter merged into NAMED (merge note naming the reporter).
 * - WALKIN: an officer's walk-in report for an anonim citizen who gave a phone number and NIK.
 * - CONF: a rahasia report; LATE: a public report read everywhere, then flagged anonim and rahasia.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../test/helpers/web-client.ts';
import { photoWithGps } from '../../test/helpers/pdf.ts';
import { deliverMailOnce, startSmtp } from '../../test/helpers/receivers.ts';
import { refreshStats } from '../commands/refresh-stats.ts';
import { snapshotOpenData } from '../commands/snapshot-open-data.ts';
import { flushRateLimits } from '../commands/rate-limit.ts';

/** The anonim reporter's identity: none of these may reach an agency role or the public. */
const MARK = {
  name: 'Zulkarnaen Markerstring',
  email: 'zmarker@example.org',
  phone: '081299990001',
  nik: '6471000000000001',
};
/** A walk-in citizen who asked to stay anonim. */
const WALK = { name: 'Walkina Markerdatang', phone: '081299990002', nik: '6471000000000002' };
/** Words that only the rahasia reports' content holds. */
const CONF_WORD = 'Markerrahasia';
const LATE_WORD = 'Markerlambat';

const identityMarkers = [
  MARK.name,
  ...MARK.name.split(' '),
  MARK.email,
  MARK.phone,
  MARK.phone.slice(1), // 81299990001, as in +6281299990001
  MARK.nik,
  WALK.name,
  ...WALK.name.split(' '),
  WALK.phone,
  WALK.phone.slice(1),
  WALK.nik,
];
/** Markers of `text` that should not be there. */
const leaked = (text: string, markers = identityMarkers) => markers.filter((m) => text.includes(m));

let t: TestApp;
let categoryId: number;
const id = { anon: '', named: '', dup: '', walkin: '', conf: '', late: '', lateDup: '' };
let anonKey = '';
let lateKey = '';
let lateDupKey = '';
let attachmentId = '';

const text = (r: { body: unknown }) => (typeof r.body === 'string' ? r.body : JSON.stringify(r.body));

/** The anonim reporter's client address and browser, as the app sees them behind the (trusted) proxy. */
const CLIENT = { ip: '203.0.113.77', userAgent: 'MarkerBrowser/7.7 (Zulkarnaen)' };

async function file(json: Record<string, unknown>) {
  const r = await t.api('/api/v1/reports', {
    json: { classification: 'pengaduan', regionCode: '64.72.01', lat: -0.5021, lon: 117.1536, ...json },
    headers: { 'x-forwarded-for': CLIENT.ip, 'user-agent': CLIENT.userAgent },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}

beforeAll(async () => {
  t = await startTestApp({ outboundAllowHosts: ['127.0.0.1'], trustProxy: ['127.0.0.1'] });
  categoryId = await categoryIdByName(t);
  const coord = await t.login(DEMO.coordinator);
  const pupr = await t.login(DEMO.puprAdmin);

  // PUPR's webhook: every payload it would receive is inspected below.
  const hook = await t.api('/api/v1/integrations/webhooks', {
    json: {
      url: 'http://127.0.0.1:9/hook',
      events: ['dispatched', 'reporter_replied'],
      agencyId: 'pupr-kaltim',
    },
    token: pupr,
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);

  const anon = await file({
    anonymous: true,
    reporter: MARK,
    title: 'Jembatan kayu Sungai Karang Mumus rapuh dan miring',
    body:
      `Saya ${MARK.name} (NIK ${MARK.nik}, HP ${MARK.phone}, ${MARK.email}) melaporkan jembatan kayu ` +
      'di Sungai Karang Mumus yang rapuh dan miring, membahayakan anak sekolah setiap pagi.',
    address: 'Jalan Pahlawan dekat jembatan kayu',
  });
  id.anon = anon.trackingId;
  anonKey = anon.accessKey;
  const photo = new FormData();
  photo.append(
    'file',
    new Blob([new Uint8Array(await photoWithGps(MARK.name, MARK.email))], { type: 'image/jpeg' }),
    `KTP-${MARK.nik}-${MARK.name.replace(' ', '-')}.jpg`,
  );
  const up = await t.api(`/api/v1/reports/${id.anon}/attachments`, {
    method: 'POST',
    body: photo,
    accessKey: anonKey,
  });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  attachmentId = up.body.items[0].id as string;
  await actOk(
    t,
    id.anon,
    'hold',
    { question: 'Di ruas jalan mana tepatnya jembatan itu?' },
    { token: coord },
  );
  await actOk(
    t,
    id.anon,
    'supplement',
    { body: `Dekat sekolah. Dari ${MARK.name}, hubungi ${MARK.phone}.` },
    {
      accessKey: anonKey,
    },
  );
  await actOk(t, id.anon, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  await actOk(t, id.anon, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: pupr });

  id.named = (
    await file({
      reporter: { name: 'Budi Bernama', email: 'budi.bernama@example.org', phone: '081211110000' },
      targetAgencyId: 'pupr-kaltim',
      title: 'Jembatan kayu Sungai Karang Mumus rapuh',
      body: 'Jembatan kayu di Sungai Karang Mumus rapuh dan miring, membahayakan anak sekolah setiap pagi.',
    })
  ).trackingId;

  id.dup = (
    await file({
      anonymous: true,
      reporter: MARK,
      title: 'Jembatan kayu Karang Mumus miring',
      body: 'Jembatan kayu di Sungai Karang Mumus miring dan rapuh, mohon segera diperbaiki oleh dinas.',
    })
  ).trackingId;
  await actOk(
    t,
    id.dup,
    'merge',
    {
      keepTrackingId: id.named,
      note: `Sama dengan laporan lain; pelapor ${MARK.name} (${MARK.phone}) melapor dua kali.`,
    },
    { token: coord },
  );

  const conf = await file({
    confidential: true,
    reporter: { name: 'Citra Rahasia', phone: '081233334444' },
    title: `Pungutan liar ${CONF_WORD} di loket jembatan`,
    body: `Petugas loket meminta uang tambahan ${CONF_WORD} setiap kali warga melintas jembatan kayu itu.`,
  });
  id.conf = conf.trackingId;
  await actOk(t, id.conf, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });

  const late = await file({
    reporter: { name: 'Dedi Terlambat', phone: '081255556666' },
    title: `Trotoar ${LATE_WORD} berlubang di depan sekolah`,
    body: `Trotoar ${LATE_WORD} di depan sekolah berlubang besar dan membahayakan pejalan kaki setiap hari.`,
  });
  id.late = late.trackingId;
  lateKey = late.accessKey;
  await actOk(t, id.late, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
  // Another citizen's duplicate of LATE, merged into it while LATE is public: its reporter is told where the
  // complaint lives on, until LATE is made rahasia.
  const lateDup = await file({
    reporter: { name: 'Eka Duplikat', phone: '081277778888' },
    title: 'Trotoar di depan sekolah berlubang besar',
    body: 'Trotoar di depan sekolah berlubang besar, pejalan kaki terpaksa turun ke jalan setiap pagi.',
  });
  id.lateDup = lateDup.trackingId;
  lateDupKey = lateDup.accessKey;
  await actOk(t, id.lateDup, 'merge', { keepTrackingId: id.late }, { token: coord });

  // An officer records a walk-in for a citizen who asked to stay anonim.
  const officer = await signInWeb(t.url, DEMO.coordinator);
  const form = await officer.get('/kantor/lapor-langsung');
  const walk = await officer.post('/kantor/lapor-langsung', {
    _csrf: csrfOf(form.html),
    channel: 'walk_in',
    classification: 'pengaduan',
    title: 'Lampu jembatan kayu padam setiap malam',
    body: 'Lampu di jembatan kayu Sungai Karang Mumus padam setiap malam sehingga gelap dan rawan.',
    regionCode: '64.72.01',
    categoryId: String(categoryId),
    identity: 'anonymous',
    visibility: 'public',
    'reporter.name': WALK.name,
    'reporter.phone': WALK.phone,
    'reporter.nik': WALK.nik,
  });
  expect(walk.status, walk.html.slice(0, 400)).toBe(303);
  const [walkRow] = await query<{ tracking_id: string }>(
    t.runtime.services.db,
    sql`select tracking_id from reports where title = 'Lampu jembatan kayu padam setiap malam'`,
  );
  id.walkin = walkRow!.tracking_id;
  await actOk(t, id.walkin, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token: coord });
}, 240_000);
afterAll(() => t?.close());

const AGENCY_ROLES = ['puprAdmin', 'puprOfficer', 'dinkesAdmin', 'ombudsman', 'assessor', 'citizen'] as const;

describe('an anonim reporter, as agency roles read the JSON API', () => {
  it.each(AGENCY_ROLES)('%s: report, timeline, lists and searches', async (role) => {
    const token = await t.login(DEMO[role]);
    const reads = [];
    for (const r of [id.anon, id.dup, id.walkin, id.named]) {
      reads.push(await t.api(`/api/v1/reports/${r}`, { token }));
      reads.push(await t.api(`/api/v1/reports/${r}/events`, { token }));
    }
    reads.push(await t.api('/api/v1/reports?pageSize=100', { token }));
    for (const r of reads) expect(leaked(text(r)), `${role} ${r.status}`).toEqual([]);
    // A search by the reporter's name, number or NIK finds none of their reports (no oracle).
    for (const q of [MARK.name, 'Markerstring', MARK.phone, MARK.nik, MARK.email, WALK.nik, WALK.phone]) {
      const found = await t.api(`/api/v1/reports?q=${encodeURIComponent(q)}&pageSize=100`, { token });
      expect(found.status).toBe(200);
      expect(leaked(text(found)), q).toEqual([]);
      for (const r of [id.anon, id.dup, id.walkin]) expect(text(found), `${role} q=${q}`).not.toContain(r);
    }
  });

  it("the agency's integration token (its own system): report, timeline, attachments, list", async () => {
    const minted = await t.api('/api/v1/integrations/tokens', {
      json: { name: 'SIMPUPR sweep' },
      token: await t.login(DEMO.puprAdmin),
    });
    expect(minted.status, text(minted)).toBe(201);
    const token = minted.body.token as string;
    const one = await t.api(`/api/v1/reports/${id.anon}`, { token });
    expect(one.status).toBe(200);
    const reads = [one, await t.api('/api/v1/reports?pageSize=100', { token })];
    for (const r of [id.anon, id.dup, id.walkin])
      reads.push(await t.api(`/api/v1/reports/${r}/events`, { token }));
    for (const r of reads) expect(leaked(text(r)), `${r.status}`).toEqual([]);
    const file = await fetch(`${t.url}/api/v1/reports/${id.anon}/attachments/${attachmentId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(file.status).toBe(200);
    expect(leaked(file.headers.get('content-disposition') ?? '')).toEqual([]);
  });

  it('the handling agency reads the anonim report (so the checks above were not empty)', async () => {
    const token = await t.login(DEMO.puprAdmin);
    const r = await t.api(`/api/v1/reports/${id.anon}`, { token });
    expect(r.status).toBe(200);
    expect(text(r)).toContain('Sungai Karang Mumus');
    expect(r.body.reporter ?? null).toBeNull();
    // The verifier with identity rights does see the markers: the sweep looks for the right strings.
    const coord = await t.api(`/api/v1/reports/${id.anon}`, { token: await t.login(DEMO.coordinator) });
    expect(text(coord)).toContain(MARK.name);
  });

  it('the addressed agency verifying a similar report: similar list, routing and unit suggestions', async () => {
    const token = await t.login(DEMO.puprAdmin);
    const similar = await t.api(`/api/v1/reports/${id.named}/similar`, { token });
    expect(similar.status, text(similar)).toBe(200);
    expect(similar.body.items.map((i: { trackingId: string }) => i.trackingId)).toContain(id.anon);
    const reads = [
      similar,
      await t.api(`/api/v1/reports/${id.named}/suggestions`, { token }),
      await t.api(`/api/v1/reports/${id.anon}/unit-suggestions`, { token }),
    ];
    for (const r of reads) expect(leaked(text(r)), `${r.status} ${text(r).slice(0, 200)}`).toEqual([]);
  });

  it('attachments: the file name and the photo metadata', async () => {
    const token = await t.login(DEMO.puprOfficer);
    const res = await fetch(`${t.url}/api/v1/reports/${id.anon}/attachments/${attachmentId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(leaked(res.headers.get('content-disposition') ?? '')).toEqual([]);
    expect(leaked(bytes.toString('latin1'))).toEqual([]);
    expect(bytes.toString('latin1')).not.toContain('GPS');
  });
});

describe('an anonim reporter, as agency staff read the back office', () => {
  it.each(['puprAdmin', 'puprOfficer'] as const)(
    '%s: queue, report pages, delivery log, notifications, statistics',
    async (role) => {
      const web = await signInWeb(t.url, DEMO[role]);
      const pages = ['/kantor', '/kantor/notifikasi', '/kantor/statistik', '/kantor/statistik/laporan'];
      for (const r of [id.anon, id.dup, id.walkin, id.named])
        pages.push(`/kantor/laporan/${r}`, `/kantor/laporan/${r}/pengiriman`);
      for (const p of pages) {
        const r = await web.get(p);
        expect(r.status, `${role} ${p}`).toBeLessThan(500);
        expect(leaked(r.html), `${role} ${p}`).toEqual([]);
      }
      const csv = await web.get('/kantor/statistik.csv');
      expect(leaked(csv.html)).toEqual([]);
      const api = await t.api('/api/v1/notifications', { token: await t.login(DEMO[role]) });
      expect(leaked(text(api))).toEqual([]);
    },
  );

  it('the report page of the anonim report is the one the agency handles (not an empty 404)', async () => {
    const web = await signInWeb(t.url, DEMO.puprOfficer);
    const page = await web.get(`/kantor/laporan/${id.anon}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sungai Karang Mumus');
  });
});

describe('an anonim reporter at rest', () => {
  it("no table holds the reporter's client address or browser in clear (rate-limit keys included)", async () => {
    await flushRateLimits(t.runtime.services);
    const db = t.runtime.services.db;
    const tables = await query<{ name: string }>(
      db,
      sql`select table_name as name from information_schema.tables
           where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    const found: string[] = [];
    for (const { name } of tables) {
      const [hit] = await query<{ n: number }>(
        db,
        sql`select count(*)::int as n from ${sql.identifier(name)} x
             where strpos(row_to_json(x)::text, ${CLIENT.ip}) > 0
                or strpos(row_to_json(x)::text, 'MarkerBrowser') > 0`,
      );
      if (hit!.n > 0) found.push(name);
    }
    expect(found).toEqual([]);
    // The submissions were counted (so the rate-limit table was searched with rows in it).
    const [counted] = await query<{ n: number }>(db, sql`select count(*)::int as n from rate_limits`);
    expect(counted!.n).toBeGreaterThan(0);
  });
});

describe('an anonim reporter in what leaves aduan', () => {
  it('no message to staff, a webhook or a partner carries the reporter (after the fan-out)', async () => {
    const smtp = await startSmtp();
    try {
      await deliverMailOnce(t.runtime.services, smtp.url);
      const staff = smtp.unique().filter((m) => !/zmarker|budi\.bernama/.test(m.to));
      expect(staff.length).toBeGreaterThan(0);
      for (const m of staff) expect(leaked(`${m.to} ${m.subject} ${m.text}`), m.to).toEqual([]);
    } finally {
      await smtp.close();
    }
    const rows = await query<{ recipient: string; channel: string; payload: unknown }>(
      t.runtime.services.db,
      sql`select o.recipient, o.channel, o.payload from outbox o
           join reports r on r.id = o.report_id
          where r.tracking_id in (${id.anon}, ${id.dup}, ${id.walkin}, ${id.named})
            and o.recipient <> 'reporter'`,
    );
    expect(rows.some((r) => r.channel === 'webhook')).toBe(true);
    for (const r of rows) {
      // Sealed texts (payload.textEnc) are opened as the worker would before sending.
      const p = r.payload as Record<string, unknown>;
      const open = typeof p.textEnc === 'string' ? t.runtime.services.sealer.open<string>(p.textEnc) : '';
      expect(leaked(JSON.stringify(r.payload) + JSON.stringify(open)), `${r.channel} ${r.recipient}`).toEqual(
        [],
      );
    }
  });

  it('the webhook delivery list', async () => {
    const token = await t.login(DEMO.puprAdmin);
    const hooks = await t.api('/api/v1/integrations/webhooks', { token });
    for (const h of hooks.body.items) {
      const d = await t.api(`/api/v1/integrations/webhooks/${h.id}/deliveries`, { token });
      expect(d.status).toBe(200);
      expect(leaked(text(d))).toEqual([]);
    }
  });
});

/** Every public read where a report could appear, with its text. */
async function publicReads(): Promise<Array<{ where: string; text: string }>> {
  const got: Array<{ where: string; text: string }> = [];
  /** `echo`: the searched words, which a page repeats (search box, links): taken out, the ids still tell. */
  const grab = async (where: string, echo?: string) => {
    const res = await fetch(t.url + where);
    let body = await res.text();
    if (echo) for (const e of [echo, ...echo.split(' ')]) body = body.split(e).join('');
    got.push({ where, text: `${res.status} ${body}` });
  };
  for (const r of [id.anon, id.dup, id.walkin, id.named, id.conf, id.late]) {
    await grab(`/api/v1/reports/${r}`);
    await grab(`/api/v1/reports/${r}/events`);
    await grab(`/laporan/${r}`);
    await grab(`/open311/v2/requests/${r}.json?extensions=true`);
  }
  for (const q of ['', CONF_WORD, LATE_WORD, 'jembatan', MARK.name, MARK.nik, MARK.phone]) {
    const search = q ? `q=${encodeURIComponent(q)}&` : '';
    await grab(`/api/v1/reports?${search}pageSize=100`, q);
    await grab(`/laporan?${search}`, q);
  }
  await grab('/open311/v2/requests.json?extensions=true&page_size=100');
  await grab('/open311/v2/requests.xml?extensions=true&page_size=100');
  await grab('/open311/v2/requests.json?lat=-0.5021&long=117.1536&radius=2000&extensions=true');
  await grab(
    `/open311/v2/servicerequestupdates.json?service_request_id=${[id.anon, id.late, id.conf].join(',')}`,
  );
  for (const title of [
    'Pungutan liar di loket jembatan',
    'Trotoar berlubang di depan sekolah',
    'Jembatan kayu rapuh',
  ])
    await grab(
      `/api/v1/similar?${new URLSearchParams({ title, body: title, regionCode: '64.72.01', lat: '-0.5021', lon: '117.1536' })}`,
    );
  await grab('/api/v1/open-data/reports.json');
  await grab('/api/v1/open-data/reports.csv');
  await grab('/api/v1/open-data/snapshots/latest');
  await grab('/statistik');
  await grab('/');
  // The reporter of the duplicate merged into LATE, with their private link.
  const own = { headers: { 'x-access-key': lateDupKey } };
  for (const path of [`/api/v1/reports/${id.lateDup}`, `/api/v1/reports/${id.lateDup}/events`]) {
    const res = await fetch(t.url + path, own);
    got.push({ where: `${path} (its reporter)`, text: `${res.status} ${await res.text()}` });
  }
  const page = await fetch(`${t.url}/lacak/${id.lateDup}?k=${encodeURIComponent(lateDupKey)}`);
  got.push({ where: `/lacak/${id.lateDup} (its reporter)`, text: `${page.status} ${await page.text()}` });
  return got;
}

describe('the public', () => {
  it('never reads an anonim reporter, a rahasia report, or a report made rahasia after it was public', async () => {
    const token = await t.login(DEMO.national);
    await refreshStats(t.runtime.services);
    await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    const before = await publicReads();
    // LATE is public now, on the API, the page, Open311, the similar list and open data: the sweep can see it.
    for (const where of [
      `/api/v1/reports/${id.late}`,
      `/laporan/${id.late}`,
      '/open311/v2/requests.json?extensions=true&page_size=100',
      '/api/v1/open-data/reports.json',
      '/api/v1/open-data/snapshots/latest',
      `/api/v1/reports/${id.lateDup}/events (its reporter)`,
      `/lacak/${id.lateDup} (its reporter)`,
    ])
      expect(before.find((g) => g.where === where)?.text, where).toContain(id.late);
    for (const g of before) {
      expect(leaked(g.text), g.where).toEqual([]);
      expect(g.text, g.where).not.toContain(CONF_WORD);
      // A read of the rahasia report itself is a 404 (whose page repeats the address asked for).
      if (!g.text.startsWith('404')) expect(g.text, g.where).not.toContain(id.conf);
    }

    // LATE is flagged anonim and rahasia; every public read drops it at once (no refresh, no new snapshot).
    const r = await t.api(`/api/v1/reports/${id.late}/privacy`, {
      json: { anonymous: true, confidential: true },
      token,
    });
    expect(r.status, text(r)).toBe(200);
    const after = await publicReads();
    for (const g of after) {
      expect(leaked(g.text), g.where).toEqual([]);
      expect(g.text, g.where).not.toContain(LATE_WORD);
      if (!g.text.startsWith('404')) expect(g.text, g.where).not.toContain(id.late);
    }
    // A public search by the reporter's name, number or NIK finds none of their reports (no oracle).
    for (const g of after.filter((x) => /q=(Zulkarnaen|6471|0812)/.test(x.where)))
      for (const r of [id.anon, id.dup, id.walkin]) expect(g.text, g.where).not.toContain(r);
    // …while its reporter still reads it with the private link.
    expect((await t.api(`/api/v1/reports/${id.late}`, { accessKey: lateKey })).status).toBe(200);
  });
});
