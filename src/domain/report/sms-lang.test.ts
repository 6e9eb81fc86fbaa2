import { describe, expect, it } from 'vitest';
import { SMS_LANG_CORPUS } from '../../../test/helpers/sms-lang-corpus.ts';
import { smsLang, smsLangScores } from './sms-lang.ts';

/** The reply language as receive-sms.ts uses it for a filing: unknown is Indonesian. */
const reply = (text: string) => smsLang(text) ?? 'id';

describe('sms-lang', () => {
  it('answers the labelled SMS set in its language, but for the one known miss', () => {
    expect(SMS_LANG_CORPUS.length).toBeGreaterThanOrEqual(60);
    const missed = SMS_LANG_CORPUS.filter((s) => reply(s.text) !== s.lang).map((s) => s.text);
    // An English text whose only function word is "behind", next to a village name (docs/channels.md, "Language").
    expect(missed).toEqual(['Illegal logging happening behind Desa Sumber Rejo']);
  });

  it('keeps Indonesian with English loan words Indonesian, whatever the loan words', () => {
    for (const text of [
      'jalan rusak, please cepat diperbaiki',
      'lampu mati di area parkir',
      'traffic light mati',
      'please help, rumah kebanjiran',
      'Help desk kosong, phone tidak diangkat',
      'rek a/n Dinas dipakai pungli',
      'lampu Jl. A. Yani mati',
    ])
      expect(reply(text), text).toBe('id');
  });

  it('says nothing for bare commands, greetings, loan words alone and emoji', () => {
    for (const text of [
      'STATUS 2603120001',
      'TERIMA 2603120001 5',
      'TOLAK 2603120001',
      'halo',
      'ok',
      'area parkir',
      'please',
      '🙂🙂',
      '',
    ])
      expect(smsLang(text), text).toBeNull();
  });

  it('needs English clearly ahead when both languages score', () => {
    // "The … on Jalan Juanda": the street name's Indonesian weighs half a function word.
    expect(smsLangScores('The street lights on Jalan Juanda have been off')).toEqual({ en: 4.5, id: 0.5 });
    expect(smsLang('The street lights on Jalan Juanda have been off')).toBe('en');
    // One English function word among Indonesian ones is Indonesian.
    expect(smsLang('Please fix the lampu jalan dekat pasar')).toBe('id');
    expect(smsLang('help')).toBe('en');
    expect(smsLang('TOLAK 2603120001 the hole is still there')).toBe('en');
  });
});
