/**
 * Idempotent Open311 POST requests (docs/open311.md "Idempotency-Key", ADR 0014): a retried POST with the same key
 * and fields files one report and answers the same service_request_id (or token); the same key with other fields is
 * a 409; two partners' keys never meet; without a key nothing changes; a malformed key is a 400 naming the header.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DEMO_OPEN311_KEY } from '../../../test/global-setup.ts';
import { auditLog } from '../../../test/helpers/admin-audit.ts';
import { fetchOpen311, serviceCodes } from '../../../test/helpers/open311.ts';
import { issuePartnerKey } from '../../commands/manage-partner-keys.ts';
import { setOpen311ServiceType } from '../../commands/set-open311-service-type.ts';

let t: TestApp;
let code: string;
let batchCode: string;
let otherPartnerKey: string;
const { callerOf } = auditLog(() => t);

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const services = await (await fetch(`${t.url}/open311/v2/services.json`)).json();
  [code, batchCode] = serviceCodes(services, 'PEKERJAAN UMUM DAN PENATAAN RUANG', 'AGAMA');
  await setOpen311ServiceType(t.runtime.services, batchCode, 'batch');
  otherPartnerKey = (
    await issuePartnerKey(t.runtime.services, await callerOf(DEMO.national), { name: 'Aplikasi Kota Lain' })
  ).key;
});
afterAll(() => t?.close());

/** How many reports have a body containing this text. */
async function reportsWith(text: string): Promise<number> {
  const rows = await query<{ n: number }>(
    t.runtime.services.db,
    sql`select count(*)::int as n from reports where body like ${`%${text}%`}`,
  );
  return rows[0]!.n;
}

const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

const fields = (description: string, extra: Record<string, string> = {}) => ({
  api_key: DEMO_OPEN311_KEY,
  service_code: code,
  address_id: '64.72.02',
  description,
  first_name: 'Budi',
  'attribute[classification]': 'pengaduan',
  ...extra,
});

function post(form: Record<string, string>, key?: string, format: 'json' | 'xml' = 'json') {
  return fetchOpen311(`${t.url}/open311/v2/requests.${format}`, {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
}

/** The service_request_id of a JSON answer. */
const idOf = (r: { body: any }) => r.body[0].service_request_id as string;

describe('Open311 POST requests with an Idempotency-Key', () => {
  it('the same POST twice (JSON, then XML) files one report and answers the same service_request_id', async () => {
    const description = 'Drainase tersumbat di jalan Cendana menyebabkan banjir.';
    const first = await post(fields(description), 'o311-retry-1');
    expect(first.status, first.text).toBe(201);
    const again = await post(fields(description), 'o311-retry-1');
    expect(again.status, again.text).toBe(201);
    expect(idOf(again)).toBe(idOf(first));
    const xml = await post(fields(description), 'o311-retry-1', 'xml');
    expect(xml.status, xml.text).toBe(201);
    expect(String(xml.body.service_requests.request.service_request_id)).toBe(idOf(first));
    expect(await reportsWith('jalan Cendana')).toBe(1);
  });

  it('a retried POST with a file stores the file once', async () => {
    const description = 'Papan reklame roboh di simpang Lembuswana.';
    const multipart = () => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields(description))) fd.append(k, v);
      fd.append('media', new Blob([PNG], { type: 'image/png' }), 'foto.png');
      return fd;
    };
    const send = () =>
      fetchOpen311(`${t.url}/open311/v2/requests.json`, {
        method: 'POST',
        body: multipart(),
        headers: { 'idempotency-key': 'o311-file-1' },
      });
    const first = await send();
    const again = await send();
    expect([first.status, again.status], again.text).toEqual([201, 201]);
    expect(idOf(again)).toBe(idOf(first));
    const files = await query<{ n: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n from attachments a join reports r on r.id = a.report_id
          where r.tracking_id = ${idOf(first)}`,
    );
    expect(files[0]!.n).toBe(1);
    expect(await reportsWith('simpang Lembuswana')).toBe(1);
  });

  it('a batch service answers the same token on a retry', async () => {
    const description = 'Atap mushola di kelurahan Sidodadi bocor saat hujan.';
    const form = fields(description, { service_code: batchCode });
    const first = await post(form, 'o311-batch-1');
    const again = await post(form, 'o311-batch-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(first.body[0].token).toBeTruthy();
    expect(again.body[0].token).toBe(first.body[0].token);
    expect(await reportsWith('kelurahan Sidodadi')).toBe(1);
  });

  it('the same POST sent four times at once files one report', async () => {
    const description = 'Jalan berlubang besar di depan pasar Segiri.';
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(fields(description), 'o311-c-1')));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map(idOf)).size).toBe(1);
    expect(await reportsWith('pasar Segiri')).toBe(1);
  });

  it('the same key with other fields is a 409 errors body in both languages; nothing more is filed', async () => {
    const description = 'Lampu penerangan jalan mati di jalan Kadrie Oening.';
    expect((await post(fields(description), 'o311-changed-1')).status).toBe(201);
    const other = await post(fields(`${description} Sudah dua minggu.`), 'o311-changed-1');
    expect(other.status, other.text).toBe(409);
    expect(other.body[0].code).toBe(409);
    expect(other.body[0].description).toMatch(/Idempotency-Key ini sudah dipakai/);
    expect(other.body[0].description).toMatch(/already used for a report with different content/);
    expect(await reportsWith('Kadrie Oening')).toBe(1);
  });

  it("two partners' equal keys never meet: each files its own report", async () => {
    const description = 'Tumpukan sampah liar di bantaran sungai Karang Asam.';
    const a = await post(fields(description), 'o311-shared');
    const b = await post(fields(description, { api_key: otherPartnerKey }), 'o311-shared');
    expect([a.status, b.status], b.text).toEqual([201, 201]);
    expect(idOf(b)).not.toBe(idOf(a));
    expect(await reportsWith('sungai Karang Asam')).toBe(2);
  });

  it('without a key, the same POST twice files two reports (unchanged)', async () => {
    const description = 'Pohon besar hampir tumbang di jalan Juanda ujung.';
    const a = await post(fields(description));
    const b = await post(fields(description));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(idOf(b)).not.toBe(idOf(a));
    expect(await reportsWith('jalan Juanda ujung')).toBe(2);
  });

  it('a malformed key is a 400 naming the header in both languages; nothing is filed', async () => {
    const description = 'Kunci rusak untuk laporan jembatan Mahakam.';
    const r = await post(fields(description), 'x'.repeat(256));
    expect(r.status, r.text).toBe(400);
    expect(r.body[0].description).toMatch(/^Idempotency-Key: /);
    expect(r.body[0].description).toMatch(/printable ASCII/);
    expect(await reportsWith('jembatan Mahakam')).toBe(0);
  });
});
