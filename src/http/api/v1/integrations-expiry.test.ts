/**
 * The age limit of held agency webhook deliveries (docs/integrations.md, "Pause and deactivation"), with a controlled
 * clock, over real HTTP with a real local receiver and the real worker:
 * - a delivery held while its subscription is paused expires (never sent) when the worker looks at it again past the
 *   limit (14 days by default); the delivery log says so in both languages with the count, and the JSON history gives
 *   the stable `reason` code `expired` with the raw text and the count;
 * - resuming releases the deliveries held less long and expires the older ones, and says how many expired;
 * - reactivating an agency does the same with the instance's own limit (ADUAN_WEBHOOK_HOLD_DAYS, here 3 days).
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
import { postFromPage, signInWeb, type WebClient } from '../../../../test/helpers/web-client.ts';
import { deliveryLogReasons, webhookRowsOf } from '../../../../test/helpers/webhooks.ts';
import type { Worker } from '../../../jobs/worker.ts';
import { WEBHOOK_HELD } from '../../../domain/integration/webhook-events.ts';
import { expiredReason } from '../../../domain/integration/delivery-reasons.ts';
import { t as tr } from '../../../locales/index.ts';

const START = new Date('2026-03-12T02:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let t: TestApp;
let worker: Worker;
let rx: Awaited<ReturnType<typeof startHttpReceiver>>;
/** Receiver paths answering 503 for now (a receiver that is down). */
const down = new Set<string>();
let categoryId: number;
let coord: string;
let pupr: string;
let web: WebClient;

beforeAll(async () => {
  t = await startTestApp({ now: START, outboundAllowHosts: ['127.0.0.1'] });
  rx = await startHttpReceiver((post) => (down.has(post.path) ? 503 : 204));
  worker = await startIntegrationWorker(t.runtime.services);
  categoryId = await categoryIdByName(t);
  coord = await t.login(DEMO.coordinator);
  pupr = await t.login(DEMO.puprAdmin);
  web = await signInWeb(t.url, DEMO.puprAdmin);
});
afterAll(async () => {
  await worker?.stop();
  await rx?.close();
  await t?.close();
});

/** Moves the clock on by `ms` (signing in again: sessions do not outlive weeks). */
async function tick(ms: number) {
  t.setNow(new Date(t.clock.now.getTime() + ms));
  coord = await t.login(DEMO.coordinator);
  pupr = await t.login(DEMO.puprAdmin);
  web = await signInWeb(t.url, DEMO.puprAdmin);
}

/** Moves the clock on by `ms` and runs the worker (fan-out, then deliveries). */
async function after(ms: number) {
  await tick(ms);
  await worker.drain();
  await worker.drain();
}

const rowsOf = (id: string) => webhookRowsOf(t.runtime.services, id);
const received = (path: string) => rx.accepted().filter((p) => p.path === path);

async function subscribe(token: string, path: string, agencyId?: string): Promise<string> {
  const r = await t.api('/api/v1/integrations/webhooks', {
    json: { url: `${rx.url}${path}`, events: ['dispatched'], ...(agencyId ? { agencyId } : {}) },
    token,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

/** A report dispatched to `agencyId` while the receiver at `path` is down: its delivery fails once and waits. */
async function dispatchWhileDown(path: string, title: string, agencyId = 'pupr-kaltim'): Promise<string> {
  down.add(path);
  const tracking = await submitReport(t, title, { anonymous: true });
  await verifyReport(t, coord, tracking, agencyId, categoryId);
  await after(0);
  return tracking;
}

async function setPaused(id: string, paused: boolean, lang: 'id' | 'en' = 'id') {
  const r = await postFromPage(
    web,
    `/kantor/integrasi?lang=${lang}`,
    `/kantor/integrasi/webhook/${id}/jeda?lang=${lang}`,
    { paused: String(paused) },
  );
  expect(r.status, r.html.slice(0, 300)).toBe(303);
  return r.location!;
}

/** The delivery log page's text about expired deliveries, in a language ('' when it says nothing). */
async function expiredNotice(c: WebClient, id: string, lang: 'id' | 'en'): Promise<string> {
  const page = await c.get(`/kantor/integrasi/webhook/${id}?lang=${lang}`);
  expect(page.status).toBe(200);
  return /<p data-testid="expired-count">([^<]*)<\/p>/.exec(page.html)?.[1] ?? '';
}

/** A subscription's `expiredDeliveries` in the JSON list (GET /api/v1/integrations/webhooks). */
async function listedExpired(id: string): Promise<number> {
  const r = await t.api('/api/v1/integrations/webhooks', { token: pupr });
  expect(r.status).toBe(200);
  const item = (r.body.items as Array<{ id: string; expiredDeliveries: number }>).find((w) => w.id === id);
  return item!.expiredDeliveries;
}

/** The "expired deliveries" cell of a subscription's row on the integrations page, and the column's header. */
async function pageExpired(id: string, lang: 'id' | 'en'): Promise<{ cell: string; header: boolean }> {
  const page = await web.get(`/kantor/integrasi?lang=${lang}`);
  expect(page.status).toBe(200);
  const row = page.html.split('<tr').find((r) => r.includes(`/kantor/integrasi/webhook/${id}/jeda`))!;
  return {
    cell: /<td data-testid="expired-deliveries">([^<]*)<\/td>/.exec(row)?.[1] ?? '',
    header: page.html.includes(`>${tr(lang, 'integrations.col.expired')}</th>`),
  };
}

describe('a delivery held while its subscription is paused', () => {
  it('expires unsent when the worker looks at it past 14 days; the log and the JSON say so', async () => {
    const id = await subscribe(pupr, '/sweep');
    const tracking = await dispatchWhileDown('/sweep', 'Lampu jalan padam di Jalan Merdeka');
    expect(await rowsOf(id)).toEqual([expect.objectContaining({ status: 'pending', attempts: 1 })]);
    await setPaused(id, true);
    down.delete('/sweep');
    // Held at each look within the limit.
    await after(2 * HOUR);
    await after(13 * DAY);
    expect(await rowsOf(id)).toEqual([{ status: 'pending', attempts: 1, last_error: WEBHOOK_HELD.paused }]);
    expect(await expiredNotice(web, id, 'en')).toBe('');
    expect(await listedExpired(id)).toBe(0);
    expect((await pageExpired(id, 'id')).cell).toBe('0');

    // Past 14 days since it was queued: the worker's next look expires it, without counting an attempt.
    await after(DAY + 2 * HOUR);
    expect(await rowsOf(id)).toEqual([{ status: 'expired', attempts: 1, last_error: expiredReason(14) }]);
    expect(received('/sweep')).toHaveLength(0);

    // The JSON history: the stable code next to the text, and the count.
    const log = await t.api(`/api/v1/integrations/webhooks/${id}/deliveries`, { token: pupr });
    expect(log.status).toBe(200);
    expect(log.body.expired).toBe(1);
    // …and the list of subscriptions, per subscription, as the integrations page (both languages).
    expect(await listedExpired(id)).toBe(1);
    for (const lang of ['id', 'en'] as const)
      expect(await pageExpired(id, lang)).toEqual({ cell: '1', header: true });
    expect(log.body.items).toEqual([
      expect.objectContaining({
        trackingId: tracking,
        status: 'expired',
        attempts: 1,
        lastError: expiredReason(14),
        reason: 'expired',
        reasonParams: { days: '14' },
        released: null,
        sentAt: null,
      }),
    ]);
    // The page: the reason in words and how many expired, in both languages.
    for (const lang of ['id', 'en'] as const) {
      expect(await deliveryLogReasons(web, id, lang)).toContain(
        tr(lang, 'integrations.reason.expired', { days: 14 }),
      );
      expect(await expiredNotice(web, id, lang)).toBe(
        tr(lang, 'integrations.deliveries.expired', { count: 1, days: 14 }),
      );
      const page = await web.get(`/kantor/integrasi/webhook/${id}?lang=${lang}`);
      expect(page.html).toContain(`<td>${tr(lang, 'integrations.delivery_status.expired')}</td>`);
      expect(page.html).not.toContain(expiredReason(14));
    }

    // Resumed later: an expired delivery stays unsent.
    await setPaused(id, false);
    await after(2 * HOUR);
    expect(received('/sweep')).toHaveLength(0);
    expect((await rowsOf(id))[0]!.status).toBe('expired');
  });
});

describe('resuming a subscription', () => {
  it('sends the deliveries held less than 14 days and expires the older ones, saying how many', async () => {
    const id = await subscribe(pupr, '/resume');
    const old = await dispatchWhileDown('/resume', 'Trotoar rusak di depan terminal lama');
    await tick(10 * DAY);
    const fresh = await dispatchWhileDown('/resume', 'Saluran air tersumbat di Jalan Ahmad Yani');
    await setPaused(id, true);
    down.delete('/resume');
    await after(2 * HOUR);
    expect((await rowsOf(id)).map((r) => r.last_error)).toEqual([WEBHOOK_HELD.paused, WEBHOOK_HELD.paused]);

    // Five days later (the worker not having looked yet): the first was queued 15 days ago, the second 5.
    await tick(5 * DAY);
    const flash = await setPaused(id, false, 'en');
    const page = await web.get(flash);
    expect(page.html).toContain(tr('en', 'integrations.done.resumed'));
    expect(page.html).toContain(tr('en', 'integrations.done.expired', { count: 1, days: 14 }));
    // (The first had one more failed attempt when the second was dispatched: the receiver was still down.)
    expect(await rowsOf(id)).toEqual([
      expect.objectContaining({ status: 'expired', last_error: expiredReason(14) }),
      // Already due again (its hourly look has passed): it goes at the worker's next run.
      { status: 'pending', attempts: 1, last_error: WEBHOOK_HELD.paused },
    ]);
    await after(0);
    const got = received('/resume');
    expect(got.map((p) => p.body.report.trackingId)).toEqual([fresh]);
    expect(got.map((p) => p.body.report.trackingId)).not.toContain(old);

    const log = await t.api(`/api/v1/integrations/webhooks/${id}/deliveries`, { token: pupr });
    expect(log.body.expired).toBe(1);
    // Counted per subscription: the sent delivery is not, nor the other subscription's expired one.
    expect(await listedExpired(id)).toBe(1);
    expect((await pageExpired(id, 'en')).cell).toBe('1');
    const [sent, expired] = log.body.items;
    expect(sent).toMatchObject({ status: 'sent', lastError: null, reason: null, released: null });
    expect(expired).toMatchObject({ trackingId: old, status: 'expired', reason: 'expired' });
  });
});

describe('reactivating an agency', () => {
  it('expires what it held past the instance limit (here 3 days), by the release itself', async () => {
    const svc = t.runtime.services;
    svc.webhookHoldDays = 3;
    try {
      let admin = await signInWeb(t.url, DEMO.national);
      const created = await postFromPage(admin, '/kantor/admin/instansi', '/kantor/admin/instansi', {
        name: 'UPTD Penerangan Jalan Kaltim',
        kind: 'unit',
        parentId: 'pupr-kaltim',
        regionCode: '64',
      });
      expect(created.status, created.html.slice(0, 1500)).toBe(303);
      const unit = /\/kantor\/admin\/instansi\/([^?]+)/.exec(created.location!)![1]!;
      const national = await t.login(DEMO.national);
      const token = (
        await t.api('/api/v1/integrations/tokens', {
          json: { name: 'SIM UPTD PJU', agencyId: unit },
          token: national,
        })
      ).body.token as string;
      const hook = await subscribe(national, '/unit', unit);
      const tracking = await dispatchWhileDown('/unit', 'Lampu penerangan jalan mati di jembatan', unit);
      // Handed back so that the unit holds no open report and may be deactivated.
      await actOk(
        t,
        tracking,
        'return',
        { note: 'Jembatan ini kewenangan kabupaten, bukan UPTD.' },
        { token },
      );
      const setActive = async (active: boolean) => {
        const r = await postFromPage(
          admin,
          `/kantor/admin/instansi/${unit}`,
          `/kantor/admin/instansi/${unit}/status`,
          {
            active: String(active),
          },
        );
        expect(r.status, r.html.slice(0, 1500)).toBe(303);
      };
      await setActive(false);
      down.delete('/unit');
      await after(2 * HOUR);
      expect(await rowsOf(hook)).toEqual([
        { status: 'pending', attempts: 1, last_error: WEBHOOK_HELD.agencyInactive },
      ]);

      // Four days later, reactivated before the worker looked again: expired by the release itself.
      await tick(4 * DAY);
      admin = await signInWeb(t.url, DEMO.national);
      await setActive(true);
      expect(await rowsOf(hook)).toEqual([{ status: 'expired', attempts: 1, last_error: expiredReason(3) }]);
      await after(2 * HOUR);
      expect(received('/unit')).toHaveLength(0);
      expect(await deliveryLogReasons(admin, hook, 'id')).toContain(
        tr('id', 'integrations.reason.expired', { days: 3 }),
      );
      expect(await expiredNotice(admin, hook, 'en')).toBe(
        tr('en', 'integrations.deliveries.expired', { count: 1, days: 3 }),
      );
    } finally {
      svc.webhookHoldDays = undefined;
    }
  });
});
