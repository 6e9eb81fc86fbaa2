/**
 * /metrics is not public (metrics-access.ts): with ADUAN_METRICS_TOKEN (config `metricsToken`) a bearer token is
 * required (401 otherwise); without it only requests from this machine are answered (403 from another address, or
 * when a proxy header says the request was forwarded). Real HTTP; the "other address" is this machine's own non-loopback interface.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { buildApp } from './app.ts';
import { isLoopback, metricsAccess } from './metrics-access.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { TEST_SECRET_KEY } from '../../test/helpers/app.ts';

const TOKEN = 'metrics-test-token-5f1c2a9e';
const dataDir = mkdtempSync(join(tmpdir(), 'aduan-metrics-'));
let runtime: Runtime;
let open: FastifyInstance; // no token: this machine only
let guarded: FastifyInstance; // ADUAN_METRICS_TOKEN set
let openPort: number;
let guardedUrl: string;
/** A non-loopback IPv4 address of this machine, if it has one. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

const build = (token: string | undefined) =>
  buildApp({ services: runtime.services, logLevel: 'silent', metricsToken: token });

beforeAll(async () => {
  runtime = await openRuntime(loadConfig({ ADUAN_DATA_DIR: dataDir, ADUAN_SECRET_KEY: TEST_SECRET_KEY }), {
    database: await createTestDatabase(),
    skipSetup: true,
  });
  open = await build(undefined);
  await open.listen({ port: 0, host: '0.0.0.0' });
  openPort = (open.server.address() as { port: number }).port;
  guarded = await build(TOKEN);
  await guarded.listen({ port: 0, host: '127.0.0.1' });
  guardedUrl = `http://127.0.0.1:${(guarded.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('/metrics without ADUAN_METRICS_TOKEN', () => {
  it('answers a request from loopback', async () => {
    const res = await fetch(`http://127.0.0.1:${openPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('aduan_outbox_queue_depth');
    expect(text).toContain('aduan_overdue_reports');
  });

  it('refuses a request a proxy forwarded (403), whatever address it claims', async () => {
    for (const headers of <Array<Record<string, string>>>[
      { 'x-forwarded-for': '127.0.0.1' },
      { forwarded: 'for=127.0.0.1' },
      { 'x-real-ip': '127.0.0.1' },
    ]) {
      const res = await fetch(`http://127.0.0.1:${openPort}/metrics`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('FORBIDDEN');
    }
  });

  it.runIf(external)('refuses a request from another address (403)', async () => {
    const res = await fetch(`http://${external}:${openPort}/metrics`);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('aduan_overdue_reports');
    // The other endpoints stay open.
    expect((await fetch(`http://${external}:${openPort}/healthz`)).status).toBe(200);
  });
});

describe('/metrics with ADUAN_METRICS_TOKEN', () => {
  it('requires the bearer token, even from loopback (401 otherwise)', async () => {
    const none = await fetch(`${guardedUrl}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await none.text()).not.toContain('aduan_');
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, TOKEN]) {
      expect(
        (await fetch(`${guardedUrl}/metrics`, { headers: { authorization } })).status,
        authorization,
      ).toBe(401);
    }
    const ok = await fetch(`${guardedUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('aduan_outbox_queue_depth');
    // The token works through a proxy too.
    const proxied = await fetch(`${guardedUrl}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.9' },
    });
    expect(proxied.status).toBe(200);
  });
});

describe('metrics-access', () => {
  it('reads the token and recognises loopback addresses', () => {
    // The token is a config setting (src/config.ts), trimmed; blank is none.
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ ADUAN_METRICS_TOKEN: '  ' }).metricsToken).toBeUndefined();
    expect(loadConfig({ ADUAN_METRICS_TOKEN: ` ${TOKEN} ` }).metricsToken).toBe(TOKEN);
    for (const a of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(a), a).toBe(true);
    for (const a of ['192.0.2.2', '::ffff:10.0.0.1', 'fd00::2', '', undefined, '1127.0.0.1'])
      expect(isLoopback(a), String(a)).toBe(false);
    expect(metricsAccess({ headers: {}, socket: { remoteAddress: '10.1.2.3' } }, undefined)).toBe(403);
  });
});
