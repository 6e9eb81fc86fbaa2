import { describe, expect, it } from 'vitest';
import {
  TRACKING_ID_LENGTH,
  dammCheckDigit,
  formatTrackingId,
  isValidTrackingId,
  makeTrackingId,
  normaliseTrackingId,
  type NextInt,
} from './tracking-id.ts';

/** mulberry32: a tiny seeded PRNG, so the tests are deterministic. */
function seeded(seed: number): NextInt {
  let a = seed >>> 0;
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(r * max);
  };
}

function sampleIds(n: number, seed = 2026): string[] {
  const next = seeded(seed);
  return Array.from({ length: n }, () => makeTrackingId(next));
}

describe('dammCheckDigit', () => {
  it('matches the published example (572 → 4)', () => {
    expect(dammCheckDigit('572')).toBe(4);
    expect(isValidTrackingId('5724')).toBe(false); // too short for a tracking id, but…
    expect(dammCheckDigit('5724')).toBe(0); // …the Damm check over the whole number is 0
  });

  it('rejects input that is not digits', () => {
    expect(() => dammCheckDigit('')).toThrow(RangeError);
    expect(() => dammCheckDigit('12a')).toThrow(RangeError);
  });
});

describe('makeTrackingId', () => {
  it('produces 10 digits with a non-zero first digit and a valid check digit', () => {
    for (const id of sampleIds(2000)) {
      expect(id).toMatch(/^[1-9][0-9]{9}$/);
      expect(id).toHaveLength(TRACKING_ID_LENGTH);
      expect(isValidTrackingId(id)).toBe(true);
    }
  });

  it('asks for 9 for the first digit and 10 for the other eight', () => {
    const asked: number[] = [];
    const id = makeTrackingId((max) => {
      asked.push(max);
      return 0;
    });
    expect(asked).toEqual([9, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(id.slice(0, 9)).toBe('100000000');
    expect(isValidTrackingId(id)).toBe(true);
  });

  it('reaches the top of the range', () => {
    const id = makeTrackingId((max) => max - 1);
    expect(id.slice(0, 9)).toBe('999999999');
    expect(isValidTrackingId(id)).toBe(true);
  });

  it('has no duplicates among 10,000 ids from a seeded PRNG', () => {
    const ids = sampleIds(10_000);
    expect(new Set(ids).size).toBe(10_000);
  });

  it('is not sequential: consecutive ids are not neighbours', () => {
    const ids = sampleIds(1000).map(Number);
    let adjacent = 0;
    for (let i = 1; i < ids.length; i++) {
      if (Math.abs(ids[i]! - ids[i - 1]!) < 1000) adjacent++;
    }
    expect(adjacent).toBe(0);
  });

  it('spreads digits over every position', () => {
    const counts = Array.from({ length: 9 }, () => new Array<number>(10).fill(0));
    for (const id of sampleIds(10_000, 7)) {
      for (let p = 0; p < 9; p++) counts[p]![Number(id[p])]!++;
    }
    expect(counts[0]![0]).toBe(0);
    for (let d = 1; d <= 9; d++) expect(counts[0]![d]).toBeGreaterThan(900); // ≈ 1111 each
    for (let p = 1; p < 9; p++) {
      for (let d = 0; d <= 9; d++) expect(counts[p]![d]).toBeGreaterThan(800); // ≈ 1000 each
    }
  });

  it('refuses a random source that breaks its contract', () => {
    expect(() => makeTrackingId(() => 10)).toThrow(RangeError);
    expect(() => makeTrackingId(() => -1)).toThrow(RangeError);
    expect(() => makeTrackingId(() => 0.5)).toThrow(RangeError);
    expect(() => makeTrackingId(() => Number.NaN)).toThrow(RangeError);
  });
});

describe('isValidTrackingId: error detection', () => {
  const samples = sampleIds(1000, 42);

  it('catches every single-digit substitution', () => {
    let checked = 0;
    const missed: string[] = [];
    for (const id of samples) {
      for (let p = 0; p < id.length; p++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === id[p]) continue;
          const typo = id.slice(0, p) + String(d) + id.slice(p + 1);
          if (isValidTrackingId(typo)) missed.push(`${id} → ${typo}`);
          checked++;
        }
      }
    }
    expect(missed).toEqual([]);
    expect(checked).toBe(1000 * 10 * 9);
  });

  it('catches every adjacent transposition', () => {
    let checked = 0;
    const missed: string[] = [];
    for (const id of samples) {
      for (let p = 0; p < id.length - 1; p++) {
        if (id[p] === id[p + 1]) continue;
        const swapped = id.slice(0, p) + id[p + 1]! + id[p]! + id.slice(p + 2);
        if (isValidTrackingId(swapped)) missed.push(`${id} → ${swapped}`);
        checked++;
      }
    }
    expect(missed).toEqual([]);
    expect(checked).toBeGreaterThan(8000);
  });

  it('also catches every substitution and adjacent transposition of the Damm check on its own (exhaustive over 4-digit bodies)', () => {
    // The property the tracking id relies on, checked exhaustively on a smaller space.
    const missed: string[] = [];
    for (let n = 1000; n <= 9999; n++) {
      const body = String(n);
      const full = body + String(dammCheckDigit(body));
      for (let p = 0; p < full.length; p++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === full[p]) continue;
          const typo = full.slice(0, p) + String(d) + full.slice(p + 1);
          if (dammCheckDigit(typo) === 0) missed.push(`${full} → ${typo}`);
        }
        if (p < full.length - 1 && full[p] !== full[p + 1]) {
          const swapped = full.slice(0, p) + full[p + 1]! + full[p]! + full.slice(p + 2);
          if (dammCheckDigit(swapped) === 0) missed.push(`${full} → ${swapped}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });

  it('rejects wrong shapes', () => {
    const good = samples[0]!;
    expect(isValidTrackingId(good)).toBe(true);
    expect(isValidTrackingId(good.slice(0, 9))).toBe(false);
    expect(isValidTrackingId(good + '0')).toBe(false);
    expect(isValidTrackingId('')).toBe(false);
    expect(isValidTrackingId('0000000000')).toBe(false); // Damm-valid but leading zero
    expect(isValidTrackingId(formatTrackingId(good))).toBe(false); // canonical form only
    expect(isValidTrackingId(`${good}\n`)).toBe(false);
    expect(isValidTrackingId('１２３４５６７８９０')).toBe(false); // full-width digits
  });
});

describe('normaliseTrackingId', () => {
  const id = sampleIds(1, 99)[0]!;

  it('accepts the canonical and the formatted forms', () => {
    expect(normaliseTrackingId(id)).toBe(id);
    expect(normaliseTrackingId(formatTrackingId(id))).toBe(id);
  });

  it('strips spaces, dashes and a leading #', () => {
    const spaced = `${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6, 9)} ${id.slice(9)}`;
    expect(normaliseTrackingId(`  ${spaced}  `)).toBe(id);
    expect(normaliseTrackingId(`#${id}`)).toBe(id);
    expect(normaliseTrackingId(`${id.slice(0, 4)}\u2013${id.slice(4)}`)).toBe(id); // en dash
    expect(normaliseTrackingId(`${id.slice(0, 4)}\u00a0${id.slice(4)}`)).toBe(id); // no-break space
  });

  it('answers null for invalid input', () => {
    const last = Number(id[9]);
    expect(normaliseTrackingId(id.slice(0, 9) + String((last + 1) % 10))).toBeNull();
    expect(normaliseTrackingId('')).toBeNull();
    expect(normaliseTrackingId('abc')).toBeNull();
    expect(normaliseTrackingId(`${id}x`)).toBeNull();
    expect(normaliseTrackingId(`##${id}`)).toBeNull();
    expect(normaliseTrackingId(`${' '.repeat(100)}${id}`)).toBeNull();
  });
});

describe('formatTrackingId', () => {
  it('groups as 4-4-2', () => {
    expect(formatTrackingId('1234567890')).toBe('1234-5678-90');
  });

  it('returns anything else unchanged', () => {
    expect(formatTrackingId('12345')).toBe('12345');
    expect(formatTrackingId('')).toBe('');
  });
});
