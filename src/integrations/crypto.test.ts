import { describe, expect, it } from 'vitest';
import { createSealer, randomToken, secureRandomBytes } from './crypto.ts';

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
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(sealer.open<{ nik: string }>(a).nik).toBe('6471000000000001');
  });
});
