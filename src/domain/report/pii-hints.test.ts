import { describe, expect, it } from 'vitest';
import { detectPersonalData } from './pii-hints.ts';

describe('detectPersonalData', () => {
  it('finds a NIK, a phone number and an email', () => {
    expect(detectPersonalData('NIK saya 6471012345678901')).toEqual(['nik']);
    expect(detectPersonalData('hubungi 0812-3456-7890 ya')).toEqual(['phone']);
    expect(detectPersonalData('telp +6281234567890')).toEqual(['phone']);
    expect(detectPersonalData('email budi@contoh.id')).toEqual(['email']);
    expect(detectPersonalData('a', 'b 6471012345678901 budi@contoh.id')).toEqual(['nik', 'email']);
  });
  it('stays quiet on ordinary text and numbers', () => {
    expect(detectPersonalData('Jalan rusak sejak 2024, lubang 30 cm di RT 05')).toEqual([]);
    expect(detectPersonalData('nomor lacak 2603123456')).toEqual([]);
  });
});
