/**
 * Open311 partner keys bound to a deactivated agency (docs/open311.md "API keys"), over real HTTP: while the agency is
 * deactivated every keyed endpoint (POST requests and servicerequestupdates, the keyed reads of requests, a request,
 * tokens, updates and media, on the production and the test endpoint) answers 403 with an Open311 `errors` body in the
 * URL's format (XML and JSON) that says why in Indonesian and English; reactivating the agency makes the key work
 * again. A key bound to no agency is unaffected meanwhile.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { fetchOpen311, serviceCode } from '../../../test/helpers/open311.ts';
import { postFromPage, signInWeb, type WebClient } from '../../../test/helpers/web-client.ts';
import { createApiKey } from '../../commands/create-api-key.ts';
import { query } from '../../db/client.ts';
import { setOpen311ServiceType } from '../../commands/set-open311-service-type.ts';
import { t as tr } from '../../locales/index.ts';

/** The seeded partner key bound to no agency. */
const UNBOUND_KEY = 'demo-open311-key';
const UNKNOWN_MEDIA = '00000000-0000-4000-8000-000000000000';
let t: TestApp;
let admin: WebClient;
let unit: string;
let key: string;
let code: string;
/** A request the bound key posted while its agency was active (for the keyed reads by id and token). */
let own: { id: string; token: string };

async function setActive(active: boolean) {
  const r = await postFromPage(
    admin,
    `/kantor/admin/instansi/${unit}`,
    `/kantor/admin/instansi/${unit}/status`,
    {
      active: String(active),
    },
  );
  expect(r.status, r.html.slice(0, 1500)).toBe(303);
}

const requestBody = (apiKey: string) =>
  new URLSearchParams({
    api_key: apiKey,
    service_code: code,
    address_id: '64.72.02',
    'attribute[classification]': 'pengaduan',
    description: 'Drainase tersumbat di depan sekolah dasar sejak hujan deras kemarin.',
  });

const updateBody = (apiKey: string, updateId: string) =>
  new URLSearchParams({
    api_key: apiKey,
    service_request_id: own.id,
    update_id: updateId,
    status: 'OPEN',
    description: 'Petugas kami sudah mencatat laporan ini.',
    updated_datetime: '2026-03-12T10:00:00+08:00',
  });

/** Every keyed call, in one format: [what, url, init]. */
function keyedCalls(apiKey: string, fmt: 'xml' | 'json', n: number): Array<[string, string, RequestInit?]> {
  const v2 = `${t.url}/open311/v2`;
  const q = `api_key=${encodeURIComponent(apiKey)}`;
  return [
    ['POST requests', `${v2}/requests.${fmt}`, { method: 'POST', body: requestBody(apiKey) }],
    [
      'POST requests (test endpoint)',
      `${t.url}/open311/test/v2/requests.${fmt}`,
      { method: 'POST', body: requestBody(apiKey) },
    ],
    ['GET requests', `${v2}/requests.${fmt}?${q}`],
    ['GET requests/{id}', `${v2}/requests/${own.id}.${fmt}?${q}`],
    ['GET tokens/{token}', `${v2}/tokens/${own.token}.${fmt}?${q}`],
    ['GET servicerequestupdates', `${v2}/servicerequestupdates.${fmt}?${q}`],
    [
      'POST servicerequestupdates',
      `${v2}/servicerequestupdates.${fmt}`,
      { method: 'POST', body: updateBody(apiKey, `upd-${fmt}-${n}`) },
    ],
    // The media URL has no format suffix: its errors are XML, so it is asked once.
    ...(fmt === 'xml' ? [['GET media/{id}', `${v2}/media/${UNKNOWN_MEDIA}?${q}`] as [string, string]] : []),
  ];
}

/** What a working key gets from each call (the media id is unknown: 404 once the key is accepted). */
const WORKING: Record<string, number> = {
  'POST requests': 201,
  'POST requests (test endpoint)': 201,
  'GET requests': 200,
  'GET requests/{id}': 200,
  'GET tokens/{token}': 200,
  'GET servicerequestupdates': 200,
  'POST servicerequestupdates': 201,
  'GET media/{id}': 404,
};

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  code = serviceCode((await fetchOpen311(`${t.url}/open311/v2/services.json`)).body);
  // A batch service answers a token, so GET tokens/{token} has one to read.
  await setOpen311ServiceType(t.runtime.services, code, 'batch');
  // A unit below PUPR with no staff and no reports of its own, so that it may be deactivated.
  admin = await signInWeb(t.url, DEMO.national);
  const created = await postFromPage(admin, '/kantor/admin/instansi', '/kantor/admin/instansi', {
    name: 'UPTD Drainase Kaltim',
    kind: 'unit',
    parentId: 'pupr-kaltim',
    regionCode: '64',
  });
  expect(created.status, created.html.slice(0, 1500)).toBe(303);
  unit = /\/kantor\/admin\/instansi\/([^?]+)/.exec(created.location!)![1]!;
  // Bound to the unit and acting for it (scopes open311 + agency), as the back office issues it.
  key = (await createApiKey(t.runtime.services, { name: 'Aplikasi UPTD Drainase', agencyId: unit })).key;
  const posted = await fetchOpen311(`${t.url}/open311/v2/requests.json`, {
    method: 'POST',
    body: requestBody(key),
  });
  expect(posted.status, posted.text).toBe(201);
  const token = posted.body[0].token as string;
  const resolved = await fetchOpen311(`${t.url}/open311/v2/tokens/${token}.json?api_key=${key}`);
  expect(resolved.status, resolved.text).toBe(200);
  own = { id: resolved.body[0].service_request_id as string, token };
  expect(own.id).toMatch(/^\d{10}$/);
});
afterAll(() => t?.close());

describe('an Open311 key bound to a deactivated agency', () => {
  it('is refused on every keyed endpoint with a 403 errors body (XML and JSON, id and en); reactivation restores it', async () => {
    await setActive(false);
    let n = 0;
    for (const fmt of ['xml', 'json'] as const) {
      for (const [what, url, init] of keyedCalls(key, fmt, n++)) {
        const r = await fetchOpen311(url, init);
        expect(r.status, `${what} ${fmt}: ${r.text}`).toBe(403);
        expect(r.type, what).toContain(fmt === 'json' ? 'application/json' : 'text/xml');
        const error = fmt === 'json' ? r.body[0] : r.body.errors.error;
        expect(String(error.code), what).toBe('403');
        // Indonesian first (the default language), then English: the partner learns why and that it is temporary.
        expect(error.description, what).toBe(
          `${tr('id', 'errors.API_KEY_AGENCY_INACTIVE')} / ${tr('en', 'errors.API_KEY_AGENCY_INACTIVE')}`,
        );
        // Nothing of the partner's own request leaks in the refusal.
        expect(r.text, what).not.toContain(own.id);
      }
    }
    // In English first when the client asks for English.
    const en = await fetchOpen311(`${t.url}/open311/v2/requests.json?api_key=${key}`, {
      headers: { 'accept-language': 'en' },
    });
    expect(en.status).toBe(403);
    expect(en.body[0].description).toMatch(/^The agency this api_key is bound to has been deactivated/);

    // A key bound to no agency works meanwhile (the calls not about the bound key's own request), and keyless reads
    // are public as ever.
    const unrelated = new Set([
      'POST requests',
      'POST requests (test endpoint)',
      'GET requests',
      'GET servicerequestupdates',
      'GET media/{id}',
    ]);
    for (const fmt of ['xml', 'json'] as const) {
      for (const [what, url, init] of keyedCalls(UNBOUND_KEY, fmt, n++)) {
        if (!unrelated.has(what)) continue;
        const r = await fetchOpen311(url, init);
        expect(r.status, `${what} ${fmt} (unbound key): ${r.text}`).toBe(WORKING[what]);
      }
    }
    expect((await fetchOpen311(`${t.url}/open311/v2/requests.json`)).status).toBe(200);

    // Reactivated: the same key works again everywhere.
    await setActive(true);
    for (const fmt of ['xml', 'json'] as const) {
      for (const [what, url, init] of keyedCalls(key, fmt, n++)) {
        const r = await fetchOpen311(url, init);
        expect(r.status, `${what} ${fmt} after reactivation: ${r.text}`).toBe(WORKING[what]);
      }
    }
  });

  it('is marked "agency inactive" on its row of the integrations page (id and en) until reactivated', async () => {
    /** The status cell of the partner key named `name` on the integrations page. */
    const statusOf = async (name: string, lang: 'id' | 'en') => {
      const page = await admin.get(`/kantor/integrasi?lang=${lang}`);
      expect(page.status).toBe(200);
      const row = page.html.split('<tr').find((r) => r.includes(`<td>${name}</td>`));
      expect(row, name).toBeDefined();
      return [...row!.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]).at(-1);
    };
    const [first] = await query<{ name: string }>(
      t.runtime.services.db,
      sql`select name from api_keys where agency_id is null and revoked_at is null order by created_at limit 1`,
    );
    const unbound = first!.name;
    await setActive(false);
    try {
      for (const lang of ['id', 'en'] as const) {
        expect(await statusOf('Aplikasi UPTD Drainase', lang)).toBe(tr(lang, 'integrations.agency_inactive'));
        // A key bound to no agency is not affected.
        expect(await statusOf(unbound, lang)).toBe(tr(lang, 'admin.active'));
      }
    } finally {
      await setActive(true);
    }
    expect(await statusOf('Aplikasi UPTD Drainase', 'en')).toBe(tr('en', 'admin.active'));
  });

  it('a revoked key stays refused as invalid, not as inactive', async () => {
    const other = await createApiKey(t.runtime.services, { name: 'Aplikasi dicabut', agencyId: unit });
    // Revoked as the back office does (revokePartnerKey sets revoked_at).
    await t.runtime.services.db.execute(sql`update api_keys set revoked_at = now() where id = ${other.id}`);
    await setActive(false);
    try {
      const r = await fetchOpen311(`${t.url}/open311/v2/requests.json?api_key=${other.key}`);
      expect(r.status).toBe(403);
      expect(r.body[0].description).toContain(tr('id', 'errors.API_KEY_INVALID'));
    } finally {
      await setActive(true);
    }
  });
});
