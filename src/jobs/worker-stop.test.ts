/**
 * Stopping the worker waits for the scheduled work it started: a running `runScheduled()` (sweep,
 * digests, statistics, snapshot) and the background site audit, so nothing keeps using the database
 * after `stop()` resolved.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { query } from '../db/client.ts';
import { AUDIT_AVAILABLE, AUDIT_CHROMIUM_PATH } from '../integrations/site-audit.ts';
import { startWorker } from './worker.ts';

let t: TestApp;
let server: Server;
let base: string;
/** Requests to /lambat wait here until the test releases them. */
const held: Array<() => void> = [];
let arrived: () => void = () => undefined;

beforeAll(async () => {
  // The audited page is on 127.0.0.1: allowlisted for the outbound guard.
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), outboundAllowHosts: ['127.0.0.1'] }); // 10:00 WITA
  server = createServer((req, res) => {
    const page = () =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><html lang="id"><title>Dinas</title><main><h1>Dinas</h1></main></html>');
    if ((req.url ?? '').startsWith('/lambat')) {
      held.push(page);
      arrived();
      return;
    }
    page();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const release of held.splice(0)) release();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

describe('worker stop', () => {
  it('waits for a running runScheduled() (sweep, digests, statistics, open-data snapshot)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aduan-worker-stop-'));
    try {
      const worker = await startWorker(t.runtime.services, {
        transports: {},
        autoStart: false,
        openDataDir: dir,
      });
      let settled = false;
      const run = worker.runScheduled({ full: true }).finally(() => (settled = true));
      await worker.stop();
      expect(settled).toBe(true);
      await run;
      // After stop, scheduled work is not started again.
      await worker.runScheduled();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  if (!AUDIT_AVAILABLE) console.warn(`SKIP background site audit on stop: ${AUDIT_CHROMIUM_PATH} not found`);
  it.skipIf(!AUDIT_AVAILABLE)(
    'waits for the background site audit it started',
    async () => {
      const created = await t.api('/api/v1/evaluation/periods', {
        token: await t.login(DEMO.national),
        json: {
          id: 'stop-2026',
          name: 'Penghargaan uji henti',
          from: '2026-01-01',
          to: '2026-12-31',
          groups: [
            {
              id: 'stop-2026-g',
              name: 'Situs web perangkat daerah',
              scope: 'agency',
              award: 'website',
              participants: [{ agencyId: 'pupr-kaltim', websiteUrl: `${base}/lambat` }],
            },
          ],
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const svc = t.runtime.services;
      const worker = await startWorker(svc, { transports: {}, autoStart: false });
      const reached = new Promise<void>((r) => (arrived = r));
      // runScheduled returns while the audit runs in the background; the audited page does not answer yet.
      await worker.runScheduled();
      await reached;
      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      // Give a stop() that does not wait every chance to resolve before the page answers.
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 10));
      expect(stopped).toBe(false);
      for (const release of held.splice(0)) release();
      await stopping;
      // The audit finished and was stored before stop() resolved.
      const rows = await query<{ n: number }>(
        svc.db,
        sql`select count(*)::int as n from evaluation_site_audits where period_id = 'stop-2026'`,
      );
      expect(rows[0]?.n).toBe(1);
    },
    120_000,
  );
});
