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
      'NIK 6472 0101 0190 0011. Tetangga saya 081399988877, warung Rahmat di RT 03.';
    expect(maskOwnIdentity(text, who)).toBe(
      'Belum selesai. Saya [nama-disembunyikan], hubungi [telepon-disembunyikan] atau [email-disembunyikan], ' +
        'NIK [nik-disembunyikan]. Tetangga saya 081399988877, warung Rahmat di RT 03.',
    );
  });

  it('masks a single word of the name where it is introduced as a name, and only there', () => {
    const me = { name: 'Ahmad Yani Qwertanon' };
    expect(
      maskOwnIdentity(
        'Panggil saja Qwertanon, atau pak Ahmad Yani. Saya qwertanon dari RT 03, rumah di Jalan Ahmad Yani.',
        me,
      ),
    ).toBe(
      'Panggil saja [nama-disembunyikan], atau pak [nama-disembunyikan] [nama-disembunyikan]. ' +
        'Saya [nama-disembunyikan] dari RT 03, rumah di Jalan Ahmad Yani.',
    );
    // A word of the name that is not introduced as a name stays (a street, a place, someone else).
    expect(maskOwnIdentity('Qwertanon Jaya Motor di Jalan Yani tutup.', me)).toBe(
      'Qwertanon Jaya Motor di Jalan Yani tutup.',
    );
  });

  it('masks a name the writer introduces as their own, even when aduan does not know it (SMS, anonim)', () => {
    expect(maskOwnIdentity('Nama saya Sutrisno Wibowo, warga RT 05. Lampu jalan padam.', {})).toBe(
      'Nama saya [nama-disembunyikan] [nama-disembunyikan], warga RT 05. Lampu jalan padam.',
    );
    expect(maskOwnIdentity('Perkenalkan, saya Dewi dari Loa Janan. saya bernama: Dewi Lestari', {})).toBe(
      'Perkenalkan, saya [nama-disembunyikan] dari Loa Janan. saya bernama: [nama-disembunyikan] [nama-disembunyikan]',
    );
    // Someone else named ("petugas bernama …"), or no name after the cue: kept.
    for (const kept of [
      'Petugas bernama Joko meminta uang tambahan.',
      'Nama saya tidak perlu disebut, jalan ini rusak.',
      'nama saya sudah terdaftar di DTKS',
    ])
      expect(maskOwnIdentity(kept, {})).toBe(kept);
  });

  it('changes nothing without an identity, and masks a NIK even then', () => {
    expect(maskOwnIdentity('Jalan rusak di RT 03, Rahmat.', {})).toBe('Jalan rusak di RT 03, Rahmat.');
    expect(maskOwnIdentity('NIK 6472010101900011', {})).toBe('NIK [nik-disembunyikan]');
  });
});
