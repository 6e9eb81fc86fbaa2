/**
 * Auto-dispatch (issue 7) over real HTTP and through the worker's command, on PGlite (default) or
 * PostgreSQL (DATABASE_URL): off by default, settings via the API and the CLI with authorisation and
 * bilingual field errors, dispatch through the ordinary verify as `system:auto-dispatch`, the event
 * that says so, the reversal (bukan wewenang return, then a verifier's verify), and privacy (no
 * reporter identity in events or in what the agency sees). Synthetic texts only.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
import { autoDispatchPending } from '../../../commands/auto-dispatch.ts';
import { trainRoutingModels } from '../../../commands/train-routing.ts';
import { routingAutoDispatchCli } from '../../../cli/routing-auto-dispatch.ts';
import { HEALTH, ROADS } from '../../../../test/helpers/routing-corpus.ts';

let t: TestApp;
let coord: string;
let national: string;
let puprAdmin: string;
let catRoads: number;
let catHealth: number;

const NAME = 'Warga Anonim Rahasia';
const EMAIL = 'anonim.rahasia@contoh.aduan.id';

const submit = (title: string, extra: Record<string, unknown> = {}) =>
  submitReport(t, title, { reporter: { name: NAME, email: EMAIL, phone: '081200000009' }, ...extra });
const verify = (id: string, agencyId: string, categoryId: number) =>
  verifyReport(t, coord, id, agencyId, categoryId);

const put = (json: Record<string, unknown>, token?: string) =>
  t.api('/api/v1/routing/auto-dispatch', { method: 'PUT', json, ...(token ? { token } : {}) });
const status = async (id: string) => (await t.api(`/api/v1/reports/${id}`, { token: coord })).body;
const events = async (id: string, token?: string) =>
  (await t.api(`/api/v1/reports/${id}/events`, token ? { token } : {})).body.items as any[];

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  national = await t.login(DEMO.national);
  puprAdmin = await t.login(DEMO.puprAdmin);
  [catRoads, catHealth] = await categoryIds(t, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'KESEHATAN');
  for (const title of ROADS) await verify(await submit(title), 'pupr-kaltim', catRoads);
  for (const title of HEALTH) await verify(await submit(title), 'dinkes-kaltim', catHealth);
  const results = await trainRoutingModels(t.runtime.services, {
    cvMaxRows: 0,
    kinds: ['agency', 'category'],
  });
  expect(results.map((r) => r.status)).toEqual(['trained', 'trained']);
}, 120_000);
afterAll(() => t?.close());

describe('auto-dispatch', () => {
  it('is off by default: a confident suggestion is not dispatched', async () => {
    expect((await t.api('/api/v1/routing/auto-dispatch', { token: national })).body).toEqual({});
    const id = await submit('Jalan rusak berlubang dan aspal mengelupas dekat jembatan');
    const r = await autoDispatchPending(t.runtime.services);
    expect(r.dispatched).toEqual([]);
    expect((await status(id)).status).toBe('submitted');
    await verify(id, 'pupr-kaltim', catRoads); // out of the way of the next passes
  });

  it('settings: national admin for the instance, agency managers for their agency, 401/403/422 otherwise', async () => {
    expect((await put({ enabled: true })).status).toBe(401);
    expect((await put({ enabled: true }, coord)).status).toBe(403);
    expect((await put({ enabled: true, agencyId: 'dinkes-kaltim' }, puprAdmin)).status).toBe(403);
    const citizen = await t.login(DEMO.citizen);
    expect((await t.api('/api/v1/routing/auto-dispatch', { token: citizen })).status).toBe(403);

    const low = await put({ enabled: true, threshold: 0.2 }, national);
    expect(low.status).toBe(422);
    expect(JSON.stringify(low.body)).toContain('threshold');
    const en = await t.api('/api/v1/routing/auto-dispatch', {
      method: 'PUT',
      json: { enabled: 'yes' },
      token: national,
      headers: { 'accept-language': 'en' },
    });
    expect(en.status).toBe(422);
    const unknown = await put({ enabled: true, agencyId: 'no-such-agency' }, national);
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toContain('agencyId');

    const ok = await put({ enabled: true, threshold: 0.5, agencyId: 'pupr-kaltim' }, puprAdmin);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ agencies: { 'pupr-kaltim': { enabled: true, threshold: 0.5 } } });
    const read = await t.api('/api/v1/routing/auto-dispatch', { token: puprAdmin });
    expect(read.body.agencies['pupr-kaltim']).toEqual({ enabled: true, threshold: 0.5 });
  });

  it('dispatches a confident report through verify as the system actor, once, and logs it without identities', async () => {
    const road = await submit('Aspal jalan rusak berlubang dekat jembatan kampung', { anonymous: true });
    const health = await submit('Puskesmas tutup dan dokter tidak ada, pasien menunggu');
    const r = await autoDispatchPending(t.runtime.services);
    expect(r.dispatched.map((d) => d.trackingId)).toEqual([road]);
    expect(r.dispatched[0]!.agencyId).toBe('pupr-kaltim');
    expect(r.dispatched[0]!.confidence).toBeGreaterThanOrEqual(0.5);
    // The health report's top agency (dinkes) has no rule and the instance is off.
    expect((await status(health)).status).toBe('submitted');

    expect((await status(road)).status).toBe('dispatched');
    const ev = (await events(road, coord)).find((e: any) => e.type === 'verify');
    expect(ev.actor.role).toBe('system:auto-dispatch');
    expect(ev.actor.userId).toBeUndefined();
    expect(ev.data.agencyId).toBe('pupr-kaltim');
    expect(ev.data.autoDispatch).toMatchObject({ threshold: 0.5, modelVersion: 1 });
    expect(ev.data.autoDispatch.confidence).toBeGreaterThanOrEqual(0.5);

    // Privacy: the anonymous reporter's identity is in no event and never reaches the agency or the public.
    const rows = await query<{ data: unknown; body: string | null }>(
      t.runtime.services.db,
      sql`select e.data, e.body from report_events e join reports r on r.id = e.report_id
           where r.tracking_id = ${road}`,
    );
    expect(JSON.stringify(rows)).not.toMatch(/Anonim Rahasia|anonim\.rahasia|081200000009/);
    const agencyView = await t.api(`/api/v1/reports/${road}`, { token: puprAdmin });
    expect(agencyView.status).toBe(200);
    expect(JSON.stringify(agencyView.body)).not.toMatch(/Anonim Rahasia|anonim\.rahasia|081200000009/);
    const publicView = await t.api(`/api/v1/reports/${road}`);
    expect(publicView.status).toBe(200);
    expect(JSON.stringify(publicView.body)).not.toMatch(/Anonim Rahasia|anonim\.rahasia|081200000009/);
    const publicEvents = await events(road);
    expect(JSON.stringify(publicEvents)).not.toMatch(/Anonim Rahasia|anonim\.rahasia|081200000009/);
    expect(publicEvents.find((e: any) => e.type === 'verify').actor.role).toBe('system:auto-dispatch');
    const agencyEvents = await events(road, puprAdmin);
    expect(JSON.stringify(agencyEvents)).not.toMatch(/Anonim Rahasia|anonim\.rahasia|081200000009/);

    // Considered once: a second pass does not look at these reports again.
    expect((await autoDispatchPending(t.runtime.services)).considered).toBe(0);
    // The live accuracy counts verifiers' decisions only.
    const acc = await t.api('/api/v1/routing/accuracy', { token: national });
    const month = acc.body.months.find((m: any) => m.month === '2026-03');
    expect(month.decided).toBe(0);
  });

  it('is reversible: the agency returns it as bukan wewenang and a verifier dispatches it again', async () => {
    const id = await submit('Jalan berlubang dan aspal rusak di depan puskesmas');
    const r = await autoDispatchPending(t.runtime.services);
    expect(r.dispatched.map((d) => d.trackingId)).toEqual([id]);
    const back = await t.api(`/api/v1/reports/${id}/actions/return`, {
      json: { note: 'Bukan wewenang PU: jalan lingkungan puskesmas.' },
      token: puprAdmin,
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect((await status(id)).status).toBe('returned');
    await verify(id, 'dinkes-kaltim', catHealth);
    expect((await status(id)).status).toBe('dispatched');
    expect((await events(id, coord)).map((e: any) => [e.type, e.actor.role])).toEqual(
      expect.arrayContaining([
        ['verify', 'system:auto-dispatch'],
        ['return', expect.any(String)],
        ['verify', expect.not.stringMatching(/^system:/)],
      ]),
    );
    // A returned report is not auto-dispatched again.
    expect((await autoDispatchPending(t.runtime.services)).considered).toBe(0);
  });

  it("reversing a person's dispatch: 403 for those without the right (before anything else), 422 in words for the rest", async () => {
    const id = await submit('Jalan berlubang di depan balai desa');
    await verify(id, 'pupr-kaltim', catRoads);
    const reverse = (token: string) =>
      t.api(`/api/v1/reports/${id}/actions/reverse-auto-dispatch`, {
        json: { note: 'Tarik kembali.' },
        token,
      });
    for (const who of [DEMO.puprOfficer, DEMO.citizen, DEMO.dinkesAdmin])
      expect((await reverse(await t.login(who))).status, who).toBe(403);
    const r = await reverse(coord);
    expect(r.status).toBe(422);
    expect(r.body.error.translations.id.fields.trackingId).toBe(
      'Laporan ini tidak diteruskan otomatis, jadi tidak dapat ditarik kembali di sini.',
    );
    expect(r.body.error.translations.en.fields.trackingId).toContain('not auto-dispatched');
  });

  it('the API lists auto-dispatches in scope and lets the coordinator pull one back (401/403/404/409/422)', async () => {
    const id = await submit('Aspal jalan kabupaten rusak dan berlubang di tikungan', { anonymous: true });
    expect((await autoDispatchPending(t.runtime.services)).dispatched.map((d) => d.trackingId)).toEqual([id]);
    const list = (token?: string) => t.api('/api/v1/routing/auto-dispatches', token ? { token } : {});
    expect((await list()).status).toBe(401);
    expect((await list(await t.login(DEMO.puprOfficer))).status).toBe(403);
    const mine = await list(coord);
    expect(mine.status).toBe(200);
    const row = mine.body.items.find((r: any) => r.trackingId === id);
    expect(row).toMatchObject({
      agencyId: 'pupr-kaltim',
      status: 'dispatched',
      reversed: false,
      canReverse: true,
    });
    // In the report's zone (Samarinda: WITA), as every time the API gives.
    expect(row.dispatchedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
    // No reporter identity in the list, for any admin.
    for (const token of [coord, puprAdmin, national])
      expect(JSON.stringify((await list(token)).body)).not.toMatch(
        /Anonim Rahasia|anonim\.rahasia|081200000009/,
      );
    // The timelines name the system, not a person: the public page and the back office.
    const publicPage = await (await fetch(`${t.url}/laporan/${id}`)).text();
    expect(publicPage).toContain('Sistem (otomatis)');
    // And says no person read it first (not "sudah diperiksa").
    expect(publicPage).toContain('Laporan diteruskan otomatis ke instansi yang paling mungkin berwenang');
    expect(publicPage).not.toContain('Laporan sudah diperiksa');
    const staffPage = await (await signInWeb(t.url, DEMO.coordinator)).get(`/kantor/laporan/${id}?lang=en`);
    expect(staffPage.html).toContain('System (automatic)');
    expect(staffPage.html).toMatch(
      /forwarded automatically: model confidence \d+(\.\d)?% \(threshold \d+(\.\d)?%\)/,
    );
    // Another region's coordinator neither sees it nor may reverse it.
    const other = await t.login(DEMO.balikpapanCoordinator);
    expect((await list(other)).body.items.some((r: any) => r.trackingId === id)).toBe(false);
    const reverse = (json: Record<string, unknown>, token?: string) =>
      t.api(`/api/v1/reports/${id}/actions/reverse-auto-dispatch`, { json, ...(token ? { token } : {}) });
    // allowedActions offers the reversal to exactly those who may do it: the coordinator (manages the agency) and
    // the agency's admin (return right), on the report and in the list; not to its officer or another region.
    const offered = async (token: string, listedToo = false) => {
      const one = (await t.api(`/api/v1/reports/${id}`, { token })).body.allowedActions ?? [];
      const listed = (await t.api('/api/v1/reports?status=dispatched', { token })).body.items?.find(
        (r: any) => r.trackingId === id,
      )?.allowedActions;
      if (listedToo) expect(listed, 'in the list').toBeDefined();
      if (listed)
        expect(listed.includes('reverse-auto-dispatch'), 'list').toBe(one.includes('reverse-auto-dispatch'));
      return one.includes('reverse-auto-dispatch');
    };
    expect(await offered(coord, true)).toBe(true);
    expect(await offered(puprAdmin, true)).toBe(true);
    expect(await offered(await t.login(DEMO.puprOfficer))).toBe(false);
    expect(await offered(other)).toBe(false);
    // (The report is public once dispatched, so it is visible: 403, not 404.)
    expect((await reverse({ note: 'Keliru.' }, other)).status).toBe(403);
    expect((await reverse({ note: 'Keliru.' }, await t.login(DEMO.puprOfficer))).status).toBe(403);
    const empty = await reverse({ note: ' ' }, coord);
    expect(empty.status).toBe(422);
    expect(empty.body.error.fields.note).toBeTruthy();
    const done = await reverse({ note: 'Penerusan otomatis keliru: jalan kabupaten.' }, coord);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('returned');
    expect(JSON.stringify(done.body)).not.toMatch(/Anonim Rahasia|anonim\.rahasia|081200000009/);
    const ret = (await events(id, coord)).filter((e: any) => e.type === 'return');
    expect(ret.map((e: any) => e.actor.role)).toEqual(['coordinator']);
    expect((await reverse({ note: 'Lagi.' }, coord)).status).toBe(409);
    expect(await offered(coord)).toBe(false);
    expect((await list(coord)).body.items.find((r: any) => r.trackingId === id)).toMatchObject({
      reversed: true,
      canReverse: false,
    });
    // A person's dispatch is not an auto-dispatch.
    const manual = await submit('Lampu jalan padam di simpang empat');
    await verify(manual, 'pupr-kaltim', catRoads);
    const notAuto = await t.api(`/api/v1/reports/${manual}/actions/reverse-auto-dispatch`, {
      json: { note: 'Keliru.' },
      token: coord,
    });
    expect(notAuto.status).toBe(422);
    expect((await t.api(`/api/v1/reports/${manual}`, { token: coord })).body.allowedActions).not.toContain(
      'reverse-auto-dispatch',
    );
  });

  it('the CLI shows and changes the rules, and rejects bad arguments', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const svc = t.runtime.services;
      expect(await routingAutoDispatchCli(svc, ['--on', '--threshold', '0.95', '--json'])).toBe(0);
      expect(JSON.parse(log.mock.calls.at(-1)![0] as string).instance).toEqual({
        enabled: true,
        threshold: 0.95,
      });
      expect(await routingAutoDispatchCli(svc, ['--off', '--agency', 'pupr-kaltim'])).toBe(0);
      expect(await routingAutoDispatchCli(svc, [])).toBe(0);
      expect(log.mock.calls.map((c) => c[0]).join('\n')).toContain('agency pupr-kaltim: off (threshold 0.5)');
      expect(await routingAutoDispatchCli(svc, ['--on', '--threshold', '2'])).toBe(2);
      expect(await routingAutoDispatchCli(svc, ['--threshold', '0.9'])).toBe(2);
      expect(await routingAutoDispatchCli(svc, ['--on', '--agency', 'no-such-agency'])).toBe(2);
      expect(String(error.mock.calls.at(-1)![0])).toContain('no-such-agency');
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  });
});
