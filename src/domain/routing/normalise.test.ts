import { describe, expect, it } from 'vitest';
import { normalise, tokenise } from './normalise.ts';
import { extractTerms, DEFAULT_FEATURE_OPTIONS } from './features.ts';

describe('normalise', () => {
  it('lowercases and strips URLs, e-mails, phone numbers and NIK-like digit runs', () => {
    const out = normalise(
      'Lihat https://contoh.go.id/x atau mail budi.s@contoh.com, HP 0812-3456-7890, NIK 3374011234567890 [***]',
    );
    expect(out).toBe('lihat atau mail hp nik');
  });

  it('keeps hashtags as words', () => {
    expect(tokenise('#LaporHendi jalan rusak')).toEqual(['laporhendi', 'jalan', 'rusak']);
  });
});

describe('tokenise', () => {
  it('expands informal spellings and abbreviations', () => {
    expect(
      tokenise('jln yg rusak tdk diperbaiki dgn baik, sdh lapor ke kel dan kec', { removeStopwords: false }),
    ).toEqual([
      'jalan',
      'yang',
      'rusak',
      'tidak',
      'diperbaiki',
      'dengan',
      'baik',
      'sudah',
      'lapor',
      'ke',
      'kelurahan',
      'dan',
      'kecamatan',
    ]);
    expect(tokenise('gak ada, nggak bisa, ga jelas', { removeStopwords: false })).toEqual([
      'tidak',
      'ada',
      'tidak',
      'bisa',
      'tidak',
      'jelas',
    ]);
    expect(tokenise('antri di rs utk urus ktp', { removeStopwords: false })).toEqual([
      'antri',
      'di',
      'rumah',
      'sakit',
      'untuk',
      'urus',
      'ktp',
    ]);
  });

  it('removes stopwords and bare numbers', () => {
    expect(tokenise('Saya sudah 3 kali melapor tetapi belum ada tanggapan dari dinas')).toEqual([
      'kali',
      'melapor',
      'tanggapan',
      'dinas',
    ]);
  });
});

describe('extractTerms', () => {
  it('produces stemmed words, bigrams and boundary-marked character n-grams', () => {
    const stem = (w: string) => (w === 'perbaikan' ? 'baik' : w);
    const terms = extractTerms(
      'perbaikan jalan',
      { ...DEFAULT_FEATURE_OPTIONS, wordBigrams: true, charNgrams: [3, 3] },
      stem,
    );
    expect(terms).toContain('w:baik');
    expect(terms).toContain('b:baik jalan');
    expect(terms).toContain('c:<ja');
    expect(terms).toContain('c:an>');
  });
});

describe('tokenise and Object.prototype names', () => {
  it('treats words like constructor and toString as plain words', () => {
    expect(tokenise('constructor tostring hasownproperty')).toEqual([
      'constructor',
      'tostring',
      'hasownproperty',
    ]);
  });
});
