/**
 * Keys that do not open the stored personal data, as an operator meets them: a process started with a wrong
 * ADUAN_SECRET_KEY stops at once with one line naming the key ids in the database (instead of serving 500s and
 * sealing new data with the wrong key), and `aduan keys status` marks the key ids no configured key opens and exits
 * 1. The CLI runs in child processes on PGlite in a temporary data directory (the demo's reporters are sealed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, describe, expect, it } from 'vitest';
import { createSealer, keyId, parseKey } from '../integrations/crypto.ts';
import { runAduan } from '../../test/helpers/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aduan-keys-status-'));
const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);
const C = Buffer.alloc(32, 9);
const idA = keyId(parseKey(A));
const idB = keyId(parseKey(B));
const idC = keyId(C);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function aduan(keys: { current: string; previous?: string }, ...args: string[]) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const k of Object.keys(env)) if (k.startsWith('ADUAN_')) delete env[k];
  return runAduan(
    {
      ...env,
      ADUAN_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'silent',
      ADUAN_SECRET_KEY: keys.current,
      ...(keys.previous ? { ADUAN_PREVIOUS_SECRET_KEYS: keys.previous } : {}),
    },
    ...args,
  );
}

describe('keys that do not open the stored data', { timeout: 300_000 }, () => {
  it('the demo is sealed with key A; keys status with A lists it and exits 0', () => {
    const seeded = aduan({ current: A }, 'seed', '--demo');
    expect(seeded.code, seeded.out).toBe(0);
    const r = aduan({ current: A }, 'keys', 'status');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(new RegExp(`keys: reports\\.reporter_enc: ${idA} \\(current\\): \\d+`));
    expect(r.out).not.toContain('no configured key');
  });

  it('a wrong key stops the start with one line naming the stored key id and the fix', () => {
    for (const args of [['migrate'], ['keys', 'status']]) {
      const r = aduan({ current: B }, ...args);
      expect(r.code, r.out).toBe(1);
      const lines = r.out.trim().split('\n');
      expect(lines, r.out).toHaveLength(1);
      expect(lines[0]).toContain(`open none of the stored personal data, sealed with key id(s) ${idA}`);
      expect(lines[0]).toContain(idB);
      expect(lines[0]).toContain('ADUAN_PREVIOUS_SECRET_KEYS');
    }
  });

  it('the new key with the old one as previous starts, and keys status shows both', () => {
    const r = aduan({ current: B, previous: A }, 'keys', 'status');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`keys: current ${idB}, previous ${idA}`);
    expect(r.out).not.toContain('no configured key');
  });

  it('keys status marks a key id no configured key opens, and exits 1', async () => {
    // One older report sealed with a key the configuration lacks (e.g. a previous key removed too early).
    const db = await PGlite.create(join(dataDir, 'pglite'), { extensions: { pg_trgm } });
    try {
      await db.query(
        `update reports set reporter_enc = $1
          where id = (select id from reports where reporter_enc is not null order by created_at asc limit 1)`,
        [createSealer(C).seal({ name: 'Kunci Hilang' })],
      );
    } finally {
      await db.close();
    }
    const r = aduan({ current: A }, 'keys', 'status');
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(`${idC} (no configured key): 1`);
    expect(r.out).toMatch(new RegExp(`${idA} \\(current\\): \\d+`));
    expect(r.out).toContain(`no configured key opens the values of ${idC}`);
    // The newest values still open: the process starts (only `keys status` reports the gap).
    const started = aduan({ current: A }, 'migrate');
    expect(started.code, started.out).toBe(0);
  });
});
