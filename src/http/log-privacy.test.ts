/**
 * Logs are a privacy surface: with the most verbose level, serving submissions, reads with access keys, bearer
 * tokens, errors, page views and password resets must never write a reporter's identity, an access key, a token (a
 * reset link's included) or a password to the log.
 */
import { PassThrough } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { buildApp } from './app.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { TEST_SECRET_KEY, DEMO } from '../../test/helpers/app.ts';
import { resolveResetRequests } from '../../test/helpers/receivers.ts';
import type { FastifyInstance } from 'fastify';

const SECRET = {
  name: 'Ratna Tersembunyi',
  email: 'ratna.rahasia@contoh.aduan.id',
  phone: '081355566677',
  nik: '6471015505880002',
};
const NEW_PASSWORD = 'sandi-pemulihan-rahasia-77';
let runtime: Runtime;
let app: FastifyInstance;
let url: string;
let logs = '';
const dataDir = mkdtempSync(join(tmpdir(), 'aduan-logs-'));

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => (logs += d.toString()));
  runtime = await openRuntime(loadConfig({ ADUAN_DATA_DIR: dataDir, ADUAN_SECRET_KEY: TEST_SECRET_KEY }), {
    database: await createTestDatabase(),
    skipSetup: true,
  });
  app = await buildApp({
    services: runtime.services,
    logLevel: 'trace',
    logStream: stream,
    limits: { submitPerMinute: 1000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('logs', () => {
  it('never contain reporter identity, access keys, tokens or passwords', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const r = await post('/api/v1/reports', {
      classification: 'pengaduan',
      title: 'Pungutan liar di kantor kelurahan',
      body: 'Petugas meminta uang tambahan untuk pengurusan surat keterangan di kantor kelurahan.',
      regionCode: '64.72.01',
      anonymous: true,
      reporter: SECRET,
    });
    const { trackingId, accessKey } = (await r.json()) as { trackingId: string; accessKey: string };
    await fetch(`${url}/api/v1/reports/${trackingId}`, { headers: { 'x-access-key': accessKey } });
    await fetch(`${url}/lacak/${trackingId}?k=${encodeURIComponent(accessKey)}`);
    await fetch(`${url}/api/v1/reports/${trackingId}?k=${encodeURIComponent(accessKey)}`);
    await post('/api/v1/reports', { reporter: { ...SECRET, email: 'bukan-email' } });
    const login = await post('/api/v1/auth/login', { email: DEMO.coordinator, password: 'demo-aduan-2026' });
    const { token } = (await login.json()) as { token: string };
    await fetch(`${url}/api/v1/reports/${trackingId}`, { headers: { authorization: `Bearer ${token}` } });
    await post('/api/v1/auth/login', { email: DEMO.coordinator, password: 'wrong-password-123' });
    // Personal data in query strings: a staff search by phone or NIK, Open311 reporter fields on a POST URL.
    await fetch(`${url}/api/v1/reports?q=${SECRET.phone}&pageSize=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await fetch(`${url}/laporan?q=${SECRET.nik}`);
    const open311 = new URLSearchParams({
      service_code: '1',
      description: 'Jalan rusak parah di gang sempit dekat sekolah dasar negeri.',
      first_name: SECRET.name,
      email: SECRET.email,
      phone: SECRET.phone,
    });
    await fetch(`${url}/open311/v2/requests.json?${open311}`, { method: 'POST' });
    // A password reset: the emailed link's token (page and API) and the new password.
    await post('/api/v1/auth/password-reset', { email: DEMO.assessor });
    await fetch(`${url}/lupa-sandi`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: DEMO.assessor }).toString(),
    });
    // The worker issues the link (the request only queued the sealed address).
    await resolveResetRequests(runtime.services);
    const [mail] = (
      (await runtime.services.db.execute(
        sql`select payload from outbox where kind = 'account.password_reset' order by id desc limit 1`,
      )) as unknown as { rows: Array<{ payload: { textEnc: string } }> }
    ).rows;
    const resetToken = /atur-ulang-sandi\?token=([A-Za-z0-9_-]+)/.exec(
      runtime.services.sealer.open<string>(mail!.payload.textEnc),
    )![1]!;
    await fetch(`${url}/atur-ulang-sandi?token=${resetToken}`);
    await fetch(`${url}/atur-ulang-sandi`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: resetToken, password: 'x', passwordConfirm: 'x' }).toString(),
    });
    await post('/api/v1/auth/password-reset/confirm', { token: resetToken, password: NEW_PASSWORD });
    await new Promise((res) => setTimeout(res, 200));
    // The harmless parameters stay readable.
    expect(logs).toContain('pageSize=5');
    expect(logs).toContain('q=[redacted]');

    expect(logs.length).toBeGreaterThan(500);
    expect(logs).toContain(trackingId);
    for (const secret of [
      SECRET.name,
      SECRET.email,
      SECRET.phone,
      SECRET.nik,
      accessKey,
      token,
      'demo-aduan-2026',
      'wrong-password-123',
      resetToken,
      NEW_PASSWORD,
    ]) {
      expect(logs.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
    }
  });
});
