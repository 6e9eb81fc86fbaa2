import { describe, expect, it } from 'vitest';
import { plainText, plainTextDeep } from './text.ts';

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
