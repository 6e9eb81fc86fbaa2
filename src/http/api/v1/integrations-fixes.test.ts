/**
 * Fixes from an integrator's audit of agency integrations (docs/integrations.md), over real HTTP with a
 * real local receiver and the real worker: an agency API token cannot forward a report to another instance,
 * revoking a token twice changes nothing the second time, a removed subscription's pending retries are not
 * delivered, and the JSON lists show what the back-office page shows (paused, last used).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import type { Worker } from '../../../jobs/worker.ts';
import { startIntegrationWorker } from '../../../../test/helpers/receivers.ts';
import {
  addFederationPeer,
  removeFederationPeer,
  setInstanceId,
} from '../../../commands/configure-federation.ts';
import { csrfOf, signInWeb } from '../../../../test/helpers/web-client.ts';

const START = new Date('2026-03-12T02:00:00Z');
let t: TestApp;
let worker: Worker;
let server: Server;
let receiverUrl: string;
let categoryId: number;
let coord: string;
let admin: string;
const hits: string[] = [];
/** The `api_key` of each federation POST received. */
const keys: string[] = [];
let failNext = 0;

beforeAll(async () => {
  t = await startTestApp({ now: START, outboundAllowHosts: ['127.0.0.1'] });
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      hits.push(req.url ?? '/');
      if (req.url?.startsWith('/open311/')) keys.push(new URLSearchParams(raw).get('api_key') ?? '');
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end('busy');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = await startIntegrationWorker(t.runtime.services);
  categoryId = await categoryIdByName(t);
  coord = await t.login(DEMO.coordinator);
  admin = await t.login(DEMO.puprAdmin);
});
afterAll(async () => {
  await worker?.stop();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

async function dispatched(extra: Record<string, unknown> = {}) {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Drainase tersumbat di Jalan Juanda',
      body: 'Saluran drainase di Jalan Juanda tersumbat lumpur sehingga air meluap setiap hujan deras.',
      regionCode: '64.72.02',
      targetAgencyId: 'pupr-kaltim',
      anonymous: true,
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const v = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
    json: { categoryId, agencyId: 'pupr-kaltim' },
    token: coord,
  });
  expect(v.status, JSON.stringify(v.body)).toBe(200);
  return r.body as { trackingId: string };
}

async function mintToken(name: string) {
  const r = await t.api('/api/v1/integrations/tokens', { json: { name }, token: admin });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; token: string };
}

describe('forwarding to another instance', () => {
  it('is refused to an agency API token (403), even on a report it may return; staff still forward', async () => {
    await setInstanceId(t.runtime.services, 'prov-kaltim');
    await addFederationPeer(t.runtime.services, { instanceId: 'kab-x', baseUrl: receiverUrl, apiKey: 'k' });
    const tok = await mintToken('SIMPUPR forward');
    const r = await dispatched({ confidential: true });
    // The token may read (and return) it: its own subtree ...
    expect((await t.api(`/api/v1/reports/${r.trackingId}`, { token: tok.token })).status).toBe(200);
    // ... but not send it outside the agency.
    const f = await t.api(`/api/v1/reports/${r.trackingId}/forward`, {
      json: { peer: 'kab-x' },
      token: tok.token,
    });
    expect(f.status, JSON.stringify(f.body)).toBe(403);
    const links = await t.runtime.services.db.execute(sql`select count(*)::int as n from federation_links`);
    expect(rowsOf(links)[0]!.n).toBe(0);
    // The agency admin (staff, may return) still can.
    const staff = await t.api(`/api/v1/reports/${r.trackingId}/forward`, {
      json: { peer: 'kab-x' },
      token: admin,
    });
    expect(staff.status, JSON.stringify(staff.body)).toBe(202);
  });
});

function rowsOf(result: unknown): Array<Record<string, any>> {
  return ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Array<Record<string, any>>;
}

describe('revoking an agency API token', () => {
  it('a second revocation changes nothing: one admin-log entry, the first revocation time kept', async () => {
    const tok = await mintToken('SIMPUPR revoke');
    const del = () => t.api(`/api/v1/integrations/tokens/${tok.id}`, { method: 'DELETE', token: admin });
    expect((await del()).status).toBe(204);
    const first = (await t.api('/api/v1/integrations/tokens', { token: admin })).body.items.find(
      (k: { id: string }) => k.id === tok.id,
    );
    expect(first.revokedAt).toBe(START.toISOString());
    t.setNow(new Date(START.getTime() + 3_600_000));
    try {
      admin = await t.login(DEMO.puprAdmin);
      expect((await del()).status).toBe(204);
      const again = (await t.api('/api/v1/integrations/tokens', { token: admin })).body.items.find(
        (k: { id: string }) => k.id === tok.id,
      );
      expect(again.revokedAt).toBe(START.toISOString());
      const log = rowsOf(
        await t.runtime.services.db.execute(
          sql`select action from admin_audit_log where target_id = ${tok.id} order by id`,
        ),
      ).map((r) => r.action);
      expect(log).toEqual(['token.mint', 'token.revoke']);
      expect((await t.api('/api/v1/reports', { token: tok.token })).status).toBe(401);
    } finally {
      t.setNow(START);
      admin = await t.login(DEMO.puprAdmin);
      coord = await t.login(DEMO.coordinator);
    }
  });
});

describe('removing a webhook subscription', () => {
  it('drops its pending retries: nothing reaches the receiver after the removal, the history says why', async () => {
    await worker.drain();
    const s = await t.api('/api/v1/integrations/webhooks', {
      json: { url: `${receiverUrl}/removed`, events: ['dispatched'] },
      token: admin,
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    const r = await dispatched();
    failNext = 1;
    await worker.drain();
    const at = () => hits.filter((h) => h === '/removed').length;
    expect(at()).toBe(1); // the 503
    const del = await t.api(`/api/v1/integrations/webhooks/${s.body.id}`, { method: 'DELETE', token: admin });
    expect(del.status).toBe(204);
    t.setNow(new Date(START.getTime() + 600_000));
    try {
      await worker.drain();
      expect(at()).toBe(1);
      admin = await t.login(DEMO.puprAdmin);
      const hist = await t.api(`/api/v1/integrations/webhooks/${s.body.id}/deliveries`, { token: admin });
      const row = hist.body.items.find((h: { trackingId: string }) => h.trackingId === r.trackingId);
      expect(row).toMatchObject({ status: 'dead', lastError: 'subscription removed' });
    } finally {
      t.setNow(START);
      admin = await t.login(DEMO.puprAdmin);
      coord = await t.login(DEMO.coordinator);
    }
  });
});

describe('the JSON lists', () => {
  it('show a paused subscription as paused and when a token was last used, like /kantor/integrasi', async () => {
    const s = await t.api('/api/v1/integrations/webhooks', {
      json: { url: `${receiverUrl}/paused`, events: ['dispatched'] },
      token: admin,
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    const hook = () =>
      t
        .api('/api/v1/integrations/webhooks', { token: admin })
        .then((r) => r.body.items.find((i: { id: string }) => i.id === s.body.id));
    expect((await hook()).pausedAt).toBeNull();
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await web.get('/kantor/integrasi');
    const paused = await web.post(`/kantor/integrasi/webhook/${s.body.id}/jeda`, {
      _csrf: csrfOf(page.html),
      paused: 'true',
    });
    expect(paused.status).toBe(303);
    expect((await hook()).pausedAt).toBe(START.toISOString());

    const tok = await mintToken('SIMPUPR last used');
    const token = () =>
      t
        .api('/api/v1/integrations/tokens', { token: admin })
        .then((r) => r.body.items.find((i: { id: string }) => i.id === tok.id));
    expect((await token()).lastUsedAt).toBeNull();
    expect((await t.api('/api/v1/reports', { token: tok.token })).status).toBe(200);
    expect((await token()).lastUsedAt).toBe(START.toISOString());
  });
});

describe('federation deliveries follow the peer', () => {
  const forwards = () => hits.filter((h) => h.startsWith('/open311/v2/requests.json')).length;

  it('a removed peer gets nothing more: a forward still waiting for a retry becomes a dead letter', async () => {
    await worker.drain();
    await addFederationPeer(t.runtime.services, { instanceId: 'kab-y', baseUrl: receiverUrl, apiKey: 'k-y' });
    const r = await dispatched();
    const f = await t.api(`/api/v1/reports/${r.trackingId}/forward`, {
      json: { peer: 'kab-y' },
      token: admin,
    });
    expect(f.status, JSON.stringify(f.body)).toBe(202);
    const before = forwards();
    failNext = 1;
    await worker.drain();
    expect(forwards()).toBe(before + 1); // the 503
    await removeFederationPeer(t.runtime.services, 'kab-y');
    t.setNow(new Date(START.getTime() + 600_000));
    try {
      await worker.drain();
      expect(forwards()).toBe(before + 1);
      const [row] = rowsOf(
        await t.runtime.services.db.execute(
          sql`select status, last_error from outbox where idempotency_key like ${'federation:out:kab-y:%'}`,
        ),
      );
      expect(row).toMatchObject({ status: 'dead', last_error: 'peer removed' });
    } finally {
      t.setNow(START);
      admin = await t.login(DEMO.puprAdmin);
      coord = await t.login(DEMO.coordinator);
    }
  });

  it('a peer re-added with a new key is called with the new key, also for a pending retry', async () => {
    await worker.drain();
    await addFederationPeer(t.runtime.services, {
      instanceId: 'kab-z',
      baseUrl: receiverUrl,
      apiKey: 'old-key',
    });
    const r = await dispatched();
    const f = await t.api(`/api/v1/reports/${r.trackingId}/forward`, {
      json: { peer: 'kab-z' },
      token: admin,
    });
    expect(f.status, JSON.stringify(f.body)).toBe(202);
    const before = keys.length;
    failNext = 1;
    await worker.drain();
    expect(keys.slice(before)).toEqual(['old-key']);
    await addFederationPeer(t.runtime.services, {
      instanceId: 'kab-z',
      baseUrl: receiverUrl,
      apiKey: 'new-key',
    });
    t.setNow(new Date(START.getTime() + 600_000));
    try {
      await worker.drain();
      expect(keys.slice(before)).toEqual(['old-key', 'new-key']);
    } finally {
      t.setNow(START);
      admin = await t.login(DEMO.puprAdmin);
      coord = await t.login(DEMO.coordinator);
    }
  });
});

describe('an agency API token on Open311', () => {
  it('is not an Open311 api_key: reads and updates refuse it and its last use stays unset', async () => {
    const tok = await mintToken('SIMPUPR open311');
    const read = await fetch(`${t.url}/open311/v2/requests.json?api_key=${tok.token}`);
    expect(read.status).not.toBe(200);
    expect(await read.json()).toEqual([expect.objectContaining({ code: read.status })]);
    const r = await dispatched();
    const update = await fetch(`${t.url}/open311/v2/servicerequestupdates.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: tok.token,
        service_request_id: r.trackingId,
        update_id: 'u-1',
        status: 'IN_PROGRESS',
        description: 'Sedang dikerjakan.',
        updated_datetime: START.toISOString(),
      }).toString(),
    });
    expect(update.status).toBeGreaterThanOrEqual(400);
    const listed = (await t.api('/api/v1/integrations/tokens', { token: admin })).body.items.find(
      (i: { id: string }) => i.id === tok.id,
    );
    expect(listed.lastUsedAt).toBeNull();
  });
});
