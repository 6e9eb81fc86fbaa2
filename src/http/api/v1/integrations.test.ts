/**
 * Agency integrations over real HTTP (docs/integrations.md): agency API tokens scoped to the subtree, and
 * webhook subscriptions delivered by the real worker to a REAL local HTTP receiver that verifies the
 * timestamped HMAC signature, refuses tampered and replayed deliveries, and de-duplicates by key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import type { Worker } from '../../../jobs/worker.ts';
import { startIntegrationWorker } from '../../../../test/helpers/receivers.ts';
import { signWebhook, verifyWebhook } from '../../../integrations/webhook-signature.ts';

interface Delivery {
  path: string;
  raw: string;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** A receiver that verifies signatures with the per-path secret, like an agency system would. */
function startReceiver(clock: () => Date) {
  const secrets = new Map<string, string>();
  const accepted: Delivery[] = [];
  const refused: Array<{ path: string; why: string }> = [];
  const seen = new Set<string>();
  let failNext = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end('busy');
        return;
      }
      const why = verifyWebhook(
        secrets.get(path) ?? 'none',
        {
          timestamp: req.headers['x-aduan-timestamp'] as string,
          signature: req.headers['x-aduan-signature'] as string,
        },
        raw,
        clock(),
      );
      if (why) {
        refused.push({ path, why });
        res.writeHead(401).end(why);
        return;
      }
      const key = String(req.headers['idempotency-key']);
      if (!seen.has(key)) {
        seen.add(key);
        accepted.push({ path, raw, body: JSON.parse(raw), headers: req.headers });
      }
      res.writeHead(204).end();
    });
  });
  return new Promise<{
    url: string;
    secrets: Map<string, string>;
    accepted: Delivery[];
    refused: typeof refused;
    failOnce: () => void;
    close: () => Promise<void>;
  }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        secrets,
        accepted,
        refused,
        failOnce: () => void (failNext = 1),
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

const START = new Date('2026-03-12T02:00:00Z');
const REPORTER = { name: 'Sulastri Wulandari', email: 'sulastri.w@contoh.aduan.id', phone: '081355511122' };
let t: TestApp;
let worker: Worker;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let categoryId: number;
let coord: string;
let puprAdmin: string;

async function submit(target: string, extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Drainase tersumbat di Jalan Juanda',
      body: 'Saluran drainase di Jalan Juanda tersumbat lumpur sehingga air meluap setiap hujan deras.',
      regionCode: '64.72.02',
      targetAgencyId: target,
      ...(extra.reporter ? {} : { anonymous: true }),
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { trackingId: string; accessKey: string };
}
async function act(id: string, action: string, json: unknown, auth: { token?: string; accessKey?: string }) {
  return t.api(`/api/v1/reports/${id}/actions/${action}`, { json, ...auth });
}
async function dispatched(target: string, extra: Record<string, unknown> = {}) {
  const r = await submit(target, extra);
  const v = await act(r.trackingId, 'verify', { categoryId, agencyId: target }, { token: coord });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  return r;
}

beforeAll(async () => {
  t = await startTestApp({ now: START, outboundAllowHosts: ['127.0.0.1'] });
  rx = await startReceiver(() => t.clock.now);
  worker = await startIntegrationWorker(t.runtime.services);
  categoryId = await categoryIdByName(t);
  coord = await t.login(DEMO.coordinator);
  puprAdmin = await t.login(DEMO.puprAdmin);
});
afterAll(async () => {
  await worker?.stop();
  await rx?.close();
  await t?.close();
});

describe('agency API token', () => {
  let token: string;
  let own: { trackingId: string };
  let other: { trackingId: string };

  it('an agency admin mints a token (shown once, stored hashed); others and tokens cannot', async () => {
    const r = await t.api('/api/v1/integrations/tokens', { json: { name: 'SIMPUPR' }, token: puprAdmin });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    token = r.body.token;
    expect(token).toMatch(/^ait_/);
    const list = await t.api('/api/v1/integrations/tokens', { token: puprAdmin });
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(token);
    const dinkes = await t.login(DEMO.dinkesAdmin);
    const foreign = await t.api('/api/v1/integrations/tokens', {
      json: { name: 'x', agencyId: 'pupr-kaltim' },
      token: dinkes,
    });
    expect(foreign.status).toBe(403);
    const officer = await t.login(DEMO.puprOfficer);
    expect((await t.api('/api/v1/integrations/tokens', { json: { name: 'x' }, token: officer })).status).toBe(
      403,
    );
    // A token is not a session: it cannot mint tokens or open staff APIs.
    expect((await t.api('/api/v1/integrations/tokens', { json: { name: 'x' }, token })).status).toBe(401);
    expect((await t.api('/api/v1/notifications', { token })).status).toBe(401);
    expect((await t.api('/api/v1/reports', { token: 'ait_not-a-real-token' })).status).toBe(401);
  });

  it('lists only reports handled in its subtree (not the public feed of others)', async () => {
    own = await dispatched('pupr-kaltim');
    other = await dispatched('dinkes-kaltim');
    const waiting = await submit('pupr-kaltim');
    const list = await t.api('/api/v1/reports?pageSize=100', { token });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((r: any) => r.trackingId);
    expect(ids).toEqual([own.trackingId]);
    expect(list.body.total).toBe(1);
    // Undispatched (verification queue) and other agencies' reports are not its business.
    expect((await t.api(`/api/v1/reports/${waiting.trackingId}`, { token })).status).toBe(404);
    expect(
      (await act(waiting.trackingId, 'verify', { categoryId, agencyId: 'pupr-kaltim' }, { token })).status,
    ).toBe(404);
    // Another agency's public report: readable like by anyone, but no follow-up (403).
    expect(
      (await act(other.trackingId, 'respond', { body: 'Sedang ditangani.', final: false }, { token })).status,
    ).toBe(403);
  });

  it('posts follow-ups and returns reports of its subtree; never verifies, disposes or sees the reporter', async () => {
    const r = await act(
      own.trackingId,
      'respond',
      { body: 'Tim sudah dijadwalkan.', final: false },
      { token },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('in_progress');
    const events = await t.api(`/api/v1/reports/${own.trackingId}/events`, { token });
    expect(events.body.items.at(-1).actor.role).toBe('integration');
    const dispose = await act(own.trackingId, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token });
    expect(dispose.status).toBe(403);
    const named = await dispatched('pupr-kaltim', { reporter: REPORTER });
    const seen = await t.api(`/api/v1/reports/${named.trackingId}`, { token });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).not.toContain(REPORTER.email);
    const back = await act(
      named.trackingId,
      'return',
      { note: 'Bukan kewenangan PUPR provinsi.' },
      { token },
    );
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.status).toBe('returned');
    // Once returned it left the subtree: no longer listed, no more follow-ups (public reads stay public).
    const list = await t.api('/api/v1/reports?pageSize=100', { token });
    expect(list.body.items.map((x: any) => x.trackingId)).not.toContain(named.trackingId);
    const again = await act(named.trackingId, 'respond', { body: 'Tindak lanjut.', final: false }, { token });
    // A stale follow-up: the status (returned) no longer allows it, which is a 409 like any stale form.
    expect(again.status).toBe(409);
  });

  it('a revoked token answers 401', async () => {
    const list = await t.api('/api/v1/integrations/tokens', { token: puprAdmin });
    const del = await t.api(`/api/v1/integrations/tokens/${list.body.items[0].id}`, {
      method: 'DELETE',
      token: puprAdmin,
    });
    expect(del.status).toBe(204);
    expect((await t.api('/api/v1/reports', { token })).status).toBe(401);
  });
});

describe('agency webhooks', () => {
  let parentSub: string;
  let unitSub: string;

  async function subscribe(path: string, events: string[], agencyId: string) {
    const r = await t.api('/api/v1/integrations/webhooks', {
      json: { url: `${rx.url}${path}`, events, agencyId },
      token: puprAdmin,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.secret).toMatch(/^whsec_/);
    rx.secrets.set(path, r.body.secret);
    return r.body.id as string;
  }
  const at = (path: string) => rx.accepted.filter((d) => d.path === path);

  it('bad subscriptions are refused with field errors; the secret is never listed', async () => {
    const bad = await t.api('/api/v1/integrations/webhooks', {
      json: { url: 'ftp://example.org/x', events: ['dispatched'] },
      token: puprAdmin,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.url).toBeDefined();
    const badEvent = await t.api('/api/v1/integrations/webhooks', {
      json: { url: 'https://example.org/x', events: ['everything'] },
      token: puprAdmin,
    });
    expect(badEvent.status).toBe(422);
    parentSub = await subscribe('/pupr', ['dispatched', 'reporter_replied', 'deadline_due'], 'pupr-kaltim');
    unitSub = await subscribe('/unit', ['dispatched'], 'pupr-kaltim-unit');
    const list = await t.api('/api/v1/integrations/webhooks', { token: puprAdmin });
    expect(list.body.items).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });

  it('dispatch and a reporter reply arrive signed; anonymous identity never in the body', async () => {
    const r = await dispatched('pupr-kaltim', { anonymous: true, reporter: REPORTER });
    await worker.drain();
    const got = at('/pupr').filter((d) => d.body.report.trackingId === r.trackingId);
    expect(got.map((d) => d.body.type)).toEqual(['dispatched']);
    expect(got[0]!.headers['x-aduan-event']).toBe('verify');
    expect(got[0]!.body.report).toMatchObject({ agencyId: 'pupr-kaltim', anonymous: true });
    const reply = await act(
      r.trackingId,
      'comment',
      { body: 'Airnya makin tinggi pagi ini.' },
      {
        accessKey: r.accessKey,
      },
    );
    expect(reply.status).toBe(200);
    await worker.drain();
    const replied = at('/pupr').filter((d) => d.body.type === 'reporter_replied');
    expect(replied).toHaveLength(1);
    expect(replied[0]!.body.event).toMatchObject({
      type: 'reporter_reply',
      body: 'Airnya makin tinggi pagi ini.',
    });
    for (const d of at('/pupr'))
      for (const s of [REPORTER.name, REPORTER.email, REPORTER.phone, 'Sulastri'])
        expect(d.raw).not.toContain(s);
    // The unit did not subscribe to replies and the report is not in its subtree yet.
    expect(at('/unit')).toHaveLength(0);
  });

  it('subtree: a disposition reaches the parent and the unit; a confidential one only the unit', async () => {
    const open = await dispatched('pupr-kaltim');
    expect(
      (await act(open.trackingId, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: puprAdmin })).status,
    ).toBe(200);
    const secret = await dispatched('pupr-kaltim', { confidential: true });
    expect(
      (await act(secret.trackingId, 'dispose', { unitId: 'pupr-kaltim-unit' }, { token: puprAdmin })).status,
    ).toBe(200);
    await worker.drain();
    const kinds = (path: string, id: string) =>
      at(path)
        .filter((d) => d.body.report.trackingId === id)
        .map((d) => d.body.event.type);
    expect(kinds('/pupr', open.trackingId)).toEqual(['verify', 'dispose']);
    expect(kinds('/unit', open.trackingId)).toEqual(['dispose']);
    // Confidential: the verify (handled by pupr-kaltim itself) reaches pupr; the dispose only the unit.
    expect(kinds('/pupr', secret.trackingId)).toEqual(['verify']);
    expect(kinds('/unit', secret.trackingId)).toEqual(['dispose']);
  });

  it('a failing receiver is retried through the outbox; history shows attempts and errors', async () => {
    rx.failOnce();
    const r = await dispatched('pupr-kaltim');
    await worker.drain();
    expect(at('/pupr').some((d) => d.body.report.trackingId === r.trackingId)).toBe(false);
    let hist = await t.api(`/api/v1/integrations/webhooks/${parentSub}/deliveries`, { token: puprAdmin });
    const row = () => hist.body.items.find((h: any) => h.trackingId === r.trackingId);
    expect(row()).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row().lastError).toContain('503');
    t.setNow(new Date(START.getTime() + 60_000));
    puprAdmin = await t.login(DEMO.puprAdmin);
    coord = await t.login(DEMO.coordinator);
    await worker.drain();
    expect(at('/pupr').some((d) => d.body.report.trackingId === r.trackingId)).toBe(true);
    hist = await t.api(`/api/v1/integrations/webhooks/${parentSub}/deliveries`, { token: puprAdmin });
    expect(row()).toMatchObject({ status: 'sent', attempts: 2 });
    expect(row().sentAt).toBeTruthy();
    // Another agency cannot read this history.
    const dinkes = await t.login(DEMO.dinkesAdmin);
    expect(
      (await t.api(`/api/v1/integrations/webhooks/${parentSub}/deliveries`, { token: dinkes })).status,
    ).toBe(403);
    expect(unitSub).toBeTruthy();
  });

  it('the receiver refuses a tampered body, a wrong secret and a replay outside the window', async () => {
    const d = at('/pupr')[0]!;
    const secret = rx.secrets.get('/pupr')!;
    const ts = Number(d.headers['x-aduan-timestamp']);
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${rx.url}/pupr`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const tampered = d.raw.replace('pupr-kaltim', 'dinkes-kaltim');
    expect(
      (
        await post(
          { 'x-aduan-timestamp': String(ts), 'x-aduan-signature': String(d.headers['x-aduan-signature']) },
          tampered,
        )
      ).status,
    ).toBe(401);
    const fresh = Math.floor(t.clock.now.getTime() / 1000);
    expect(
      (
        await post(
          {
            'x-aduan-timestamp': String(fresh),
            'x-aduan-signature': signWebhook('whsec_wrong', fresh, d.raw),
          },
          d.raw,
        )
      ).status,
    ).toBe(401);
    const old = fresh - 3600;
    expect(
      (
        await post(
          { 'x-aduan-timestamp': String(old), 'x-aduan-signature': signWebhook(secret, old, d.raw) },
          d.raw,
        )
      ).status,
    ).toBe(401);
    expect(rx.refused.map((r) => r.why)).toEqual(['bad_signature', 'bad_signature', 'stale']);
    expect(
      verifyWebhook(
        secret,
        { timestamp: String(ts), signature: String(d.headers['x-aduan-signature']) },
        d.raw,
        new Date(ts * 1000),
      ),
    ).toBeNull();
  });

  it("deadline due: the sweep's reminder and overdue events arrive signed as deadline_due", async () => {
    const r = await dispatched('pupr-kaltim');
    await worker.drain();
    const { rows } = (await t.runtime.services.db.execute(
      sql`select due_at from reports where tracking_id = ${r.trackingId}`,
    )) as unknown as { rows: Array<{ due_at: Date | string }> };
    const due = new Date(rows[0]!.due_at);
    expect(due.getTime()).toBeGreaterThan(t.clock.now.getTime());
    const started = t.clock.now;
    t.setNow(new Date(due.getTime() + 3_600_000));
    try {
      await worker.runScheduled({ full: true });
      await worker.drain();
      const got = at('/pupr').filter(
        (d) => d.body.report.trackingId === r.trackingId && d.body.type === 'deadline_due',
      );
      const kinds = got.map((d) => d.body.event.type);
      expect(kinds).toContain('overdue');
      for (const k of kinds) expect(['reminder', 'overdue']).toContain(k);
      expect(got[0]!.headers['x-aduan-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      // The unit subscribed only to dispatches: no deadline webhook reaches it.
      expect(at('/unit').some((d) => d.body.type === 'deadline_due')).toBe(false);
    } finally {
      t.setNow(started);
      puprAdmin = await t.login(DEMO.puprAdmin);
      coord = await t.login(DEMO.coordinator);
    }
  });

  it('removing a subscription stops deliveries; another agency cannot remove it', async () => {
    const dinkes = await t.login(DEMO.dinkesAdmin);
    expect(
      (await t.api(`/api/v1/integrations/webhooks/${parentSub}`, { method: 'DELETE', token: dinkes })).status,
    ).toBe(403);
    expect(
      (await t.api(`/api/v1/integrations/webhooks/${parentSub}`, { method: 'DELETE', token: puprAdmin }))
        .status,
    ).toBe(204);
    const before = at('/pupr').length;
    await dispatched('pupr-kaltim');
    await worker.drain();
    expect(at('/pupr')).toHaveLength(before);
  });
});
