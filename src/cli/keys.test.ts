/**
 * Key rotation end to end on a real database: reports and outbox messages sealed with the old key are
 * resealed with the new one, after which the old key can be dropped and every value still opens (including
 * through the API, where the coordinator sees the reporter). Also the data-directory rotation and the CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { query } from '../db/client.ts';
import {
  createSealer,
  keyId,
  loadOrCreateKey,
  loadPreviousKeys,
  parseKey,
  rotateKeyFile,
} from '../integrations/crypto.ts';
import { resealSecrets, sealedKeyCounts } from '../commands/reseal-secrets.ts';
import { loadConfig } from '../config.ts';
import { keysCli } from './keys.ts';
import { mintReplyToken } from '../commands/reply-token.ts';
import { supporterUnsubscribeUrl } from '../commands/supporter-unsubscribe.ts';
import { DEMO, startTestApp, TEST_SECRET_KEY, type TestApp } from '../../test/helpers/app.ts';

let t: TestApp;
const OLD = parseKey(TEST_SECRET_KEY);
const NEW = Buffer.alloc(32, 42);
const who = { name: 'Rini Rotasi', email: 'rini.rotasi@contoh.aduan.id', phone: '081355500011' };
let trackingId = '';
let replyTokenBefore = '';
let unsubscribeBefore = '';
const USER = '00000000-0000-4000-8000-000000000001';

async function reportIdOf(id: string): Promise<string> {
  const [row] = await query<{ id: string }>(
    t.runtime.services.db,
    sql`select id from reports where tracking_id = ${id}`,
  );
  return row!.id;
}

beforeAll(async () => {
  t = await startTestApp();
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Saluran air tersumbat',
      body: 'Saluran air di depan sekolah tersumbat sampah sehingga air meluap ke jalan setiap hujan turun.',
      regionCode: '64.72.01',
      reporter: who,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  trackingId = r.body.trackingId;
  // The instance's own keys (instance-key.ts), made under the old key: a report's reply token and an unsubscribe link.
  replyTokenBefore = await mintReplyToken(t.runtime.services, await reportIdOf(trackingId));
  unsubscribeBefore = await supporterUnsubscribeUrl(
    t.runtime.services,
    await reportIdOf(trackingId),
    USER,
    'id',
  );
  // An undelivered message with a sealed field, as the SMS reply of receive-sms.ts writes it.
  await query(
    t.runtime.services.db,
    sql`insert into outbox (kind, channel, payload, idempotency_key)
        values ('sms', 'sms', ${JSON.stringify({ text: 'x', recipientEnc: t.runtime.services.sealer.seal(who.phone) })}::jsonb,
                'test-key-rotation')`,
  );
});

afterAll(async () => {
  await t.close();
});

async function sealedValues(): Promise<string[]> {
  const rows = await query<{ v: string }>(
    t.runtime.services.db,
    sql`select reporter_enc as v from reports where reporter_enc is not null
        union all select payload->>'recipientEnc' from outbox where idempotency_key = 'test-key-rotation'`,
  );
  return rows.map((r) => r.v);
}

describe('key rotation: aduan keys reseal', () => {
  it('reseals every value with the new key, so the old key can be removed', async () => {
    const before = await sealedValues();
    expect(before.length).toBeGreaterThan(1);
    const newOnly = createSealer(NEW);
    expect(() => newOnly.open(before[0]!)).toThrow();

    const svc = t.runtime.services;
    svc.sealer = createSealer(NEW, [OLD]);
    const counts = await sealedKeyCounts(svc);
    expect(counts['reports.reporter_enc']![keyId(OLD)]).toBeGreaterThan(0);

    const r = await resealSecrets(svc, { page: 2 });
    expect(r.resealed['reports.reporter_enc']).toBe(counts['reports.reporter_enc']![keyId(OLD)]);
    // Ours plus the reporter's own pending notifications (their address is sealed too).
    expect(r.resealed['outbox.payload']).toBeGreaterThanOrEqual(1);
    expect(Object.values(r.failed).every((n) => n === 0)).toBe(true);

    const after = await sealedValues();
    for (const v of after) expect(v.startsWith(`v2.${keyId(NEW)}.`)).toBe(true);
    expect(after.map((v) => JSON.stringify(newOnly.open(v)))).toEqual(
      before.map((v) => JSON.stringify(createSealer(OLD).open(v))),
    );
    // A second run finds nothing left to do.
    const again = await resealSecrets(svc);
    expect(Object.values(again.resealed).every((n) => n === 0)).toBe(true);
    const countsAfter = await sealedKeyCounts(svc);
    expect(Object.keys(countsAfter['reports.reporter_enc']!)).toEqual([keyId(NEW)]);
    expect(counts['settings.value']).toEqual({ [keyId(OLD)]: 2 });
    expect(r.resealed['settings.value']).toBe(2);
    expect(countsAfter['settings.value']).toEqual({ [keyId(NEW)]: 2 });

    // With only the new key, the coordinator still sees the reporter through the API.
    svc.sealer = newOnly;
    const token = await t.login(DEMO.coordinator);
    const seen = await t.api(`/api/v1/reports/${trackingId}`, { token });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).toContain(who.name);
    // The instance's keys open under the new key alone and are the same keys: tokens already sent still hold.
    const reportId = await reportIdOf(trackingId);
    expect(await mintReplyToken(svc, reportId)).toBe(replyTokenBefore);
    expect(await supporterUnsubscribeUrl(svc, reportId, USER, 'id')).toBe(unsubscribeBefore);
  });
});

describe('key rotation: the data-directory key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aduan-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rotate writes a new key and keeps the old one as a previous key, both mode 0600', () => {
    const first = loadOrCreateKey(undefined, dir);
    const r = rotateKeyFile(dir);
    expect(r.previousId).toBe(keyId(first));
    const current = loadOrCreateKey(undefined, dir);
    expect(keyId(current)).toBe(r.currentId);
    expect(r.currentId).not.toBe(r.previousId);
    expect(loadPreviousKeys(undefined, dir).map(keyId)).toEqual([keyId(first)]);
    rotateKeyFile(dir);
    expect(loadPreviousKeys(undefined, dir).map(keyId)).toEqual([keyId(first), keyId(current)]);
    for (const f of ['secret.key', 'secret.previous'])
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'secret.previous'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('previous keys also come from ADUAN_PREVIOUS_SECRET_KEYS, and rotate refuses an environment key', async () => {
    const env = `${'11'.repeat(32)}, ${Buffer.alloc(32, 3).toString('base64')}`;
    expect(loadPreviousKeys(env, mkdtempSync(join(tmpdir(), 'aduan-keys-')))).toHaveLength(2);
    const config = loadConfig({
      ADUAN_DATA_DIR: dir,
      ADUAN_SECRET_KEY: TEST_SECRET_KEY,
      LOG_LEVEL: 'silent',
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const code = await keysCli(config, ['rotate'], () => Promise.reject(new Error('not opened')));
      expect(code).toBe(1);
      expect(String(errors.mock.calls[0]?.[0])).toContain('ADUAN_PREVIOUS_SECRET_KEYS');
      expect(await keysCli(config, ['nonsense'], () => Promise.reject(new Error('not opened')))).toBe(2);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('the aduan command (package.json bin)', () => {
  it('runs the CLI: aduan keys generate prints a new 32-byte key', () => {
    const bin = new URL('../../bin/aduan.js', import.meta.url).pathname;
    const out = execFileSync(process.execPath, [bin, 'keys', 'generate'], { encoding: 'utf8' }).trim();
    expect(out).toMatch(/^[0-9a-f]{64}$/);
    expect(parseKey(out)).toHaveLength(32);
  });
});
