/**
 * A failing query must not write its bound values to the log (docs/security.md "Logs"): Drizzle's error message
 * ends with `params: …`, and PostgreSQL's message and `detail` quote values. Real HTTP against the real app, with
 * test-only routes on this test's own app instance running failing parameterised queries.
 */
import { PassThrough } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { buildApp } from './app.ts';
import { isQueryError, loggableErrorText } from '../integrations/error-log.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { TEST_SECRET_KEY } from '../../test/helpers/app.ts';

const NIK = '6472030303900007';
const TITLE = 'Laporan Sekar Ayu di Jalan Flamboyan';
const EMAIL = 'sekar.ayu@contoh.aduan.id';

let runtime: Runtime;
let app: FastifyInstance;
let url: string;
let logs = '';
const dataDir = mkdtempSync(join(tmpdir(), 'aduan-errlog-'));

/** The log lines written since `from`, parsed. */
const linesSince = (from: number) =>
  logs
    .slice(from)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => (logs += d.toString()));
  runtime = await openRuntime(loadConfig({ ADUAN_DATA_DIR: dataDir, ADUAN_SECRET_KEY: TEST_SECRET_KEY }), {
    database: await createTestDatabase(),
    skipSetup: true,
  });
  app = await buildApp({ services: runtime.services, logLevel: 'trace', logStream: stream });
  const db = runtime.services.db;
  // A search whose query fails on the value typed (integer overflow quotes the value in PostgreSQL's message).
  app.get('/test-only/search', async (req) => {
    const q = (req.query as { q: string }).q;
    return db.execute(sql`select ${q}::int as n`);
  });
  // A failing write: the not-null violation's `detail` lists the whole row.
  app.post('/test-only/write', async () => {
    await db.execute(
      sql`insert into outbox (kind, channel, recipient, payload, idempotency_key, status)
          values (${TITLE}, 'email', ${EMAIL}, ${JSON.stringify({ nik: NIK })}::jsonb, ${`k:${NIK}`}, null)`,
    );
    return { ok: true };
  });
  // A route that logs a caught error itself, as pages and Open311 do (`req.log.warn({ err }, …)`).
  app.get('/test-only/warn', async (req) => {
    try {
      await db.execute(sql`select ${NIK}::int as n`);
    } catch (err) {
      req.log.warn({ err }, 'lookup unavailable');
    }
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('error logs', () => {
  it('a failing search logs the error class, SQLSTATE and SQL text, never the NIK typed', async () => {
    const from = logs.length;
    const res = await fetch(`${url}/test-only/search?q=${NIK}`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('INTERNAL');
    const line = linesSince(from).find((l) => l.msg === 'unhandled error');
    expect(line, logs.slice(from)).toBeTruthy();
    expect(line!.err.type).toBe('DrizzleQueryError');
    expect(line!.err.query).toMatch(/select \$1::int as n/);
    expect(line!.err.cause.code).toBe('22003');
    expect(line!.err.cause.message).toMatch(/out of range for type integer/);
    expect(line!.err.stack).toMatch(/^\s+at /);
    expect(logs.slice(from)).not.toContain(NIK);
    expect(JSON.stringify(line)).not.toMatch(/params/);
  });

  it('a failing write logs no bound value and no PostgreSQL detail', async () => {
    const from = logs.length;
    const res = await fetch(`${url}/test-only/write`, { method: 'POST' });
    expect(res.status).toBe(500);
    const line = linesSince(from).find((l) => l.msg === 'unhandled error');
    expect(line!.err.cause.code).toBe('23502');
    expect(line!.err.query).toMatch(/insert into outbox/);
    const written = logs.slice(from);
    for (const value of [NIK, TITLE, EMAIL, 'Failing row']) expect(written).not.toContain(value);
  });

  it('an error a route logs itself goes through the same serialiser', async () => {
    const from = logs.length;
    const res = await fetch(`${url}/test-only/warn`);
    expect(res.status).toBe(200);
    const line = linesSince(from).find((l) => l.msg === 'lookup unavailable');
    expect(line!.err.cause.code).toBe('22003');
    expect(logs.slice(from)).not.toContain(NIK);
  });

  it('the worker’s one-line form carries the code and SQL, not the values', async () => {
    const err = await runtime.services.db.execute(sql`select ${NIK}::int as n`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((err as Error).message)).toContain(NIK); // what used to be logged
    const text = loggableErrorText(err);
    expect(text).toContain('[22003]');
    expect(text).toContain('select $1::int as n');
    expect(text).not.toContain(NIK);
    // The worker reduces only such errors; a transport's refusal keeps its (masked) message.
    expect(isQueryError(err)).toBe(true);
    expect(isQueryError(new Error('550 mailbox unavailable'))).toBe(false);
  });
});
