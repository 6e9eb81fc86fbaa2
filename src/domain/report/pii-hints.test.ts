import { describe, expect, it } from 'vitest';
import { detectPersonalData, maskNik, maskPersonalData, PII_MASKS } from './pii-hints.ts';

const NIK = PII_MASKS.nik;
const PHONE = PII_MASKS.phone;
const EMAIL = PII_MASKS.email;

describe('detectPersonalData', () => {
  it('finds a NIK, a phone number and an email', () => {
    expect(detectPersonalData('NIK saya 6471012345678901')).toEqual(['nik']);
    expect(detectPersonalData('hubungi 0812-3456-7890 ya')).toEqual(['phone']);
    expect(detectPersonalData('telp +6281234567890')).toEqual(['phone']);
    expect(detectPersonalData('email budi@contoh.id')).toEqual(['email']);
    expect(detectPersonalData('a', 'b 6471012345678901 budi@contoh.id')).toEqual(['nik', 'email']);
    expect(detectPersonalData('budi@contoh.id, 0812 3456 7890, 6471 0123 4567 8901')).toEqual([
      'nik',
      'phone',
      'email',
    ]);
  });
  it('stays quiet on ordinary text and numbers', () => {
    expect(detectPersonalData('Jalan rusak sejak 2024, lubang 30 cm di RT 05')).toEqual([]);
    expect(detectPersonalData('nomor lacak 2603123456')).toEqual([]);
    expect(detectPersonalData('biaya Rp 1.500.000 pada 12-03-2026 pukul 08.30')).toEqual([]);
  });
  it('warns about exactly what maskPersonalData hides', () => {
    for (const text of ['HP 0812 3456 7890', 'NIK 6471-0123-4567-8901', 'surel <a.b@c.co.id>', 'tidak ada']) {
      expect(detectPersonalData(text).length > 0).toBe(maskPersonalData(text) !== text);
    }
  });
});

describe('maskPersonalData', () => {
  // [what, input, expected]
  const masked: Array<[string, string, string]> = [
    ['NIK, 16 digits', 'NIK saya 6471012345678901.', `NIK saya ${NIK}.`],
    ['NIK after a colon', 'NIK:6472010101900011', `NIK:${NIK}`],
    ['NIK in groups of four (spaces)', 'NIK 6471 0123 4567 8901 ya', `NIK ${NIK} ya`],
    ['NIK in groups of four (dashes)', 'NIK 6471-0123-4567-8901', `NIK ${NIK}`],
    ['NIK as 6-6-4 with dots', 'NIK 647101.010190.0011', `NIK ${NIK}`],
    ['mobile 08…', 'hubungi 081234567890 ya', `hubungi ${PHONE} ya`],
    ['mobile with dashes', 'HP 0812-3456-7890.', `HP ${PHONE}.`],
    ['mobile with spaces', 'WA 0812 3456 7890', `WA ${PHONE}`],
    ['mobile with dots', 'telp 0812.3456.789', `telp ${PHONE}`],
    ['mobile +62', 'telp +6281234567890', `telp ${PHONE}`],
    ['mobile +62 with spaces', 'telp +62 812 3456 7890', `telp ${PHONE}`],
    ['mobile +62 with dashes', 'telp +62-812-3456-7890', `telp ${PHONE}`],
    ['mobile (+62)', 'telp (+62) 812-3456-7890', `telp ${PHONE}`],
    ['mobile 62 without plus', 'nomor 6281234567890', `nomor ${PHONE}`],
    ['mobile glued to a label', 'HP:081234567890', `HP:${PHONE}`],
    ['landline with area code in brackets', 'kantor (0541) 741234', `kantor ${PHONE}`],
    ['landline with a dash', 'rumah 021-5551234', `rumah ${PHONE}`],
    ['landline +62', 'rumah +62 21 5551234', `rumah ${PHONE}`],
    ['landline in short groups', 'kantor (0542) 87-6543', `kantor ${PHONE}`],
    ['mobile in odd groups', 'HP 0811 5 123 456', `HP ${PHONE}`],
    ['email', 'email budi@contoh.id', `email ${EMAIL}`],
    ['email with dots, plus and subdomains', 'ke budi.santoso+aduan@mail.contoh.go.id.', `ke ${EMAIL}.`],
    ['email in angle brackets', 'Budi <budi@contoh.id>', `Budi <${EMAIL}>`],
    ['email in round brackets', '(budi@contoh.id)', `(${EMAIL})`],
    ['email with (at)', 'budi (at) contoh.id', EMAIL],
    ['email with [at]', 'budi[at]contoh.id', EMAIL],
    ['email in upper case', 'BUDI@CONTOH.ID', EMAIL],
    ['email holding digits', '081234567890@contoh.id', EMAIL],
    [
      'all three',
      'Saya 6471012345678901, HP 0812-3456-7890, email budi@contoh.id.',
      `Saya ${NIK}, HP ${PHONE}, email ${EMAIL}.`,
    ],
    ['two phones', '0812 3456 7890 atau 0813-9876-5432', `${PHONE} atau ${PHONE}`],
    ['across lines', 'Hubungi:\n081234567890\nterima kasih', `Hubungi:\n${PHONE}\nterima kasih`],
  ];
  it.each(masked)('masks %s', (_what, input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  // Must stay as written.
  const kept: Array<[string, string]> = [
    ['a 4-digit year', 'Jalan rusak sejak 2024'],
    ['a date with dashes', 'pada 12-03-2026 dan 2026-03-12'],
    ['dates on the 8th', 'pada 08-03-2026 10-03-2026, 08.03.2026'],
    ['a date with slashes and dots', 'tanggal 12/03/2026 atau 12.03.2026'],
    ['two dates in a row', 'dari 12-03-2026 10-03-2026'],
    ['a time range', 'pukul 08.30-12.00 WITA, atau 0930-1200'],
    ['an amount with Rp', 'biaya Rp 1.500.000 dan Rp1.500.000,00'],
    ['a big amount', 'anggaran Rp 628.500.000.000 dan 628.500.000.000'],
    ['an amount with IDR', 'IDR 081.234.567.890'],
    ['a tracking number', 'nomor lacak 2603123456 atau 2603-1234-56'],
    ['RT/RW and house numbers', 'RT 05 RW 03, Jl. Sudirman No. 12, kode pos 75124'],
    ['a short number', 'panjang 0812 meter, 30 cm'],
    ['a 15-digit and a 17-digit number', '647101234567890 dan 64710123456789012'],
    ['coordinates', 'titik -0.502411, 117.153600'],
    ['a word with @ but no domain', 'kirim @dinas_pupr di media sosial'],
    ['a decree number', 'SK No. 188.4/045/2026'],
  ];
  it.each(kept)('keeps %s', (_what, input) => {
    expect(maskPersonalData(input)).toBe(input);
  });

  it('keeps the masks themselves and empty text unchanged', () => {
    expect(maskPersonalData('')).toBe('');
    const once = maskPersonalData('6471012345678901 081234567890 budi@contoh.id');
    expect(maskPersonalData(once)).toBe(once);
  });

  it('stays fast on long hostile input', () => {
    const started = performance.now();
    maskPersonalData(`${'a'.repeat(10_000)} ${'1-'.repeat(5_000)} ${'a.'.repeat(5_000)}@`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('maskNik', () => {
  it('masks NIKs only', () => {
    expect(maskNik('NIK 6471 0123 4567 8901, HP 081234567890')).toBe(`NIK ${NIK}, HP 081234567890`);
  });
});
