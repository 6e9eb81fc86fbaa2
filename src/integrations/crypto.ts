/**
 * Encryption of personal data at rest (AES-256-GCM) and hashing of secrets.
 * Reporter identity, NIK and phone numbers are stored only as sealed envelopes (UU 27/2022 PDP; domain.md §10.3).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Seals and opens JSON values. A sealer holds the current key and any previous keys (key rotation,
 * docs/security.md): it always seals with the current key and opens envelopes of any key it holds.
 */
export interface Sealer {
  seal(value: unknown): string;
  open<T>(envelope: string): T;
  /** The id of the key an envelope was sealed with (null for v1 envelopes, which carry none). */
  keyIdOf(envelope: string): string | null;
  /** True when the envelope was sealed with the current key. */
  isCurrent(envelope: string): boolean;
  /** The envelope opened and sealed again with the current key (unchanged when already current). */
  reseal(envelope: string): string;
  /** The current key's id, then the previous keys' ids. */
  readonly keyIds: readonly string[];
  /**
   * A keyed digest (HMAC-SHA256 under a key derived from the current key) for matching a value without storing it:
   * unlike a plain sha256, a phone number cannot be recovered from it by trying every number (there are few).
   */
  digest(value: string): string;
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

/** A key's public id: the first 8 hex characters of the SHA-256 of the key (never reveals the key). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function openWith(key: Buffer, iv: string, tag: string, ct: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
}

/**
 * Builds a Sealer from the current 32-byte key and optional previous keys (AES-256-GCM).
 * Envelope format: `v2.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). Envelopes of the first format,
 * `v1.<iv>.<tag>.<ciphertext>`, carry no key id: they are tried with the current key, then each previous key
 * (GCM authentication rejects a wrong key).
 */
export function createSealer(key: Buffer, previous: readonly Buffer[] = []): Sealer {
  for (const k of [key, ...previous]) {
    if (k.length !== 32) throw new Error('The encryption key must be 32 bytes.');
  }
  const currentId = keyId(key);
  // A key of its own for digests, so a digest never equals anything computed with the sealing key itself.
  const digestKey = createHmac('sha256', key).update('aduan:digest:v1').digest();
  const keys = new Map<string, Buffer>([[currentId, key]]);
  for (const k of previous) if (!keys.has(keyId(k))) keys.set(keyId(k), k);
  const parts = (envelope: string): string[] => {
    const p = envelope.split('.');
    if (p[0] === 'v2' && p.length === 5) return p;
    if (p[0] === 'v1' && p.length === 4) return p;
    throw new Error('Unknown envelope format');
  };
  const sealer: Sealer = {
    keyIds: [...keys.keys()],
    seal(value) {
      const iv = secureRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return [
        'v2',
        currentId,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        ct.toString('base64url'),
      ].join('.');
    },
    open<T>(envelope: string): T {
      const p = parts(envelope);
      let pt: Buffer | null = null;
      if (p[0] === 'v2') {
        const k = keys.get(p[1]!);
        if (!k)
          throw new Error(`No key ${p[1]} to open this envelope (was a previous key removed too early?)`);
        pt = openWith(k, p[2]!, p[3]!, p[4]!);
      } else {
        for (const k of keys.values()) {
          try {
            pt = openWith(k, p[1]!, p[2]!, p[3]!);
            break;
          } catch {
            // Not this key: try the next one.
          }
        }
        if (!pt) throw new Error('No configured key opens this envelope');
      }
      return JSON.parse(pt.toString('utf8')) as T;
    },
    keyIdOf(envelope) {
      const p = parts(envelope);
      return p[0] === 'v2' ? p[1]! : null;
    },
    isCurrent(envelope) {
      return sealer.keyIdOf(envelope) === currentId;
    },
    reseal(envelope) {
      return sealer.isCurrent(envelope) ? envelope : sealer.seal(sealer.open<unknown>(envelope));
    },
    digest(value) {
      return createHmac('sha256', digestKey).update(value, 'utf8').digest('hex');
    },
  };
  return sealer;
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
  writeSecretFile(file, key.toString('hex'));
  return key;
}

/** Parses a list of keys separated by commas, spaces or new lines (blank entries and `#` comments skipped). */
export function parseKeyList(text: string | undefined): Buffer[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(',')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseKey);
}

/**
 * Previous keys (key rotation): ADUAN_PREVIOUS_SECRET_KEYS plus `<dataDir>/secret.previous` (one per line).
 * They only open envelopes; nothing is sealed with them.
 */
export function loadPreviousKeys(configured: string | undefined, dataDir: string): Buffer[] {
  const file = join(dataDir, 'secret.previous');
  return [...parseKeyList(configured), ...(existsSync(file) ? parseKeyList(readFileSync(file, 'utf8')) : [])];
}

function writeSecretFile(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * Rotates the data-directory key: a new `secret.key`, the old key appended to `secret.previous`. Only for a
 * key kept in the data directory; a key given by ADUAN_SECRET_KEY is rotated by changing the environment.
 * Processes started before the rotation keep sealing with the old key until they restart.
 */
export function rotateKeyFile(dataDir: string): { previousId: string; currentId: string } {
  const old = loadOrCreateKey(undefined, dataDir);
  const prevFile = join(dataDir, 'secret.previous');
  const kept = existsSync(prevFile) ? readFileSync(prevFile, 'utf8').trimEnd() : '';
  // The old key is kept first: if writing the new key fails, nothing sealed is lost.
  writeSecretFile(prevFile, `${kept ? `${kept}\n` : ''}${old.toString('hex')}\n`);
  const key = randomBytes(32);
  writeSecretFile(join(dataDir, 'secret.key'), key.toString('hex'));
  return { previousId: keyId(old), currentId: keyId(key) };
}

/** A new random key as 64 hex characters (for ADUAN_SECRET_KEY). */
export function generateKeyHex(): string {
  return randomBytes(32).toString('hex');
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
