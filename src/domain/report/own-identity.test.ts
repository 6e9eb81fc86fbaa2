import { describe, expect, it } from 'vitest';
import { maskOwnIdentity } from './own-identity.ts';

const who = {
  name: 'Rahmat Hidayatullah',
  email: 'rahmat.h@contoh.aduan.id',
  phone: '081255501234',
  nik: '6472010101900011',
};

describe('maskOwnIdentity', () => {
  it("masks the reporter's own name, address, number in any format, and NIKs; leaves other text alone", () => {
    const text =
      'Belum selesai. Saya RAHMAT  hidayatullah, hubungi +62 812-5550-1234 atau Rahmat.H@contoh.aduan.id, ' +
      'NIK 6472 0101 0190 0011. Tetangga saya 081399988877, Pak Rahmat dari RT 03.';
    expect(maskOwnIdentity(text, who)).toBe(
      'Belum selesai. Saya [nama-disembunyikan], hubungi [telepon-disembunyikan] atau [email-disembunyikan], ' +
        'NIK [nik-disembunyikan]. Tetangga saya 081399988877, Pak Rahmat dari RT 03.',
    );
  });

  it('changes nothing without an identity, and masks a NIK even then', () => {
    expect(maskOwnIdentity('Jalan rusak di RT 03, Rahmat.', {})).toBe('Jalan rusak di RT 03, Rahmat.');
    expect(maskOwnIdentity('NIK 6472010101900011', {})).toBe('NIK [nik-disembunyikan]');
  });
});
