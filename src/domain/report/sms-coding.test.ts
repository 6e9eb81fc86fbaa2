import { describe, expect, it } from 'vitest';
import { decodeUcs2Hex, decodeUtf16be, smsCoding } from './sms-coding.ts';

describe('sms-coding', () => {
  it('reads hex only on the gateway’s word; charset decides over coding', () => {
    for (const fields of [
      { coding: '2', charset: 'UTF-16BE' },
      { coding: '2' },
      { coding: '8' },
      { coding: 'Unicode_No_Compression' },
      { coding: 'ucs-2' },
      { charset: 'utf-16' },
      { charset: 'ISO-10646-UCS-2' },
      { dataCoding: '8' },
      { dataCoding: '0x08' },
    ])
      expect(smsCoding(fields), JSON.stringify(fields)).toBe('ucs2-hex');
    for (const fields of [
      {},
      { coding: '0' },
      { coding: '1' },
      { coding: 'Default_No_Compression' },
      { coding: '2', charset: 'UTF-8' },
      { charset: 'ISO-8859-1' },
      { dataCoding: '2' }, // SMPP 8-bit binary, not UCS2
      { coding: ' ', charset: '' },
    ])
      expect(smsCoding(fields), JSON.stringify(fields)).toBe('text');
  });

  it('decodes UTF-16BE hex with surrogate pairs and byte-order marks; refuses what is not whole UTF-16', () => {
    expect(decodeUcs2Hex('0048006900200020D83DDE00')).toEqual({ text: 'Hi  😀' });
    expect(decodeUcs2Hex(' 0627064406440647 ')).toEqual({ text: 'الله' });
    expect(decodeUcs2Hex('FEFF00480069')).toEqual({ text: 'Hi' });
    expect(decodeUcs2Hex('FFFE48006900')).toEqual({ text: 'Hi' });
    expect(decodeUcs2Hex('')).toEqual({ text: '' });
    expect(decodeUcs2Hex('00480069x')).toEqual({ problem: 'ucs2_hex_digits' });
    expect(decodeUcs2Hex('0048 0069')).toEqual({ problem: 'ucs2_hex_digits' });
    expect(decodeUcs2Hex('004')).toEqual({ problem: 'ucs2_hex_length' });
    expect(decodeUcs2Hex('004800')).toEqual({ problem: 'ucs2_hex_length' });
    expect(decodeUcs2Hex('D83D0020')).toEqual({ problem: 'ucs2_surrogate' });
    expect(decodeUcs2Hex('DE000048')).toEqual({ problem: 'ucs2_surrogate' });
    expect(decodeUcs2Hex('0048D83D')).toEqual({ problem: 'ucs2_surrogate' });
  });

  it('decodes raw UTF-16BE bytes by the same rules', () => {
    expect(decodeUtf16be(Buffer.from('0048D83DDE00', 'hex'))).toEqual({ text: 'H😀' });
    expect(decodeUtf16be(Buffer.from('004800', 'hex'))).toEqual({ problem: 'ucs2_hex_length' });
    expect(decodeUtf16be(Buffer.from('D83D', 'hex'))).toEqual({ problem: 'ucs2_surrogate' });
  });
});
