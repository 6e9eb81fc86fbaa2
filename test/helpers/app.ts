/**
 * Starts the real app on a random local port over a fresh test database, with a controllable clock.
 * Tests talk to it with real HTTP (fetch).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { buildApp } from '../../src/http/app.ts';
import { invalidateCalendarCache } from '../../src/db/repositories/calendar.ts';
import { createTestDatabase, openSameDatabase } from './db.ts';
import { DEMO_PASSWORD } from '../global-setup.ts';

export const TEST_SECRET_KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** A running test app. */
export interface TestApp {
  url: string;
  app: FastifyInstance;
  runtime: Runtime;
  clock: { now: Date };
  /** Moves the clock (sessions older than 12 h expire, so cached sign-ins are dropped). */
  setNow(at: Date): void;
  /** Signs in a demo account and returns its bearer token. */
  login(email: string, password?: string): Promise<string>;
  /** fetch against the app with JSON helpers. */
  api(path: string, init?: ApiInit): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface ApiInit {
  method?: string;
  token?: string;
  accessKey?: string;
  json?: unknown;
  headers?: Record<string, string>;
  body?: BodyInit;
}

/** Starts the app. `now` fixes the clock (advance it with `clock.now = …`). */
export async function startTestApp(
  opts: {
    now?: Date;
    limits?: { submitPerMinute?: number; loginPerMinute?: number; supportPerHour?: number };
    /** Hosts exempt from the outbound SSRF guard (tests delivering to local receivers: ['127.0.0.1']). */
    outboundAllowHosts?: string[];
    /** Proxies trusted for X-Forwarded-For, as ADUAN_TRUST_PROXY gives them (default: none, as in production). */
    trustProxy?: boolean | string[];
    /** Serve from the database of this app through a pool of its own, as a second process would (PostgreSQL only). */
    sameDatabaseAs?: TestApp;
    /** ADUAN_TIME_ZONE: the instance's home zone (default WITA): statistics' "today", the open-data snapshot's date. */
    timeZone?: 'WIB' | 'WITA' | 'WIT';
    /** The most rows one queue export holds (default 10,000), so that a cut export needs only a few reports. */
    exportCap?: number;
  } = {},
): Promise<TestApp> {
  invalidateCalendarCache();
  const dataDir = mkdtempSync(join(tmpdir(), 'aduan-test-'));
  const clock = { now: opts.now ?? new Date() };
  const database = opts.sameDatabaseAs
    ? await openSameDatabase(opts.sameDatabaseAs.runtime.database)
    : await createTestDatabase();
  const config = loadConfig({
    ADUAN_DATA_DIR: dataDir,
    ADUAN_SECRET_KEY: TEST_SECRET_KEY,
    LOG_LEVEL: 'silent',
    ...(opts.timeZone ? { ADUAN_TIME_ZONE: opts.timeZone } : {}),
    ...(opts.outboundAllowHosts ? { ADUAN_OUTBOUND_ALLOW_HOSTS: opts.outboundAllowHosts.join(',') } : {}),
  });
  const runtime = await openRuntime(config, {
    database,
    skipSetup: true,
    now: () => (opts.now ? clock.now : new Date()),
  });
  const app = await buildApp({
    services: runtime.services,
    logLevel: 'silent',
    trustProxy: opts.trustProxy ?? false,
    exportCap: opts.exportCap,
    limits: {
      submitPerMinute: opts.limits?.submitPerMinute ?? 1000,
      loginPerMinute: opts.limits?.loginPerMinute ?? 1000,
      supportPerHour: opts.limits?.supportPerHour ?? 1000,
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  runtime.services.publicUrl = url;

  const api: TestApp['api'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.accessKey) headers['x-access-key'] = init.accessKey;
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(url + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const tokens = new Map<string, string>();
  return {
    url,
    app,
    runtime,
    clock,
    api,
    setNow(at) {
      clock.now = at;
      tokens.clear();
    },
    async login(email, password = DEMO_PASSWORD) {
      const cached = tokens.get(email);
      if (cached && password === DEMO_PASSWORD) return cached;
      const r = await api('/api/v1/auth/login', { json: { email, password } });
      if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status} ${JSON.stringify(r.body)}`);
      tokens.set(email, r.body.token);
      return r.body.token as string;
    },
    async close() {
      await app.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Demo accounts by role (docs/api-v1.md). */
export const DEMO = {
  national: 'nasional@demo.aduan.id',
  coordinator: 'diskominfo.kaltim@demo.aduan.id',
  puprAdmin: 'pupr.kaltim@demo.aduan.id',
  puprOfficer: 'petugas.pupr.kaltim@demo.aduan.id',
  dinkesAdmin: 'dinkes.kaltim@demo.aduan.id',
  balikpapanCoordinator: 'diskominfo.balikpapan@demo.aduan.id',
  ombudsman: 'ombudsman@demo.aduan.id',
  assessor: 'penilai@demo.aduan.id',
  citizen: 'warga@demo.aduan.id',
} as const;

/** The seeded category most tests file reports under. */
const ROADS_CATEGORY = 'PEKERJAAN UMUM DAN PENATAAN RUANG';

/**
 * The ids of categories by exact name, in the order given, from GET /api/v1/categories; throws naming the
 * category when one is missing (so a test cannot go on with `undefined`).
 */
export async function categoryIds<const N extends readonly string[]>(
  t: Pick<TestApp, 'api'>,
  ...names: N
): Promise<{ [K in keyof N]: number }> {
  const r = await t.api('/api/v1/categories');
  if (r.status !== 200)
    throw new Error(`GET /api/v1/categories failed: ${r.status} ${JSON.stringify(r.body)}`);
  const items = r.body.items as Array<{ id: number; name: string }>;
  return names.map((name) => {
    const found = items.find((c) => c.name === name);
    if (!found) throw new Error(`category "${name}" not found in GET /api/v1/categories`);
    return found.id;
  }) as { [K in keyof N]: number };
}

/** The id of one category by exact name (default: the roads/public-works category); throws when missing. */
export async function categoryIdByName(
  t: Pick<TestApp, 'api'>,
  name: string = ROADS_CATEGORY,
): Promise<number> {
  const [id] = await categoryIds(t, name);
  return id;
}

/**
 * Files a report through the public API as a citizen (expects 201) and returns its tracking number. The body
 * repeats the title (as the routing corpus does); `json` overrides any field (body, reporter, anonymous…).
 */
export async function submitReport(
  t: TestApp,
  title: string,
  json: Record<string, unknown> = {},
): Promise<string> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang.`,
      regionCode: '64.72.02',
      ...json,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.trackingId as string;
}

/** Verifies a report to an agency and category with a verifier's token (expects 200); returns the body. */
export async function verifyReport(
  t: TestApp,
  token: string,
  id: string,
  agencyId: string,
  categoryId: number,
): Promise<any> {
  return (await actOk(t, id, 'verify', { agencyId, categoryId }, { token })).body;
}

/** Runs a report action over the JSON API and expects 200; returns the response. */
export async function actOk(
  t: TestApp,
  id: string,
  action: string,
  json: unknown,
  auth: { token?: string; accessKey?: string },
): Promise<{ status: number; body: any; headers: Headers }> {
  const r = await t.api(`/api/v1/reports/${id}/actions/${action}`, { json, ...auth });
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
  return r;
}
