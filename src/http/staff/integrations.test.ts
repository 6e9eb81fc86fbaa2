/**
 * The integrations page (/kantor/integrasi) over real HTTP with cookie sessions (WebClient: redirects not
 * followed, so PRG is asserted): who may open it, scope (an agency admin sees and changes only its own
 * agency's keys, tokens and webhooks), CSRF, bad input with field messages in both languages (never a 500),
 * secrets shown exactly once and never stored in clear, last-used times, webhooks delivered by the real worker
 * to a REAL local receiver with the delivery log, pause/delete, the SSRF guard at configuration and delivery
 * time, and federation peers for the national admin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, WebClient, type WebResponse } from '../../../test/helpers/web-client.ts';
import { startWorker, type Worker } from '../../jobs/worker.ts';
import { t as tr } from '../../locales/index.ts';

let t: TestApp;
let worker: Worker;
let rx: { url: string; bodies: string[]; close: () => Promise<void> };

/** GET the page, then POST a form on it with the page's CSRF token. */
async function submit(c: WebClient, action: string, form: Record<string, string | string[]>, lang = 'id') {
  const page = await c.get(`/kantor/integrasi?lang=${lang}`);
  expect(page.status, page.html.slice(0, 500)).toBe(200);
  return c.post(`${action}?lang=${lang}`, { _csrf: csrfOf(page.html), ...form });
}

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

/** The secret in the confirmation panel (or null). */
function shownSecret(html: string): string | null {
  return /data-testid="created-secret">([^<]+)</.exec(html)?.[1] ?? null;
}

/** Follows a PRG redirect and returns the page. */
async function follow(c: WebClient, r: WebResponse): Promise<WebResponse> {
  expect(r.status, r.html.slice(0, 800)).toBe(303);
  return c.get(r.location!);
}

const msg = (lang: 'id' | 'en', key: string, params?: Record<string, string | number>) =>
  tr(lang, key, params);

async function dispatchToPupr(title: string): Promise<string> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: 'Saluran drainase tersumbat sampah sehingga jalan tergenang setiap kali hujan turun deras.',
      regionCode: '64.72.02',
      reporter: { name: 'Rahmawati Tersembunyi', email: 'rahma.anon@contoh.aduan.id' },
      anonymous: true,
    },
  });
  expect(r.status).toBe(201);
  const coord = await t.login(DEMO.coordinator);
  const [cat] = await rows<{ id: number }>(sql`select id from categories where active order by id limit 1`);
  const v = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
    json: { agencyId: 'pupr-kaltim', categoryId: cat!.id },
    token: coord,
  });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  return r.body.trackingId as string;
}

/** Fan-out, then deliveries (two passes: event rows create webhook rows). */
async function drain() {
  await worker.drain();
  await worker.drain();
}

beforeAll(async () => {
  // No allowlist: the SSRF guard is on; tests that deliver locally allowlist 127.0.0.1 for a moment.
  t = await startTestApp();
  worker = await startWorker(t.runtime.services, { transports: {}, autoStart: false, sweepEveryMs: 0 });
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rx = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
});
afterAll(async () => {
  await worker?.stop();
  await rx?.close();
  await t?.close();
});

describe('/kantor/integrasi', () => {
  it('is for admins: signed-out → sign-in, officer and citizen → 403, admins see it in the menu', async () => {
    const anon = await new WebClient(t.url).get('/kantor/integrasi');
    expect(anon.status).toBe(303);
    expect(anon.location).toMatch(/^\/masuk\?next=/);
    for (const who of [DEMO.puprOfficer, DEMO.citizen]) {
      const c = await signInWeb(t.url, who);
      expect((await c.get('/kantor/integrasi')).status).toBe(403);
      const page = await c.get('/kantor/integrasi');
      expect(page.html).not.toContain('name="keyName"');
    }
    const officerQueue = await (await signInWeb(t.url, DEMO.puprOfficer)).get('/kantor');
    expect(officerQueue.html).not.toContain('href="/kantor/integrasi"');

    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const queue = await pupr.get('/kantor');
    expect(queue.html).toContain('href="/kantor/integrasi"');
    const page = await pupr.get('/kantor/integrasi');
    expect(page.status).toBe(200);
    expect(page.html).toContain(tr('id', 'integrations.title'));
    expect(page.html).not.toContain('name="peerUrl"'); // federation: national admin only
    const en = await pupr.get('/kantor/integrasi?lang=en');
    expect(en.html).toContain(tr('en', 'integrations.title'));
    const national = await (await signInWeb(t.url, DEMO.national)).get('/kantor/integrasi');
    expect(national.html).toContain('name="peerUrl"');
  });

  it('partner keys: shown once, stored hashed, last use recorded, revoked; scoped to the agency', async () => {
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const r = await submit(pupr, '/kantor/integrasi/kunci', {
      keyName: 'Aplikasi Kota Samarinda',
      keyAgency: 'pupr-kaltim',
      keyOptions: 'agency',
    });
    expect(r.location).toBe('/kantor/integrasi?lang=id');
    const shown = await follow(pupr, r);
    const key = shownSecret(shown.html);
    expect(key).toMatch(/^ak_/);
    expect(shown.html).toContain('Aplikasi Kota Samarinda');
    // Once: the next view no longer has it, and it is nowhere in the database in clear.
    const again = await pupr.get('/kantor/integrasi');
    expect(shownSecret(again.html)).toBeNull();
    expect(again.html).not.toContain(key!);
    const [row] = await rows<{ id: string; scopes: string[]; dump: string; last_used_at: Date | null }>(
      sql`select id, scopes, row_to_json(api_keys)::text as dump, last_used_at from api_keys
          where name = 'Aplikasi Kota Samarinda'`,
    );
    expect(row!.scopes).toEqual(['open311', 'agency']);
    expect(row!.dump).not.toContain(key!);
    expect(row!.last_used_at).toBeNull();
    expect(again.html).toContain(tr('id', 'integrations.never'));

    // Using the key records the last use.
    const use = await fetch(`${t.url}/open311/v2/requests.json?api_key=${key}`);
    expect(use.status).toBe(200);
    const [used] = await rows<{ last_used_at: Date | null }>(
      sql`select last_used_at from api_keys where id = ${row!.id}`,
    );
    expect(used!.last_used_at).not.toBeNull();

    // Dinkes neither sees nor revokes it; revoking as Dinkes is a 404.
    const dinkes = await signInWeb(t.url, DEMO.dinkesAdmin);
    const dPage = await dinkes.get('/kantor/integrasi');
    expect(dPage.html).not.toContain('Aplikasi Kota Samarinda');
    const dRevoke = await submit(dinkes, `/kantor/integrasi/kunci/${row!.id}/cabut`, {});
    expect(dRevoke.status).toBe(404);
    // Nor issue one for PUPR, nor a national or federation key.
    expect(
      (await submit(dinkes, '/kantor/integrasi/kunci', { keyName: 'X', keyAgency: 'pupr-kaltim' })).status,
    ).toBe(403);
    const national = await submit(dinkes, '/kantor/integrasi/kunci', { keyName: 'Nasional' });
    expect(national.status).toBe(422);
    expect(national.html).toContain(msg('id', 'errors.field.required'));
    expect(
      (
        await submit(dinkes, '/kantor/integrasi/kunci', {
          keyName: 'Fed',
          keyAgency: 'dinkes-kaltim',
          keyOptions: 'federation',
        })
      ).status,
    ).toBe(403);

    // PUPR revokes it: listed as revoked, and Open311 refuses the key.
    const revoked = await follow(pupr, await submit(pupr, `/kantor/integrasi/kunci/${row!.id}/cabut`, {}));
    expect(revoked.html).toContain(tr('id', 'integrations.done.revoked'));
    expect(revoked.html).toContain(tr('id', 'integrations.revoked'));
    const refused = await fetch(`${t.url}/open311/v2/requests.json?api_key=${key}`);
    expect(refused.status).toBe(403);
  });

  it('agency tokens: minted once, act as bearer with last use, revoked; out of scope refused', async () => {
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const shown = await follow(
      pupr,
      await submit(pupr, '/kantor/integrasi/token', { tokenName: 'SIMPUPR', tokenAgency: 'pupr-kaltim' }),
    );
    const token = shownSecret(shown.html);
    expect(token).toMatch(/^ait_/);
    expect(shownSecret((await pupr.get('/kantor/integrasi')).html)).toBeNull();
    const list = await t.api('/api/v1/reports', { token: token! });
    expect(list.status).toBe(200);
    const [row] = await rows<{ id: string; last_used_at: Date | null }>(
      sql`select id, last_used_at from api_keys where name = 'SIMPUPR'`,
    );
    expect(row!.last_used_at).not.toBeNull();
    // Dinkes may not mint for PUPR nor revoke PUPR's token.
    const dinkes = await signInWeb(t.url, DEMO.dinkesAdmin);
    expect(
      (await submit(dinkes, '/kantor/integrasi/token', { tokenName: 'X', tokenAgency: 'pupr-kaltim' }))
        .status,
    ).toBe(403);
    expect((await submit(dinkes, `/kantor/integrasi/token/${row!.id}/cabut`, {})).status).toBe(403);
    expect((await t.api('/api/v1/reports', { token: token! })).status).toBe(200);
    await follow(pupr, await submit(pupr, `/kantor/integrasi/token/${row!.id}/cabut`, {}));
    expect((await t.api('/api/v1/reports', { token: token! })).status).toBe(401);
  });

  it('CSRF is required; bad input answers 422 with field messages in both languages, never 500', async () => {
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from api_keys`);
    const noCsrf = await pupr.post('/kantor/integrasi/kunci', {
      keyName: 'Tanpa CSRF',
      keyAgency: 'pupr-kaltim',
    });
    expect(noCsrf.status).toBe(403);
    const noCsrfHook = await pupr.post('/kantor/integrasi/webhook', {
      url: 'https://example.org/x',
      events: 'dispatched',
      hookAgency: 'pupr-kaltim',
    });
    expect(noCsrfHook.status).toBe(403);
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from api_keys`)).toEqual(before);

    const cases: Array<[string, Record<string, string | string[]>, string, string]> = [
      [
        '/kantor/integrasi/kunci',
        { keyName: '', keyAgency: 'pupr-kaltim' },
        'keyName',
        'errors.field.required',
      ],
      [
        '/kantor/integrasi/kunci',
        { keyName: 'x'.repeat(101), keyAgency: 'pupr-kaltim' },
        'keyName',
        'errors.field.too_long',
      ],
      [
        '/kantor/integrasi/kunci',
        { keyName: 'A', keyAgency: 'tidak-ada' },
        'keyAgency',
        'errors.field.unknown_agency',
      ],
      [
        '/kantor/integrasi/kunci',
        { keyName: 'A', keyAgency: 'pupr-kaltim', keyOptions: 'root' },
        'keyOptions',
        'errors.field.choose_one',
      ],
      ['/kantor/integrasi/token', { tokenName: '', tokenAgency: '' }, 'tokenAgency', 'errors.field.required'],
      [
        '/kantor/integrasi/webhook',
        { url: 'ftp://example.org/x', events: 'dispatched', hookAgency: 'pupr-kaltim' },
        'url',
        'errors.field.invalid_format',
      ],
      [
        '/kantor/integrasi/webhook',
        { url: 'http://127.0.0.1:8080/x', events: 'dispatched', hookAgency: 'pupr-kaltim' },
        'url',
        'errors.field.url_blocked_address',
      ],
      [
        '/kantor/integrasi/webhook',
        { url: 'http://169.254.169.254/latest/meta-data/', events: 'dispatched', hookAgency: 'pupr-kaltim' },
        'url',
        'errors.field.url_blocked_address',
      ],
      [
        '/kantor/integrasi/webhook',
        { url: 'http://[::1]/x', events: 'dispatched', hookAgency: 'pupr-kaltim' },
        'url',
        'errors.field.url_blocked_address',
      ],
      [
        '/kantor/integrasi/webhook',
        { url: 'http://10.1.2.3/x', events: 'dispatched', hookAgency: 'pupr-kaltim' },
        'url',
        'errors.field.url_blocked_address',
      ],
      [
        '/kantor/integrasi/webhook',
        { url: 'https://tidak-ada.invalid/x', events: 'dispatched', hookAgency: 'pupr-kaltim' },
        'url',
        'errors.field.host_unresolvable',
      ],
      [
        '/kantor/integrasi/webhook',
        { url: 'http://100.64.1.1/x', hookAgency: 'pupr-kaltim' },
        'events',
        'errors.field.required',
      ],
      [
        '/kantor/integrasi/webhook',
        { url: 'http://100.64.1.1/x', events: ['dispatched', 'semuanya'], hookAgency: 'pupr-kaltim' },
        'events',
        'errors.field.choose_one',
      ],
      [
        '/kantor/integrasi/webhook',
        { url: 'http://192.168.1.1/x', events: 'dispatched' },
        'hookAgency',
        'errors.field.required',
      ],
    ];
    for (const lang of ['id', 'en'] as const) {
      for (const [action, form, field, key] of cases) {
        const r = await submit(pupr, action, form, lang);
        expect(r.status, `${action} ${JSON.stringify(form)} ${r.html.slice(0, 300)}`).toBe(422);
        const text = msg(lang, key, { max: 100, options: 'x' }).split('{')[0]!.split(':')[0]!;
        expect(r.html, `${lang} ${key}`).toContain(text);
        expect(r.html).toContain(`href="#f-${field}"`);
        expect(r.html).toContain('field field-invalid');
      }
    }
    // The typed URL is kept on re-render; garbage ids are 404, not 500.
    const kept = await submit(pupr, '/kantor/integrasi/webhook', {
      url: 'http://10.9.9.9/hook',
      events: 'dispatched',
      hookAgency: 'pupr-kaltim',
    });
    expect(kept.html).toContain('value="http://10.9.9.9/hook"');
    for (const path of [
      '/kantor/integrasi/kunci/bukan-uuid/cabut',
      '/kantor/integrasi/token/00000000-0000-0000-0000-000000000000/cabut',
      '/kantor/integrasi/webhook/%27;drop/hapus',
      '/kantor/integrasi/webhook/00000000-0000-0000-0000-000000000000/jeda',
    ])
      expect((await submit(pupr, path, {})).status, path).toBe(404);
    expect((await pupr.get('/kantor/integrasi/webhook/bukan-uuid')).status).toBe(404);
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from agency_webhooks`)).toEqual([
      { n: 0 },
    ]);
  });

  it('webhooks: secret once, delivered to a real receiver, delivery log, pause, SSRF at delivery, delete', async () => {
    const svc = t.runtime.services;
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    svc.outboundAllowHosts = ['127.0.0.1'];
    const created = await follow(
      pupr,
      await submit(pupr, '/kantor/integrasi/webhook', {
        url: `${rx.url}/pupr`,
        events: ['dispatched', 'deadline_due'],
        hookAgency: 'pupr-kaltim',
      }),
    );
    const secret = shownSecret(created.html);
    expect(secret).toMatch(/^whsec_/);
    const page = await pupr.get('/kantor/integrasi');
    expect(page.html).not.toContain(secret!);
    expect(page.html).toContain(`${rx.url}/pupr`);
    const [hook] = await rows<{ id: string; secret_enc: string }>(
      sql`select id, secret_enc from agency_webhooks`,
    );
    expect(hook!.secret_enc).not.toContain(secret!);

    // Dinkes does not see it and cannot pause, delete or read its log.
    const dinkes = await signInWeb(t.url, DEMO.dinkesAdmin);
    expect((await dinkes.get('/kantor/integrasi')).html).not.toContain(`${rx.url}/pupr`);
    expect(
      (await submit(dinkes, `/kantor/integrasi/webhook/${hook!.id}/jeda`, { paused: 'true' })).status,
    ).toBe(403);
    expect((await submit(dinkes, `/kantor/integrasi/webhook/${hook!.id}/hapus`, {})).status).toBe(403);
    expect((await dinkes.get(`/kantor/integrasi/webhook/${hook!.id}`)).status).toBe(404);

    const first = await dispatchToPupr('Jalan berlubang di depan pasar');
    await drain();
    expect(rx.bodies.some((b) => b.includes(first))).toBe(true);
    const [out] = await rows<{ dump: string }>(
      sql`select string_agg(payload::text, ' ') as dump from outbox`,
    );
    expect(out!.dump).not.toContain(secret!);
    const log = await pupr.get(`/kantor/integrasi/webhook/${hook!.id}`);
    expect(log.status).toBe(200);
    expect(log.html).toContain(first);
    expect(log.html).toContain(tr('id', 'integrations.delivery_status.sent'));
    expect(log.html).toContain('2xx');

    // Paused: nothing is queued for it.
    const paused = await follow(
      pupr,
      await submit(pupr, `/kantor/integrasi/webhook/${hook!.id}/jeda`, { paused: 'true' }),
    );
    expect(paused.html).toContain(tr('id', 'integrations.done.paused'));
    expect(paused.html).toContain(tr('id', 'integrations.paused'));
    const second = await dispatchToPupr('Lampu jalan mati di simpang empat');
    await drain();
    expect(rx.bodies.some((b) => b.includes(second))).toBe(false);
    await follow(pupr, await submit(pupr, `/kantor/integrasi/webhook/${hook!.id}/jeda`, { paused: 'false' }));

    // The allowlist is withdrawn: the worker refuses to connect (dead letter, nothing received).
    svc.outboundAllowHosts = [];
    const count = rx.bodies.length;
    const third = await dispatchToPupr('Gorong-gorong ambruk di jalan poros');
    await drain();
    expect(rx.bodies.length).toBe(count);
    const [dead] = await rows<{ status: string; last_error: string }>(
      sql`select status, last_error from outbox where channel = 'webhook'
          and report_id = (select id from reports where tracking_id = ${third})`,
    );
    expect(dead!.status).toBe('dead');
    expect(dead!.last_error).toMatch(/refused: url_blocked_address/);
    const log2 = await pupr.get(`/kantor/integrasi/webhook/${hook!.id}?lang=en`);
    expect(log2.html).toContain(tr('en', 'integrations.delivery_status.dead'));

    // Delete: gone from the list.
    const deleted = await follow(pupr, await submit(pupr, `/kantor/integrasi/webhook/${hook!.id}/hapus`, {}));
    expect(deleted.html).toContain(tr('id', 'integrations.done.deleted'));
    expect(deleted.html).not.toContain(`${rx.url}/pupr`);
  });

  it('federation peers: national admin only; private addresses refused; the key is never shown', async () => {
    const svc = t.runtime.services;
    const pupr = await signInWeb(t.url, DEMO.puprAdmin);
    const peerForm = { peerInstance: 'prov-kaltim', peerUrl: rx.url, peerKey: 'kunci-rahasia-dari-provinsi' };
    expect((await submit(pupr, '/kantor/integrasi/federasi', peerForm)).status).toBe(403);
    expect((await submit(pupr, '/kantor/integrasi/federasi/instans', { instanceId: 'kab-x' })).status).toBe(
      403,
    );

    const nat = await signInWeb(t.url, DEMO.national);
    svc.outboundAllowHosts = [];
    const refused = await submit(nat, '/kantor/integrasi/federasi', peerForm, 'en');
    expect(refused.status).toBe(422);
    expect(refused.html).toContain(msg('en', 'errors.field.url_blocked_address'));
    expect(refused.html).not.toContain('kunci-rahasia-dari-provinsi');
    const bad = await submit(nat, '/kantor/integrasi/federasi', {
      peerInstance: 'Bukan Valid!',
      peerUrl: 'ftp://x',
      peerKey: '',
    });
    expect(bad.status).toBe(422);
    for (const f of ['peerInstance', 'peerUrl', 'peerKey']) expect(bad.html).toContain(`href="#f-${f}"`);

    svc.outboundAllowHosts = ['127.0.0.1'];
    const ok = await follow(nat, await submit(nat, '/kantor/integrasi/federasi', peerForm));
    expect(ok.html).toContain('prov-kaltim');
    expect(ok.html).not.toContain('kunci-rahasia-dari-provinsi');
    const [peer] = await rows<{ api_key_enc: string }>(sql`select api_key_enc from federation_peers`);
    expect(peer!.api_key_enc).not.toContain('kunci-rahasia-dari-provinsi');
    await follow(
      nat,
      await submit(nat, '/kantor/integrasi/federasi/instans', { instanceId: 'kab-balikpapan' }),
    );
    expect((await nat.get('/kantor/integrasi')).html).toContain('value="kab-balikpapan"');
    const badId = await submit(nat, '/kantor/integrasi/federasi/instans', { instanceId: 'A B' });
    expect(badId.status).toBe(422);

    const removed = await follow(nat, await submit(nat, '/kantor/integrasi/federasi/prov-kaltim/hapus', {}));
    expect(removed.html).not.toContain(rx.url);
    expect((await submit(nat, '/kantor/integrasi/federasi/prov-kaltim/hapus', {})).status).toBe(404);
    svc.outboundAllowHosts = [];
  });
});
