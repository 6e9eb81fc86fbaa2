import { describe, expect, it } from 'vitest';
import { hasComplaintText, maskOwnNumber, smsText } from './sms-text.ts';

const PHONE = '6281377788899';

describe('sms-text', () => {
  it("masks the sender's own number in every common format, and nothing else", () => {
    for (const written of [
      '081377788899',
      '0813-7778-8899',
      '0813 777 888 99',
      '+62 813-7778-8899',
      '+6281377788899',
      '62813 7778 8899',
      '(+62) 813 7778 8899',
      '+62 0813 7778 8899',
      '813.7778.8899',
      '81377788899',
    ])
      expect(maskOwnNumber(`hubungi ${written} ya`, PHONE), written).toBe(
        'hubungi [telepon-disembunyikan] ya',
      );
    // Another number, or the number inside a longer one, is not the sender's.
    expect(maskOwnNumber('rekening 1081377788899', PHONE)).toBe('rekening 1081377788899');
    expect(maskOwnNumber('tetangga 081377788898', PHONE)).toBe('tetangga 081377788898');
  });

  it('masks other phone numbers, email addresses and NIKs as public comments are', () => {
    expect(smsText('tetangga 0812-5550-1234, surel a.b@contoh.id, NIK 6472010101900011', PHONE)).toBe(
      'tetangga [telepon-disembunyikan], surel [email-disembunyikan], NIK [nik-disembunyikan]',
    );
    expect(smsText('Kerugian Rp 628.500.000 di jalan 5 km', PHONE)).toBe(
      'Kerugian Rp 628.500.000 di jalan 5 km',
    );
  });

  it('a complaint needs 20 characters of letters and digits (words joined by single spaces)', () => {
    for (const text of ['halo', '☃☃☃ 🙂🙂 %%% ###', 'Jalan rusak parah', '!!! ??? 123 ... ---'])
      expect(hasComplaintText(text), text).toBe(false);
    for (const text of ['Jalan rusak di depan', 'Jalan   rusak!!! di depan 🙂 sekolah'])
      expect(hasComplaintText(text), text).toBe(true);
  });
});
