/**
 * Agency webhooks and tokens across a pause and an agency deactivation (docs/integrations.md), over real HTTP with a
 * real local receiver (test/helpers/receivers.ts) and the real worker:
 * - a delivery queued before a subscription was paused (a pending retry) is held while it is paused (attempt not
 *   counted) and sent once it is resumed;
 * - a webhook with a bad URL and bad event types gets both field errors at once, id and en (API and page);
 * - a deactivated agency's API token is refused (403 AGENCY_INACTIVE, id and en) and its webhooks are held, nothing new
 *   queued; reactivating it restores the token and sends the held delivery;
 * - the webhook delivery log (`/kantor/integrasi/webhook/:id`) says why in the page language (id, en): the receiver's
 *   HTTP status, held while paused or while the agency is deactivated, released on resume or reactivation, and a
 *   transport's own words marked as technical detail; never the stored English text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import { startHttpReceiver, startIntegrationWorker } from '../../../../test/helpers/receivers.ts';
import { postFromPage, signInWeb } from '../../../../test/helpers/web-client.ts';
import { deliveryLogReasons, webhookRowsOf } from '../../../../test/helpers/webhooks.ts';
import type { Worker } from '../../../jobs/worker.ts';
import { WEBHOOK_HELD } from '../../../domain/integration/webhook-events.ts';
import { enqueueAgencyWebhooks } from '../../../commands/enqueue-agency-webhooks.ts';
import { t as tr } from '../../../locales/index.ts';

const START = new Date('2026-03-12T02:00:00Z');
const HOUR = 3_600_000;
let t: TestApp;
let worker: Worker;
let rx: Awaited<ReturnType<typeof startHttpReceiver>>;
/** Receiver paths answering 503 for now (a receiver that is down). */
const down = new Set<string>();
let categoryId: number;
let coord: string;
let national: string;

beforeAll(async () => {
  t = await startTestApp({ now: START, outboundAllowHosts: ['127.0.0.1'] });
  rx = await startHttpReceiver((post) => (down.has(post.path) ? 503 : 204));
  worker = await startIntegrationWorker(t.runtime.services);
  categoryId = await categoryIdByName(t);
  coord = await t.login(DEMO.coordinator);
  national = await t.login(DEMO.national);
});
afterAll(async () => {
  await worker?.stop();
  await rx?.close();
  await t?.close();
});

/** Fan-out, then deliveries (event rows create webhook rows). */
async function drain() {
  await worker.drain();
  await worker.drain();
}

/** Moves the clock past any retry backoff and the one-hour hold, then runs the worker. */
async function later() {
  t.clock.now = new Date(t.clock.now.getTime() + 2 * HOUR);
  await drain();
}

const rowsOf = (subscriptionId: string) => webhookRowsOf(t.runtime.services, subscriptionId);

async function subscribe(token: string, path: string, json: Record<string, unknown> = {}): Promise<string> {
  const r = await t.api('/api/v1/integrations/webhooks', {
    json: { url: `${rx.url}${path}`, events: ['dispatched', 'reporter_replied'], ...json },
    token,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

const postForm = postFromPage;

const received = (path: string) => rx.accepted().filter((p) => p.path === path);

const reasons = deliveryLogReasons;

/** The webhook rows the fan-out would queue for a dispatch of a public report to `agencyId` (none are written). */
async function queuedForDispatchTo(agencyId: string): Promise<string[]> {
  const svc = t.runtime.services;
  const rows = await svc.db.transaction((tx) =>
    enqueueAgencyWebhooks(svc, tx, {
      event: {
        type: 'verify',
        seq: 2,
        body: null,
        data: { agencyId },
        createdAt: svc.now(),
        visibility: 'public',
      },
      report: {
        id: '00000000-0000-4000-8000-000000000001',
        trackingId: '0000000000',
        title: 'Uji',
        status: 'verified',
        classification: 'pengaduan',
        categoryId,
        regionCode: '64.72.02',
        agencyId,
        targetAgencyId: null,
        dueAt: null,
        anonymous: false,
        confidential: false,
      },
      eventKey: 'test:dispatch',
    }),
  );
  return rows.map((r) => String(r.payload.subscriptionId));
}

describe('a paused subscription', () => {
  it('holds the deliveries queued before the pause and sends them once resumed', async () => {
    const pupr = await t.login(DEMO.puprAdmin);
    const id = await subscribe(pupr, '/pause');
    down.add('/pause');
    const tracking = await submitReport(t, 'Lampu jalan padam di Jalan Pahlawan', { anonymous: true });
    await verifyReport(t, coord, tracking, 'pupr-kaltim', categoryId);
    await drain();
    // The receiver was down: one failed attempt, a retry queued.
    expect(await rowsOf(id)).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 1, last_error: expect.stringContaining('503') }),
    ]);

    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const host = new URL(rx.url).host;
    expect(await reasons(web, id, 'id')).toContain(`Penerima ${host} menjawab HTTP 503.`);
    expect(await reasons(web, id, 'en')).toContain(`The receiver ${host} answered HTTP 503.`);
    const paused = await postForm(web, '/kantor/integrasi', `/kantor/integrasi/webhook/${id}/jeda`, {
      paused: 'true',
    });
    expect(paused.status).toBe(303);
    down.delete('/pause');
    // Due again several times while paused: held each time, nothing sent, no attempt counted.
    await later();
    await later();
    expect(received('/pause')).toHaveLength(0);
    expect(await rowsOf(id)).toEqual([{ status: 'pending', attempts: 1, last_error: WEBHOOK_HELD.paused }]);
    // The delivery log says why.
    const log = await t.api(`/api/v1/integrations/webhooks/${id}/deliveries`, { token: pupr });
    expect(log.body.items[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: WEBHOOK_HELD.paused,
    });
    // The page says it in words, in both languages.
    expect(await reasons(web, id, 'id')).toContain('Ditahan: langganan dijeda; dikirim setelah dilanjutkan.');
    expect(await reasons(web, id, 'en')).toContain(
      'Held: the subscription is paused; sent once it is resumed.',
    );
    expect(await reasons(web, id, 'en')).not.toContain(WEBHOOK_HELD.paused);

    // Resumed: the held retry goes at once (same clock), its second attempt.
    const resumed = await postForm(web, '/kantor/integrasi', `/kantor/integrasi/webhook/${id}/jeda`, {
      paused: 'false',
    });
    expect(resumed.status).toBe(303);
    expect(await reasons(web, id, 'id')).toContain('Dilepas: langganan dilanjutkan.');
    expect(await reasons(web, id, 'en')).toContain('Released: the subscription was resumed.');
    await drain();
    const got = received('/pause');
    expect(got).toHaveLength(1);
    expect(got[0]!.body.report.trackingId).toBe(tracking);
    expect(await rowsOf(id)).toEqual([{ status: 'sent', attempts: 2, last_error: null }]);
  });
});

describe('a webhook with several bad fields', () => {
  it('the API answers every field error at once, in both languages', async () => {
    const pupr = await t.login(DEMO.puprAdmin);
    const r = await t.api('/api/v1/integrations/webhooks', {
      json: { url: 'ftp://contoh.go.id/x', events: ['dispatched', 'semuanya'] },
      token: pupr,
    });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body.error.fields).sort()).toEqual(['events', 'url']);
    for (const lang of ['id', 'en'] as const) {
      const fields = r.body.error.translations[lang].fields;
      expect(fields.url).toBe(tr(lang, 'errors.field.invalid_format'));
      expect(fields.events).toContain('dispatched, reporter_replied, deadline_due');
    }
    // Nothing given at all: both fields are named as required.
    const empty = await t.api('/api/v1/integrations/webhooks', { json: {}, token: pupr });
    expect(empty.status).toBe(422);
    expect(empty.body.error.translations.en.fields).toEqual({
      url: tr('en', 'errors.field.required'),
      events: tr('en', 'errors.field.required'),
    });
    // A URL on a private address with a bad event: both too.
    const blocked = await t.api('/api/v1/integrations/webhooks', {
      json: { url: 'http://10.1.2.3/x', events: ['semuanya'] },
      token: pupr,
    });
    expect(blocked.status).toBe(422);
    expect(Object.keys(blocked.body.error.fields).sort()).toEqual(['events', 'url']);
    expect(blocked.body.error.translations.id.fields.url).toBe(tr('id', 'errors.field.url_blocked_address'));
  });

  it('the page names every field in its error summary, in both languages', async () => {
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    for (const lang of ['id', 'en'] as const) {
      const r = await postForm(
        web,
        `/kantor/integrasi?lang=${lang}`,
        `/kantor/integrasi/webhook?lang=${lang}`,
        {
          url: 'bukan alamat',
          events: ['dispatched', 'semuanya'],
          hookAgency: 'pupr-kaltim',
        },
      );
      expect(r.status, r.html.slice(0, 300)).toBe(422);
      expect(r.html).toContain('href="#f-url"');
      expect(r.html).toContain('href="#f-events"');
      expect(r.html).toContain(tr(lang, 'errors.field.invalid_format'));
    }
  });
});

describe('a deactivated agency', () => {
  it('has its API token refused and its webhooks held; reactivation restores both', async () => {
    // A unit below PUPR, with no staff of its own: the national admin creates it, a token and a webhook for it.
    const admin = await signInWeb(t.url, DEMO.national);
    const created = await postForm(admin, '/kantor/admin/instansi', '/kantor/admin/instansi', {
      name: 'UPTD Pengujian Jalan Kaltim',
      kind: 'unit',
      parentId: 'pupr-kaltim',
      regionCode: '64',
    });
    expect(created.status, created.html.slice(0, 1500)).toBe(303);
    const unit = /\/kantor\/admin\/instansi\/([^?]+)/.exec(created.location!)![1]!;
    const minted = await t.api('/api/v1/integrations/tokens', {
      json: { name: 'SIM UPTD', agencyId: unit },
      token: national,
    });
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    const token = minted.body.token as string;
    expect((await t.api('/api/v1/reports', { token })).status).toBe(200);
    const hook = await subscribe(national, '/unit', { agencyId: unit });

    // A report dispatched to the unit while its receiver is down: a retry is queued. The unit then hands it back
    // (bukan wewenang), so it holds no open report and may be deactivated.
    down.add('/unit');
    const tracking = await submitReport(t, 'Jembatan kayu retak di Jalan Poros', { anonymous: true });
    await verifyReport(t, coord, tracking, unit, categoryId);
    await drain();
    expect(await rowsOf(hook)).toEqual([expect.objectContaining({ status: 'pending', attempts: 1 })]);
    await actOk(t, tracking, 'return', { note: 'Jembatan ini kewenangan kabupaten, bukan UPTD.' }, { token });
    const off = await postForm(
      admin,
      `/kantor/admin/instansi/${unit}`,
      `/kantor/admin/instansi/${unit}/status`,
      {
        active: 'false',
      },
    );
    expect(off.status, off.html.slice(0, 1500)).toBe(303);

    // The token: 403 with a message that says why, in both languages.
    const refused = await t.api('/api/v1/reports', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('AGENCY_INACTIVE');
    for (const lang of ['id', 'en'] as const)
      expect(refused.body.error.translations[lang].message).toBe(tr(lang, 'errors.AGENCY_INACTIVE'));

    // The webhook: nothing new is queued for it, and the queued retry is held (the receiver is up again).
    expect(await queuedForDispatchTo(unit)).not.toContain(hook);
    down.delete('/unit');
    await later();
    await later();
    expect(received('/unit')).toHaveLength(0);
    expect(await rowsOf(hook)).toEqual([
      { status: 'pending', attempts: 1, last_error: WEBHOOK_HELD.agencyInactive },
    ]);
    expect(await reasons(admin, hook, 'id')).toContain(
      'Ditahan: instansi dinonaktifkan; dikirim setelah diaktifkan kembali.',
    );
    expect(await reasons(admin, hook, 'en')).toContain(
      'Held: the agency is deactivated; sent once it is reactivated.',
    );

    // Reactivated: the token works again and the held delivery goes at once.
    const on = await postForm(
      admin,
      `/kantor/admin/instansi/${unit}`,
      `/kantor/admin/instansi/${unit}/status`,
      {
        active: 'true',
      },
    );
    expect(on.status).toBe(303);
    expect(await reasons(admin, hook, 'id')).toContain('Dilepas: instansi diaktifkan kembali.');
    expect(await reasons(admin, hook, 'en')).toContain('Released: the agency was reactivated.');
    expect((await t.api('/api/v1/reports', { token })).status).toBe(200);
    expect(await queuedForDispatchTo(unit)).toContain(hook);
    await drain();
    const got = received('/unit');
    expect(got).toHaveLength(1);
    expect(got[0]!.body.report.trackingId).toBe(tracking);
    // Anonymous: nothing about the reporter in what the unit received.
    expect(got[0]!.raw).not.toMatch(/reporter"\s*:\s*\{/);
    expect(await rowsOf(hook)).toEqual([{ status: 'sent', attempts: 2, last_error: null }]);
  });
});

describe('a receiver that cannot be reached', () => {
  it('reads as such in words, with the transport’s own words as technical detail (id, en)', async () => {
    const pupr = await t.login(DEMO.puprAdmin);
    // A closed port on the allowed host: the connection is refused, the attempt retried.
    const r = await t.api('/api/v1/integrations/webhooks', {
      json: { url: 'http://127.0.0.1:9/closed', events: ['dispatched'] },
      token: pupr,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = r.body.id as string;
    const tracking = await submitReport(t, 'Trotoar amblas di depan pasar pagi', { anonymous: true });
    await verifyReport(t, coord, tracking, 'pupr-kaltim', categoryId);
    await drain();
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toMatch(/^POST 127\.0\.0\.1:9: ./);
    const detail = row!.last_error!.slice('POST 127.0.0.1:9: '.length);
    const web = await signInWeb(t.url, DEMO.puprAdmin);
    const id_ = await reasons(web, id, 'id');
    expect(id_).toContain('Penerima 127.0.0.1:9 tidak dapat dihubungi.');
    expect(id_).toContain(`Detail teknis: <code class="break-all">${detail}</code>`);
    const en = await reasons(web, id, 'en');
    expect(en).toContain('The receiver 127.0.0.1:9 could not be reached.');
    expect(en).toContain(`Technical detail: <code class="break-all">${detail}</code>`);
  });
});
