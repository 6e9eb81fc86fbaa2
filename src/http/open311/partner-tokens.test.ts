/**
 * Open311 batch tokens read by the partner that posted them (QA M3, D4/D13): with the submitting partner's
 * api_key (query string), GET tokens/{token} gives the tracking number in every status: waiting for
 * verification, rahasia, archived. Keyless reads and other partners' keys keep D4: "" until the request is
 * public, and never for a confidential one. Real HTTP, XML and JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/app.ts';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { fetchOpen311, serviceCode } from '../../../test/helpers/open311.ts';
import { createApiKey } from '../../commands/create-api-key.ts';
import { setOpen311ServiceType } from '../../commands/set-open311-service-type.ts';

const KEY = 'demo-open311-key';
let c: ChannelTestApp;
let code: string;
let otherKey: string;

/** Posts a request to the batch service; returns its token. */
async function postBatch(extra: Record<string, string> = {}, endpoint = 'v2'): Promise<string> {
  const body = new URLSearchParams({
    api_key: KEY,
    service_code: code,
    address_id: '64.72.02',
    'attribute[classification]': 'pengaduan',
    description: 'Lampu jalan padam sepanjang 200 meter sejak seminggu.',
    ...extra,
  });
  const r = await fetchOpen311(`${c.url}/open311/${endpoint}/requests.json`, { method: 'POST', body });
  expect(r.status, r.text).toBe(201);
  expect(r.body[0].service_request_id).toBeUndefined();
  return r.body[0].token as string;
}

/** The service_request_id a token resolves to for one reader, in XML and JSON (both must agree). */
async function resolve(token: string, key?: string, endpoint = 'v2'): Promise<string> {
  const ids: string[] = [];
  for (const fmt of ['xml', 'json'] as const) {
    const r = await fetchOpen311(
      `${c.url}/open311/${endpoint}/tokens/${token}.${fmt}${key ? `?api_key=${key}` : ''}`,
    );
    expect(r.status, r.text).toBe(200);
    const item = fmt === 'json' ? r.body[0] : r.body.service_requests.request;
    expect(item.token).toBe(token);
    if (key) expect(r.type).toMatch(/charset=utf-8/);
    ids.push(item.service_request_id);
  }
  expect(ids[0]).toBe(ids[1]);
  return ids[0]!;
}

async function act(id: string, action: string, json: Record<string, unknown>) {
  const r = await c.t.api(`/api/v1/reports/${id}/actions/${action}`, {
    json,
    token: await c.t.login(DEMO.coordinator),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const verify = (id: string) => act(id, 'verify', { categoryId: Number(code), agencyId: 'pupr-kaltim' });

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'));
  code = serviceCode((await fetchOpen311(`${c.url}/open311/v2/services.json`)).body);
  await setOpen311ServiceType(c.t.runtime.services, code, 'batch');
  otherKey = (await createApiKey(c.t.runtime.services, { name: 'Aplikasi lain' })).key;
});
afterAll(() => c?.close());

describe('GET tokens/{token} with the submitting partner key', () => {
  it('gives the id at once, before verification; keyless and other keys get "" until it is public', async () => {
    const token = await postBatch();
    const id = await resolve(token, KEY);
    expect(id).toMatch(/^\d{10}$/);
    expect(await resolve(token)).toBe('');
    expect(await resolve(token, otherKey)).toBe('');
    // With the id the partner reads its own request back (D13) and can post updates.
    const own = await fetchOpen311(`${c.url}/open311/v2/requests/${id}.json?api_key=${KEY}`);
    expect(own.status, own.text).toBe(200);
    expect(own.body[0].status).toBe('open');
    await verify(id);
    expect(await resolve(token)).toBe(id);
    expect(await resolve(token, otherKey)).toBe(id);
    expect(await resolve(token, KEY)).toBe(id);
  });

  it('a rahasia request: the id for its partner in every status, never for anyone else', async () => {
    const token = await postBatch({ 'attribute[rahasia]': 'true' });
    const id = await resolve(token, KEY);
    expect(id).toMatch(/^\d{10}$/);
    for (const step of ['submitted', 'verified'] as const) {
      if (step === 'verified') await verify(id);
      expect(await resolve(token, KEY)).toBe(id);
      expect(await resolve(token)).toBe('');
      expect(await resolve(token, otherKey)).toBe('');
    }
    expect((await fetchOpen311(`${c.url}/open311/v2/requests/${id}.json?api_key=${KEY}`)).status).toBe(200);
    expect((await fetchOpen311(`${c.url}/open311/v2/requests/${id}.json`)).status).toBe(404);
  });

  it('an archived request: still the id for its partner, "" for others', async () => {
    const token = await postBatch();
    const id = await resolve(token, KEY);
    await act(id, 'archive', { reason: 'too_general' });
    expect(await resolve(token, KEY)).toBe(id);
    expect(await resolve(token)).toBe('');
    expect(await resolve(token, otherKey)).toBe('');
  });

  it('a keyed answer is private; an invalid key is 403 and an unknown token 404, as on every read', async () => {
    const token = await postBatch();
    const keyed = await fetch(`${c.url}/open311/v2/tokens/${token}.json?api_key=${KEY}`);
    expect(keyed.headers.get('cache-control')).toBe('private, no-cache');
    const bad = await fetchOpen311(`${c.url}/open311/v2/tokens/${token}.json?api_key=kunci-salah`);
    expect(bad.status).toBe(403);
    expect(bad.text).not.toMatch(/\d{10}/);
    expect((await fetchOpen311(`${c.url}/open311/v2/tokens/tidak-ada.xml?api_key=${KEY}`)).status).toBe(404);
  });

  it('a token answer carries an ETag (If-None-Match → 304) and Cache-Control like every read', async () => {
    const token = await postBatch();
    for (const fmt of ['xml', 'json']) {
      for (const [query, cacheControl] of [
        ['', 'no-cache'],
        [`?api_key=${KEY}`, 'private, no-cache'],
      ] as const) {
        const url = `${c.url}/open311/v2/tokens/${token}.${fmt}${query}`;
        const first = await fetch(url);
        expect(first.status).toBe(200);
        expect(first.headers.get('cache-control')).toBe(cacheControl);
        const etag = first.headers.get('etag');
        expect(etag).toMatch(/^"[\w-]+"$/);
        const again = await fetch(url, { headers: { 'if-none-match': etag! } });
        expect(again.status).toBe(304);
        expect(await again.text()).toBe('');
      }
    }
    // Verification gives the id to keyless readers: a new body, so a new ETag.
    const before = (await fetch(`${c.url}/open311/v2/tokens/${token}.json`)).headers.get('etag');
    await verify(await resolve(token, KEY));
    const after = await fetch(`${c.url}/open311/v2/tokens/${token}.json`, {
      headers: { 'if-none-match': before! },
    });
    expect(after.status).toBe(200);
    expect((await after.json())[0].service_request_id).toMatch(/^\d{10}$/);
  });

  it('the test endpoint keeps answering its sandbox id, with or without the key', async () => {
    const token = await postBatch({}, 'test/v2');
    const id = await resolve(token, undefined, 'test/v2');
    expect(id).not.toBe('');
    expect(await resolve(token, KEY, 'test/v2')).toBe(id);
  });
});
