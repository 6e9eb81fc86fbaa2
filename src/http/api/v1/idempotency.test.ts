/**
 * Idempotent report creation on the JSON API (docs/api-v1.md "Idempotency-Key", ADR 0014): a retried POST with the
 * same key and body files one report and answers like the first time; the same key with another body is a 409; two
 * callers' keys never meet; without a key nothing changes; the stored key row holds no personal data.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../../db/client.ts';
import { purgeExpiredIdempotencyKeys } from '../../../commands/submit-report.ts';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

let t: TestApp;
const START = new Date('2026-03-12T02:00:00Z');
beforeAll(async () => {
  t = await startTestApp({ now: START });
});
afterAll(() => t?.close());

/** How many reports carry this title. */
async function reportsTitled(title: string): Promise<number> {
  const rows = await query<{ n: number }>(
    t.runtime.services.db,
    sql`select count(*)::int as n from reports where title = ${title}`,
  );
  return rows[0]!.n;
}

const body = (title: string, extra: Record<string, unknown> = {}) => ({
  classification: 'pengaduan',
  title,
  body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang.`,
  regionCode: '64.72.02',
  reporter: { name: 'Siti Aminah', phone: '081234567890' },
  ...extra,
});

function post(json: unknown, headers: Record<string, string> = {}, token?: string) {
  return t.api('/api/v1/reports', { json, headers, ...(token ? { token } : {}) });
}

describe('POST /api/v1/reports with an Idempotency-Key', () => {
  it('the same POST twice files one report and answers the same tracking number and access key', async () => {
    const title = 'Jembatan kayu di desa Sungai Lais lapuk';
    const headers = { 'idempotency-key': 'retry-test-1' };
    const first = await post(body(title), headers);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(body(title), headers);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.trackingId).toBe(first.body.trackingId);
    expect(again.body.accessKey).toBe(first.body.accessKey);
    expect(again.body.url).toBe(first.body.url);
    expect(await reportsTitled(title)).toBe(1);
    // The access key answered again is the report's: it opens the private view.
    const own = await t.api(`/api/v1/reports/${again.body.trackingId}`, { accessKey: again.body.accessKey });
    expect(own.status).toBe(200);
  });

  it('the same POST sent five times at once files one report; every answer names it', async () => {
    const title = 'Pipa PDAM bocor di jalan Ahmad Yani';
    const token = await t.login(DEMO.citizen);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post(body(title), { 'idempotency-key': 'concurrent-1' }, token)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.trackingId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.accessKey)).size).toBe(1);
    expect(await reportsTitled(title)).toBe(1);
  });

  it('the same key with another body is a 409 in both languages; nothing more is filed', async () => {
    const title = 'Lampu lalu lintas mati di simpang empat';
    const token = await t.login(DEMO.citizen);
    const headers = { 'idempotency-key': 'changed-body-1' };
    expect((await post(body(title), headers, token)).status).toBe(201);
    const other = await post(body(`${title} sejak kemarin`), headers, token);
    expect(other.status, JSON.stringify(other.body)).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(other.body.error.translations.id.message).toMatch(/Idempotency-Key/);
    expect(other.body.error.translations.en.message).toMatch(
      /already used for a report with different content/,
    );
    expect(await reportsTitled(`${title} sejak kemarin`)).toBe(0);
    expect(await reportsTitled(title)).toBe(1);
  });

  it("two callers' equal keys never meet: each files its own report with its own access key", async () => {
    const title = 'Sampah menumpuk di pinggir sungai Karang Mumus';
    const headers = { 'idempotency-key': 'shared-key' };
    const citizen = await post(body(title), headers, await t.login(DEMO.citizen));
    const national = await post(body(title), headers, await t.login(DEMO.national));
    // Two agency API tokens of the same agency are two callers too.
    const puprAdmin = await t.login(DEMO.puprAdmin);
    const mint = async (name: string) =>
      (await t.api('/api/v1/integrations/tokens', { json: { name }, token: puprAdmin })).body.token as string;
    const tokenA = await post(body(title), headers, await mint('SIMPUPR A'));
    const tokenB = await post(body(title), headers, await mint('SIMPUPR B'));
    // Two browsers without an account, each with its own device cookie.
    const deviceA = await post(body(title), { ...headers, cookie: 'aduan_device=AAAAAAAAAAAAAAAAAAAA' });
    const deviceB = await post(body(title), { ...headers, cookie: 'aduan_device=BBBBBBBBBBBBBBBBBBBB' });
    const all = [citizen, national, tokenA, tokenB, deviceA, deviceB];
    expect(all.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(all.some((a) => a.headers.get('idempotent-replayed'))).toBe(false);
    expect(new Set(all.map((a) => a.body.trackingId)).size).toBe(6);
    expect(new Set(all.map((a) => a.body.accessKey)).size).toBe(6);
    expect(await reportsTitled(title)).toBe(6);
    // Each caller's retry still finds its own report.
    const again = await post(body(title), { ...headers, cookie: 'aduan_device=BBBBBBBBBBBBBBBBBBBB' });
    expect(again.body.trackingId).toBe(deviceB.body.trackingId);
    expect(again.body.accessKey).toBe(deviceB.body.accessKey);
  });

  it('a caller that cannot be told apart (no account, no cookie) gets a new report for another body, not a 409', async () => {
    const title = 'Trotoar rusak depan sekolah dasar';
    const headers = { 'idempotency-key': 'public-key-1' };
    const a = await post(body(title), headers);
    const b = await post(body(`${title} negeri 5`), headers);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.trackingId).not.toBe(a.body.trackingId);
  });

  it('without a key, the same POST twice files two reports (unchanged)', async () => {
    const title = 'Genangan air di jalan MT Haryono';
    const a = await post(body(title));
    const b = await post(body(title));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.trackingId).not.toBe(a.body.trackingId);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(await reportsTitled(title)).toBe(2);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['not ASCII', 'kunci-\u00e9'],
  ])(
    'a malformed key (%s) is a 422 naming the header in both languages; nothing is filed',
    async (_, key) => {
      const title = `Kunci rusak ${key.length} di jalan Juanda`;
      const r = await post(body(title), { 'idempotency-key': key });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error.fields['Idempotency-Key']).toBeTruthy();
      expect(r.body.error.translations.id.fields['Idempotency-Key']).toMatch(/ASCII/);
      expect(r.body.error.translations.en.fields['Idempotency-Key']).toMatch(/printable ASCII/);
      expect(await reportsTitled(title)).toBe(0);
    },
  );

  it('a key of 255 printable characters (spaces and punctuation too) is accepted', async () => {
    const key = `${'a b~!'.repeat(51)}`;
    expect(key.length).toBe(255);
    const r = await post(body('Kunci panjang diterima di jalan Pahlawan'), { 'idempotency-key': key });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });

  it('the stored key row holds no personal data, no key and no access key in clear', async () => {
    const title = 'Pohon tumbang menutup jalan Gatot Subroto';
    const key = 'privacy-check-key-123';
    const token = await t.login(DEMO.citizen);
    const r = await post(body(title), { 'idempotency-key': key }, token);
    expect(r.status).toBe(201);
    const rows = await query<Record<string, unknown>>(
      t.runtime.services.db,
      sql`select k.*, u.id as user_id from report_idempotency_keys k
          join reports r on r.id = k.report_id
          left join users u on u.id = r.reporter_user_id
          where r.tracking_id = ${r.body.trackingId}`,
    );
    expect(rows).toHaveLength(1);
    const { user_id: userId, ...row } = rows[0]!;
    expect(userId).toBeTruthy();
    const stored = JSON.stringify(row);
    for (const secret of [key, r.body.accessKey, 'Siti Aminah', '081234567890', title, userId as string])
      expect(stored).not.toContain(secret);
  });

  it('a key expires after 24 hours: the same POST then files a new report, and the sweeper purges old keys', async () => {
    const title = 'Papan nama jalan hilang di Sempaja';
    const headers = { 'idempotency-key': 'expiring-key' };
    const first = await post(body(title), headers);
    t.setNow(new Date(START.getTime() + 23 * 3600_000));
    const within = await post(body(title), headers);
    expect(within.body.trackingId).toBe(first.body.trackingId);
    t.setNow(new Date(START.getTime() + 25 * 3600_000));
    const after = await post(body(title), headers);
    expect(after.status).toBe(201);
    expect(after.body.trackingId).not.toBe(first.body.trackingId);
    expect(await reportsTitled(title)).toBe(2);

    const count = async () =>
      (
        await query<{ n: number }>(
          t.runtime.services.db,
          sql`select count(*)::int as n from report_idempotency_keys`,
        )
      )[0]!.n;
    const before = await count();
    const purged = await purgeExpiredIdempotencyKeys(
      t.runtime.services,
      new Date(START.getTime() + 49 * 3600_000),
    );
    expect(purged).toBeGreaterThan(0);
    // The key re-used at +25 h is a day younger and stays.
    expect(await count()).toBe(before - purged);
    expect(await count()).toBeGreaterThan(0);
    t.setNow(START);
  });
});
