import { describe, expect, it } from 'vitest';
import { createCipheriv, randomBytes } from 'node:crypto';
import { createSealer, keyId, randomToken, secureRandomBytes, sha256 } from './crypto.ts';

describe('secureRandomBytes (pooled CSPRNG)', () => {
  it('returns the requested length and never hands out the same bytes twice', () => {
    const seen = new Set<string>();
    // Several pool refills' worth of 16-byte draws: any reuse of pool bytes would repeat a value.
    for (let i = 0; i < 5000; i++) {
      const b = secureRandomBytes(16);
      expect(b.length).toBe(16);
      const hex = b.toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
  });

  it('returned buffers are copies: later draws do not change them', () => {
    const a = secureRandomBytes(12);
    const copy = Buffer.from(a);
    for (let i = 0; i < 2000; i++) secureRandomBytes(12);
    expect(a.equals(copy)).toBe(true);
  });

  it('serves large requests directly and tokens have the promised entropy length', () => {
    expect(secureRandomBytes(10_000).length).toBe(10_000);
    expect(Buffer.from(randomToken(18), 'base64url').length).toBe(18);
  });

  it('seals with a fresh IV each time and opens what it sealed', () => {
    const sealer = createSealer(Buffer.alloc(32, 7));
    const a = sealer.seal({ nik: '6471000000000001' });
    const b = sealer.seal({ nik: '6471000000000001' });
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(sealer.open<{ nik: string }>(a).nik).toBe('6471000000000001');
  });
});

describe('key rotation in the sealer', () => {
  const oldKey = Buffer.alloc(32, 1);
  const newKey = Buffer.alloc(32, 2);
  /** An envelope of the first format (`v1.<iv>.<tag>.<ct>`, no key id), as stored before key ids existed. */
  const v1 = (key: Buffer, value: unknown) => {
    const iv = Buffer.alloc(12, 9);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      c.getAuthTag().toString('base64url'),
      ct.toString('base64url'),
    ].join('.');
  };

  it('names the key in each envelope, without revealing it', () => {
    const s = createSealer(newKey, [oldKey]);
    const e = s.seal('x');
    expect(e.split('.')).toHaveLength(5);
    expect(s.keyIdOf(e)).toBe(keyId(newKey));
    expect(keyId(newKey)).toMatch(/^[0-9a-f]{8}$/);
    expect(e).not.toContain(newKey.toString('hex').slice(0, 16));
    expect(s.keyIds).toEqual([keyId(newKey), keyId(oldKey)]);
  });

  it('opens envelopes of previous keys and of the first format, and reseals them with the current key', () => {
    const before = createSealer(oldKey).seal({ phone: '081200000001' });
    const legacy = v1(oldKey, { phone: '081200000002' });
    const s = createSealer(newKey, [oldKey]);
    expect(s.open<{ phone: string }>(before).phone).toBe('081200000001');
    expect(s.open<{ phone: string }>(legacy).phone).toBe('081200000002');
    expect(s.isCurrent(before)).toBe(false);
    expect(s.isCurrent(legacy)).toBe(false);
    const re = s.reseal(before);
    expect(s.isCurrent(re)).toBe(true);
    expect(s.reseal(re)).toBe(re);
    expect(createSealer(newKey).open<{ phone: string }>(re).phone).toBe('081200000001');
    expect(createSealer(newKey).open<{ phone: string }>(s.reseal(legacy)).phone).toBe('081200000002');
  });

  it('refuses envelopes no held key opens, and malformed or tampered envelopes', () => {
    const e = createSealer(oldKey).seal('secret');
    expect(() => createSealer(newKey).open(e)).toThrow(/No key/);
    expect(() => createSealer(newKey).open(v1(oldKey, 'secret'))).toThrow(/No configured key/);
    expect(() => createSealer(oldKey).open('v3.a.b')).toThrow(/Unknown envelope/);
    const parts = e.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => createSealer(oldKey).open(parts.join('.'))).toThrow();
    expect(() => createSealer(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('keyed digests', () => {
  it('are stable under one key, differ under another, and are not the plain sha256 anyone can recompute', () => {
    const a = createSealer(randomBytes(32));
    const b = createSealer(randomBytes(32));
    const phone = 'sms:6281234567890';
    expect(a.digest(phone)).toBe(a.digest(phone));
    expect(a.digest(phone)).toMatch(/^[0-9a-f]{64}$/);
    expect(a.digest(phone)).not.toBe(b.digest(phone));
    expect(a.digest(phone)).not.toBe(sha256(phone));
    expect(a.digest(phone)).not.toBe(a.digest('sms:6281234567891'));
  });
});
