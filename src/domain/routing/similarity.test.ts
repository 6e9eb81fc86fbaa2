import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_SHARE_BUDGET,
  COMMON_TERM_SHARE,
  cosine,
  DEFAULT_NEAR_BONUS,
  distinctiveTsquery,
  MIN_DISTINCT_TERMS,
  NEAR_FULL_M,
  NEAR_RADIUS_M,
  proximityBonus,
  wordCounts,
} from './similarity.ts';

describe('wordCounts', () => {
  it('counts normalised words of 3+ letters, each under its key', () => {
    expect([...wordCounts('Jln rusak yg berlubang, rusak parah')]).toEqual([
      ['jalan', 1],
      ['rusak', 2],
      ['berlubang', 1],
      ['parah', 1],
    ]);
    // A key that maps forms of one root together (a stemmer) makes them one word for the cosine.
    const roots: Record<string, string> = {
      tersumbat: 'sumbat',
      penyumbatan: 'sumbat',
      dibersihkan: 'bersih',
      pembersihan: 'bersih',
    };
    const root = (w: string) => roots[w] ?? w;
    const a = 'Drainase tersumbat, mohon dibersihkan';
    const b = 'Penyumbatan drainase, mohon pembersihan';
    expect(cosine(wordCounts(a), wordCounts(b))).toBeLessThan(0.5);
    expect([...wordCounts(b, root)]).toEqual([
      ['sumbat', 1],
      ['drainase', 1],
      ['bersih', 1],
    ]);
    expect(cosine(wordCounts(a, root), wordCounts(b, root))).toBeCloseTo(1, 10);
  });
});

describe('proximityBonus', () => {
  it('is the full bonus up to NEAR_FULL_M, falls linearly, and is 0 from NEAR_RADIUS_M or without a point', () => {
    expect(proximityBonus(0)).toBe(DEFAULT_NEAR_BONUS);
    expect(proximityBonus(NEAR_FULL_M)).toBe(DEFAULT_NEAR_BONUS);
    const middle = (NEAR_FULL_M + NEAR_RADIUS_M) / 2;
    expect(proximityBonus(middle)).toBeCloseTo(DEFAULT_NEAR_BONUS / 2, 10);
    expect(proximityBonus(NEAR_RADIUS_M)).toBe(0);
    expect(proximityBonus(50_000)).toBe(0);
    expect(proximityBonus(null)).toBe(0);
    expect(proximityBonus(Number.NaN)).toBe(0);
    expect(proximityBonus(100, 0)).toBe(0);
    expect(proximityBonus(100, 0.2)).toBe(0.2);
  });
});

describe('distinctiveTsquery', () => {
  const l = (lexeme: string, share: number) => ({ lexeme, share });

  it('asks for any distinctive lexeme and leaves out those in more than COMMON_TERM_SHARE of reports', () => {
    const q = distinctiveTsquery([
      l('jalan', 0.28),
      l('lubang', 0.004),
      l('warga', 0.1),
      l('tanjungmas', 0),
      l('dermaga', 0.0037),
      l('kampung', COMMON_TERM_SHARE),
    ]);
    expect(q).toBe("'tanjungmas' | 'dermaga' | 'lubang' | 'kampung'");
    expect(distinctiveTsquery([l('a', 0.03), l('b', 0.001), l('c', 0.002), l('d', 0.5)], 0.05)).toBe(
      "'b' | 'c' | 'a'",
    );
  });

  it('keeps the rarest distinctive lexemes while their shares add up to CANDIDATE_SHARE_BUDGET, at least 3', () => {
    expect(CANDIDATE_SHARE_BUDGET).toBe(0.05);
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => l(x, 0.015));
    expect(distinctiveTsquery(six)).toBe("'a' | 'b' | 'c'");
    expect(distinctiveTsquery(six, COMMON_TERM_SHARE, 0.1)).toBe("'a' | 'b' | 'c' | 'd' | 'e' | 'f'");
    expect(distinctiveTsquery(six.slice(0, 3), COMMON_TERM_SHARE, 0.01)).toBe("'a' | 'b' | 'c'");
    // Rare words cost little of the budget: a report's names and places are all asked for.
    const rare = Array.from({ length: 20 }, (_, i) => l(`w${String(i).padStart(2, '0')}`, 0.001));
    expect(distinctiveTsquery([...rare, l('x', 0.019)])!.split(' | ')).toHaveLength(21);
  });

  it('keeps every lexeme when the table has no statistics (all shares 0), without duplicates', () => {
    expect(distinctiveTsquery([l('jalan', 0), l('rusak', 0), l('jalan', 0)])).toBe("'jalan' | 'rusak'");
    expect(distinctiveTsquery([])).toBeNull();
    expect(distinctiveTsquery([l('', 0)])).toBeNull();
  });

  it('asks for pairs of the rarest common lexemes when fewer than MIN_DISTINCT_TERMS are distinctive', () => {
    expect(MIN_DISTINCT_TERMS).toBe(3);
    const generic = [l('jalan', 0.28), l('rusak', 0.15), l('lubang', 0.05), l('baik', 0.1), l('mohon', 0.4)];
    expect(distinctiveTsquery(generic)).toBe(
      "('lubang' & 'baik') | ('lubang' & 'rusak') | ('lubang' & 'jalan') | ('baik' & 'rusak') | ('baik' & 'jalan') | ('rusak' & 'jalan')",
    );
    // Distinctive lexemes stay alone beside the pairs; a single common one is asked for alone.
    expect(distinctiveTsquery([l('dermaga', 0.001), l('jalan', 0.28), l('rusak', 0.15)])).toBe(
      "'dermaga' | ('rusak' & 'jalan')",
    );
    expect(distinctiveTsquery([l('dermaga', 0.001), l('jalan', 0.28)])).toBe("'dermaga' | 'jalan'");
  });

  it('bounds the common lexemes asked for by the pair budget, rarest first', () => {
    const text = [l('dermaga', 0.001), l('jalan', 0.28), l('rusak', 0.15), l('lubang', 0.1)];
    expect(distinctiveTsquery(text, COMMON_TERM_SHARE, CANDIDATE_SHARE_BUDGET, 0.3)).toBe(
      "'dermaga' | ('lubang' & 'rusak')",
    );
    expect(distinctiveTsquery(text, COMMON_TERM_SHARE, CANDIDATE_SHARE_BUDGET, 0.05)).toBe("'dermaga'");
    expect(distinctiveTsquery(text.slice(1), COMMON_TERM_SHARE, CANDIDATE_SHARE_BUDGET, 0.05)).toBeNull();
    expect(distinctiveTsquery(text, COMMON_TERM_SHARE, CANDIDATE_SHARE_BUDGET, 1)).toBe(
      distinctiveTsquery(text),
    );
    // A text with one common lexeme asks for it alone, if the budget allows.
    const one = [l('dermaga', 0.001), l('jalan', 0.28)];
    expect(distinctiveTsquery(one, COMMON_TERM_SHARE, CANDIDATE_SHARE_BUDGET, 0.3)).toBe(
      "'dermaga' | 'jalan'",
    );
    expect(distinctiveTsquery(one, COMMON_TERM_SHARE, CANDIDATE_SHARE_BUDGET, 0.2)).toBe("'dermaga'");
  });

  it('quotes a lexeme so that the tsquery reads it as one word', () => {
    expect(distinctiveTsquery([l("jum'at", 0), l('a\\b', 0)])).toBe("'a\\\\b' | 'jum''at'");
  });
});
