/**
 * Open311 media (QA M2): the `media_url` / `media_urls` a request lists are links the client they are given
 * to can fetch, at GET /open311/v2/media/{id}. The submitting partner, with its api_key, fetches its own
 * request's files in every status (its reporter's uploads included); anyone else only a public file (the
 * agency's public follow-up file) of a public report, under its neutral name; anything else is a 404 errors
 * body, the same as an unknown id. Real HTTP: multipart upload through Open311, then downloads.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/app.ts';
import { startChannelApp, type ChannelTestApp } from '../../../test/helpers/channels.ts';
import { fetchOpen311, serviceCode } from '../../../test/helpers/open311.ts';
import { createApiKey } from '../../commands/create-api-key.ts';

const KEY = 'demo-open311-key';
let c: ChannelTestApp;
let code: string;
let otherKey: string;
let png: Buffer;

const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Files a request through Open311 with one uploaded photo (multipart `media[]`); returns its id. */
async function postWithPhoto(fields: Record<string, string> = {}): Promise<string> {
  const fd = new FormData();
  const all: Record<string, string> = {
    api_key: KEY,
    service_code: code,
    address_id: '64.72.02',
    'attribute[classification]': 'pengaduan',
    description: 'Jembatan kayu di RT 03 patah, foto terlampir.',
    first_name: 'Sekar',
    ...fields,
  };
  for (const [k, v] of Object.entries(all)) fd.append(k, v);
  fd.append('media[]', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'KTP-sekar.png');
  const r = await fetchOpen311(`${c.url}/open311/v2/requests.json`, { method: 'POST', body: fd });
  expect(r.status, r.text).toBe(201);
  return r.body[0].service_request_id as string;
}

/** The media_urls of a request as one reader sees it (by id, extensions=true). */
async function mediaUrls(id: string, key?: string): Promise<string[]> {
  const q = key ? `api_key=${key}&` : '';
  const r = await fetchOpen311(`${c.url}/open311/v2/requests/${id}.json?${q}extensions=true`);
  expect(r.status, r.text).toBe(200);
  expect(r.body[0].media_url).toBe(r.body[0].media_urls[0] ?? '');
  return r.body[0].media_urls as string[];
}

const download = (url: string, key?: string) => fetch(key ? `${url}?api_key=${key}` : url);

async function verify(id: string) {
  const r = await c.t.api(`/api/v1/reports/${id}/actions/verify`, {
    json: { categoryId: Number(code), agencyId: 'pupr-kaltim' },
    token: await c.t.login(DEMO.coordinator),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** The stored bytes' hash of an attachment (the file as kept, metadata stripped). */
async function storedSha(attachmentId: string): Promise<string> {
  const { rows } = (await c.t.runtime.services.db.execute(
    sql`select sha256 from attachments where id = ${attachmentId}::uuid`,
  )) as unknown as { rows: Array<{ sha256: string }> };
  return rows[0]!.sha256;
}

/** Expects an Open311 404 errors body (XML: the URL has no format suffix). */
async function notFound(res: Response) {
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
  expect(await res.text()).toContain('<errors><error><code>404</code>');
}

beforeAll(async () => {
  c = await startChannelApp(new Date('2026-03-12T02:00:00Z'));
  code = serviceCode((await fetchOpen311(`${c.url}/open311/v2/services.json`)).body);
  otherKey = (await createApiKey(c.t.runtime.services, { name: 'Aplikasi lain' })).key;
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0a0' } })
    .png()
    .toBuffer();
});
afterAll(() => c?.close());

describe('GET /open311/v2/media/{id}', () => {
  it('the submitting partner downloads its upload with its key: 200, the stored bytes, safe headers', async () => {
    const id = await postWithPhoto();
    const [url, ...rest] = await mediaUrls(id, KEY);
    expect(rest).toEqual([]);
    expect(url).toMatch(new RegExp(`^${c.url}/open311/v2/media/[0-9a-f-]{36}$`));
    const attachmentId = url!.split('/').pop()!;
    const res = await download(url!, KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    // The partner acts as the reporter: the name it sent, as the reporter's own download gives it.
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename="KTP-sekar.png"; filename*=UTF-8''KTP-sekar.png`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(sha(bytes)).toBe(await storedSha(attachmentId));
    // The same bytes as the staff download of the JSON API.
    const viaApi = await fetch(`${c.url}/api/v1/reports/${id}/attachments/${attachmentId}`, {
      headers: { authorization: `Bearer ${await c.t.login(DEMO.national)}` },
    });
    expect(viaApi.status).toBe(200);
    expect(sha(Buffer.from(await viaApi.arrayBuffer()))).toBe(sha(bytes));
  });

  it('another partner, no key or a wrong key: 404 (403 for an invalid key) before and after verification', async () => {
    const id = await postWithPhoto({ 'attribute[anonim]': 'true' });
    const [url] = await mediaUrls(id, KEY);
    // Not public yet: the request itself is hidden from others, and so is its file.
    await notFound(await download(url!));
    await notFound(await download(url!, otherKey));
    expect((await download(url!, 'kunci-salah')).status).toBe(403);
    await verify(id);
    // Public now, but the reporter's upload (an anonim reporter's KTP photo) never is.
    expect(await mediaUrls(id)).toEqual([]);
    expect(await mediaUrls(id, otherKey)).toEqual([]);
    await notFound(await download(url!));
    await notFound(await download(url!, otherKey));
    expect((await download(url!, KEY)).status).toBe(200);
  });

  it("a public file of a public report: listed and served to anyone under its neutral name; the partner's own stays private", async () => {
    const id = await postWithPhoto();
    await verify(id);
    const staffPng = await sharp({ create: { width: 6, height: 6, channels: 3, background: '#00c' } })
      .png()
      .toBuffer();
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(staffPng)], { type: 'image/png' }), 'balasan-untuk-sekar.png');
    const up = await c.t.api(`/api/v1/reports/${id}/attachments`, {
      body: fd,
      token: await c.t.login(DEMO.puprAdmin),
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const staffId = up.body.items[0].id as string;
    const own = await mediaUrls(id, KEY);
    expect(own).toHaveLength(2);
    const publicUrls = await mediaUrls(id);
    expect(publicUrls).toEqual([`${c.url}/open311/v2/media/${staffId}`]);
    expect(await mediaUrls(id, otherKey)).toEqual(publicUrls);
    for (const key of [undefined, otherKey]) {
      const res = await download(publicUrls[0]!, key);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-disposition')).toBe(
        `inline; filename="lampiran-${staffId.slice(0, 8)}.png"; filename*=UTF-8''lampiran-${staffId.slice(0, 8)}.png`,
      );
      expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(await storedSha(staffId));
    }
    const reporterFile = own.find((u) => !u.endsWith(staffId))!;
    await notFound(await download(reporterFile));
    await notFound(await download(reporterFile, otherKey));

    // Made confidential: nothing is public any more; the submitting partner still reads its own request.
    const set = await c.t.api(`/api/v1/reports/${id}/privacy`, {
      json: { confidential: true },
      token: await c.t.login(DEMO.coordinator),
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    await notFound(await download(publicUrls[0]!));
    await notFound(await download(publicUrls[0]!, otherKey));
    for (const url of own) expect((await download(url, KEY)).status).toBe(200);
  });

  it('unknown, malformed and sandbox ids → 404 errors body', async () => {
    await notFound(await fetch(`${c.url}/open311/v2/media/00000000-0000-4000-8000-000000000000`));
    await notFound(await fetch(`${c.url}/open311/v2/media/not-a-uuid?api_key=${KEY}`));
    const id = await postWithPhoto();
    const [url] = await mediaUrls(id, KEY);
    await notFound(await fetch(url!.replace('/open311/v2/', '/open311/test/v2/') + `?api_key=${KEY}`));
  });
});
