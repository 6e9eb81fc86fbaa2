/**
 * Encryption of personal data at rest (AES-256-GCM) and hashing of secrets.
 * Reporter identity, NIK and phone numbers are stored only as sealed envelopes (UU 27/2022 PDP; domain.md §10.3).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Seals and opens JSON values with one 32-byte key. */
export interface Sealer {
  seal(value: unknown): string;
  open<T>(envelope: string): T;
}

const POOL_SIZE = 8192;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * Cryptographically secure random bytes, drawn from a pre-filled pool (as Node does for randomUUID):
 * one CSPRNG call per 8 KB instead of one per token on the intake hot path. Bytes are copied out and
 * never handed out twice.
 */
export function secureRandomBytes(size: number): Buffer {
  if (size > POOL_SIZE / 4) return randomBytes(size);
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  pool.fill(0, poolOffset, poolOffset + size);
  poolOffset += size;
  return out;
}

/** Builds a Sealer from a 32-byte key. Envelope format: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new Error('The encryption key must be 32 bytes.');
  return {
    seal(value) {
      const iv = secureRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        ct.toString('base64url'),
      ].join('.');
    },
    open<T>(envelope: string): T {
      const [v, iv, tag, ct] = envelope.split('.');
      if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('Unknown envelope format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const pt = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
      return JSON.parse(pt.toString('utf8')) as T;
    },
  };
}

/** Parses a configured key (64 hex chars or base64 of 32 bytes). */
export function parseKey(text: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== 32) throw new Error('ADUAN_SECRET_KEY must be 32 bytes as 64 hex characters or base64.');
  return buf;
}

/** Returns the configured key, or the one in `<dataDir>/secret.key`, creating it (mode 0600) on first use. */
export function loadOrCreateKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return parseKey(configured);
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** SHA-256 hex digest: for access keys, session ids and API keys, which are high-entropy secrets. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function digestEquals(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** A URL-safe random secret with `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  return secureRandomBytes(bytes).toString('base64url');
}

/** A uniform random integer in [0, max): the entropy source for tracking numbers. */
export function randomIntBelow(max: number): number {
  return randomInt(max);
}
