import { describe, expect, it } from 'vitest';
import { plainText, plainTextDeep, redactContacts } from './text.ts';

describe('plainText', () => {
  it('drops NUL and control characters, keeps tab and line breaks, repairs lone surrogates', () => {
    expect(plainText('Jalan\u0000 rusak\u0001\u007f')).toBe('Jalan rusak');
    expect(plainText('baris satu\nbaris\tdua\r\n')).toBe('baris satu\nbaris\tdua\r\n');
    expect(plainText('judul \ud800 laporan')).toBe('judul \ufffd laporan');
    expect(plainText('emoji 👍🏽 dan 👨‍👩‍👧 tetap')).toBe('emoji 👍🏽 dan 👨‍👩‍👧 tetap');
  });
  it('cleans every string of a parsed input, keys included, and stops at the depth limit', () => {
    const input = { title: 'a\u0000b', 'x\u0000': ['c\u0001', { d: 'e\u0000' }], n: 1, t: true, z: null };
    expect(plainTextDeep(input)).toEqual({ title: 'ab', x: ['c', { d: 'e' }], n: 1, t: true, z: null });
    const deep = { a: { b: { c: 'x\u0000' } } };
    expect(plainTextDeep(deep, 2)).toEqual({ a: { b: { c: 'x\u0000' } } });
  });
});

describe('redactContacts', () => {
  it('masks addresses, phone numbers and NIKs in transport errors; keeps hosts, dates and status codes', () => {
    expect(redactContacts('550 5.1.1 <Budi.S+x@mail.contoh.id>: Recipient address rejected')).toBe(
      '550 5.1.1 <[email]>: Recipient address rejected',
    );
    expect(redactContacts('number +62 812-3456-7890 unreachable; 081234567890; NIK 6472010101900001')).toBe(
      'number [nomor] unreachable; [nomor]; NIK [nomor]',
    );
    // Whatever the domain looks like, and whatever the local part holds.
    expect(redactContacts("550 <zz'priv.mask1@contoh.t3st>: rejected")).toBe('550 <[email]>: rejected');
    expect(redactContacts('to (budi@localhost) failed')).toBe('to [email] failed');
    expect(redactContacts('connect ECONNREFUSED 192.168.100.200:2526 at 2026-03-12, HTTP 503')).toBe(
      'connect ECONNREFUSED 192.168.100.200:2526 at 2026-03-12, HTTP 503',
    );
  });
});
