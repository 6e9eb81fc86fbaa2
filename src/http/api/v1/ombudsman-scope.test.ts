/**
 * Fresh-eyes audit of the hand-off to the Ombudsman, over real HTTP against a controllable clock: what the Ombudsman
 * reads of a transferred report outside its hand-off package (the JSON API), and what the package itself carries.
 *
 * - The Ombudsman reads a transferred report through the API as the package shows it: no internal notes (an agency's
 *   internal note may name the reporter, who did not share their identity), and it writes nothing into the agency's
 *   timeline (the role is read-only).
 * - The hand-off package (the Ombudsman's pages and what the worker pushes to SIMPeL) of a reporter who did not share
 *   their identity masks their own name, phone and email in the title, the body and the timeline's texts (a complaint
 *   opening "Saya Rina Pelapor …", a verifier's question greeting them by name); shared, the texts stay as written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { signInWeb } from '../../../../test/helpers/web-client.ts';
import { handoffPackage } from '../../../queries/handoff-package.ts';
import sharp from 'sharp';

let t: TestApp;
const REPORTER = { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id', phone: '081234567890' };
const INTERNAL_NOTE = 'Sudah ditelepon Ibu Rina Pelapor di 081234567890, anggaran belum ada.';
let report: { trackingId: string; accessKey: string };
/** Two reports whose texts name the reporter: handed over without and with the identity. */
let named: { trackingId: string; accessKey: string };
let namedShared: { trackingId: string; accessKey: string };
const NAMED_TITLE = 'Saya Rina Pelapor: jalan provinsi di Balikpapan amblas';
const NAMED_BODY =
  'Saya Rina Pelapor, warga Balikpapan Timur (081234567890), melaporkan jalan amblas di depan rumah.';
const QUESTION = 'Ibu Rina Pelapor, mohon sebutkan nomor RT lokasi jalan amblas tersebut.';

beforeAll(async () => {
  // Monday 5 January 2026, 09:00 WITA; the hand-off opens after the escalation deadline, in April.
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const res = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Jalan provinsi di Balikpapan amblas',
      body: 'Jalan provinsi di Balikpapan amblas. Sudah berbulan-bulan tidak ada perbaikan.',
      regionCode: '64.71.01',
      reporter: REPORTER,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  report = res.body;
  await actOk(
    t,
    report.trackingId,
    'verify',
    { categoryId, agencyId: 'pupr-kaltim' },
    { token: await t.login(DEMO.coordinator) },
  );
  await actOk(
    t,
    report.trackingId,
    'note',
    { body: INTERNAL_NOTE },
    { token: await t.login(DEMO.puprAdmin) },
  );
  const coordinator = await t.login(DEMO.coordinator);
  const fileNamed = async () => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: NAMED_TITLE,
        body: NAMED_BODY,
        regionCode: '64.71.01',
        reporter: REPORTER,
        confidential: true,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // The reporter's photo, named after them.
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0b5d4b' } })
      .png()
      .toBuffer();
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'foto-rina-pelapor.png');
    const up = await t.api(`/api/v1/reports/${r.body.trackingId}/attachments`, {
      body: fd,
      accessKey: r.body.accessKey,
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    await actOk(t, r.body.trackingId, 'hold', { question: QUESTION }, { token: coordinator });
    await actOk(
      t,
      r.body.trackingId,
      'supplement',
      { body: 'Lokasinya di RT 07.' },
      { accessKey: r.body.accessKey },
    );
    await actOk(
      t,
      r.body.trackingId,
      'verify',
      { categoryId, agencyId: 'pupr-kaltim' },
      { token: coordinator },
    );
    return r.body as { trackingId: string; accessKey: string };
  };
  named = await fileNamed();
  namedShared = await fileNamed();
  t.setNow(new Date('2026-04-13T09:00:00+08:00'));
  await actOk(t, named.trackingId, 'escalate', { consent: true }, { accessKey: named.accessKey });
  await actOk(
    t,
    namedShared.trackingId,
    'escalate',
    { consent: true, shareIdentity: true },
    { accessKey: namedShared.accessKey },
  );
  // The reporter consents without sharing the identity.
  await actOk(t, report.trackingId, 'escalate', { consent: true }, { accessKey: report.accessKey });
});
afterAll(() => t?.close());

describe('the Ombudsman on the JSON API', () => {
  it('reads the transferred report and its timeline without internal notes or the reporter', async () => {
    const token = await t.login(DEMO.ombudsman);
    const got = await t.api(`/api/v1/reports/${report.trackingId}`, { token });
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('transferred');
    expect(got.body.reporter).toBeUndefined();
    expect(got.body.allowedActions).not.toContain('note');
    const events = await t.api(`/api/v1/reports/${report.trackingId}/events`, { token });
    expect(events.status).toBe(200);
    const items = events.body.items as Array<{ type: string; visibility: string; body: string | null }>;
    expect(items.map((e) => e.type)).toEqual(['submit', 'verify', 'escalate']);
    expect(items.every((e) => e.visibility === 'public')).toBe(true);
    const text = JSON.stringify(events.body);
    for (const secret of [REPORTER.name, REPORTER.phone, 'anggaran belum ada'])
      expect(text).not.toContain(secret);
    // The agency still reads its own note.
    const agency = await t.api(`/api/v1/reports/${report.trackingId}/events`, {
      token: await t.login(DEMO.puprAdmin),
    });
    expect(JSON.stringify(agency.body)).toContain('anggaran belum ada');
  });

  it('cannot write a note into the agency timeline', async () => {
    const token = await t.login(DEMO.ombudsman);
    const r = await t.api(`/api/v1/reports/${report.trackingId}/actions/note`, {
      json: { body: 'Catatan dari Ombudsman untuk instansi.' },
      token,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(403);
  });
});

describe('the hand-off package of a reporter who did not share the identity', () => {
  const SECRETS = [REPORTER.name, 'Rina', REPORTER.phone, REPORTER.email];

  it('masks the reporter in the title, body and timeline texts it pushes', async () => {
    const pkg = (await handoffPackage(t.runtime.services, named.trackingId))!;
    expect(pkg.reporter).toBeNull();
    const texts = [pkg.title, pkg.body, ...pkg.timeline.map((e) => e.body ?? '')];
    for (const secret of SECRETS) for (const text of texts) expect(text).not.toContain(secret);
    // The rest of the texts stays: the Ombudsman still reads the complaint and the question.
    expect(pkg.body).toContain('melaporkan jalan amblas di depan rumah');
    expect(pkg.timeline.find((e) => e.type === 'hold')?.body).toContain('mohon sebutkan nomor RT');

    const shared = (await handoffPackage(t.runtime.services, namedShared.trackingId))!;
    expect(shared.reporter?.name).toBe(REPORTER.name);
    expect(shared.title).toBe(NAMED_TITLE);
    expect(shared.body).toBe(NAMED_BODY);
    expect(shared.timeline.find((e) => e.type === 'hold')?.body).toBe(QUESTION);
  });

  it('masks it on the Ombudsman office list and report page too', async () => {
    const c = await signInWeb(t.url, DEMO.ombudsman);
    const list = await c.get('/kantor/ombudsman');
    expect(list.status).toBe(200);
    const page = await c.get(`/kantor/ombudsman/laporan/${named.trackingId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('mohon sebutkan nomor RT');
    for (const secret of SECRETS) expect(page.html).not.toContain(secret);
    // The list names the shared report's reporter in its title, and only that one.
    expect(list.html.split(REPORTER.name).length - 1).toBe(1);
    const sharedPage = await c.get(`/kantor/ombudsman/laporan/${namedShared.trackingId}`);
    expect(sharedPage.html).toContain(QUESTION);
  });
});

describe('the Ombudsman on the JSON API, for a reporter who did not share the identity', () => {
  const SECRETS = [REPORTER.name, 'Rina', REPORTER.phone, REPORTER.email];

  it('reads the report, the list and the timeline with the reporter masked, as the package', async () => {
    const token = await t.login(DEMO.ombudsman);
    const one = await t.api(`/api/v1/reports/${named.trackingId}`, { token });
    expect(one.status).toBe(200);
    expect(one.body.body).toContain('melaporkan jalan amblas di depan rumah');
    const list = await t.api('/api/v1/reports?pageSize=100', { token });
    const item = (list.body.items as Array<{ trackingId: string }>).find(
      (r) => r.trackingId === named.trackingId,
    );
    expect(item).toBeDefined();
    const events = await t.api(`/api/v1/reports/${named.trackingId}/events`, { token });
    expect(JSON.stringify(events.body)).toContain('mohon sebutkan nomor RT');
    for (const text of [JSON.stringify(one.body), JSON.stringify(item), JSON.stringify(events.body)])
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    // Shared: as written.
    const shared = await t.api(`/api/v1/reports/${namedShared.trackingId}`, { token });
    expect(shared.body.title).toBe(NAMED_TITLE);
    expect(shared.body.reporter.name).toBe(REPORTER.name);
    // The agency reads its report as stored.
    const agency = await t.api(`/api/v1/reports/${named.trackingId}`, {
      token: await t.login(DEMO.puprAdmin),
    });
    expect(agency.body.title).toBe(NAMED_TITLE);
  });
});

describe('the reporter files the package lists', () => {
  it('open for the Ombudsman under the package name, and stay closed to an agency that may not see the report', async () => {
    const pkg = (await handoffPackage(t.runtime.services, named.trackingId))!;
    expect(pkg.attachments).toHaveLength(1);
    const file = pkg.attachments[0]!;
    expect(file.filename).toMatch(/^lampiran-[0-9a-f]{8}\.png$/);
    const c = await signInWeb(t.url, DEMO.ombudsman);
    const page = await c.get(`/kantor/ombudsman/laporan/${named.trackingId}`);
    const href = `/api/v1/reports/${named.trackingId}/attachments/${file.id}`;
    expect(page.html).toContain(`href="${href}"`);
    const token = await t.login(DEMO.ombudsman);
    const got = await fetch(t.url + href, { headers: { authorization: `Bearer ${token}` } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toContain(file.filename);
    expect(got.headers.get('content-disposition')).not.toContain('rina');
    // The officer of another agency, who may not see the report, gets nothing.
    const other = await fetch(t.url + href, {
      headers: { authorization: `Bearer ${await t.login(DEMO.dinkesAdmin)}` },
    });
    expect(other.status).toBe(404);
  });
});
