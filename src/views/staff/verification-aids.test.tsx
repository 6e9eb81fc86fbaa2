/**
 * A suggestion list warns when its top suggestion is unsure (below UNSURE_CONFIDENCE, where calibrated suggestions
 * were right about half the time), in the page language, and not when it is sure or its confidence is hidden.
 */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../context.ts';
import { SuggestionList, UNSURE_CONFIDENCE } from './verification-aids.tsx';

const list = (confidences: number[], extra: { hideConfidence?: boolean; lang?: 'id' | 'en' } = {}) =>
  renderToString(
    <SuggestionList
      ctx={makeContext(extra.lang ?? 'id')}
      heading="Klasifikasi yang disarankan"
      kind="classification"
      items={confidences.map((confidence, i) => ({
        id: ['pengaduan', 'permintaan_informasi', 'aspirasi'][i]!,
        name: ['Pengaduan', 'Permintaan informasi', 'Aspirasi'][i]!,
        confidence,
        words: [],
      }))}
      chosen={undefined}
      href={(id) => `/kantor/laporan/1?klasifikasi=${id}`}
      hideConfidence={extra.hideConfidence}
    />,
  );

describe('SuggestionList', () => {
  it('says so when the top suggestion is unsure, in the page language', () => {
    expect(UNSURE_CONFIDENCE).toBe(0.6);
    const id = list([0.55, 0.4, 0.05]);
    expect(id).toContain('data-unsure="classification"');
    expect(id).toContain('Belum pasti: keyakinan saran teratas hanya 55%');
    expect(list([0.52, 0.48], { lang: 'en' })).toContain(
      "Not sure: the top suggestion's confidence is only 52%",
    );
  });

  it('says nothing more when the top suggestion is sure, has no confidence shown, or there is none', () => {
    expect(list([0.6, 0.3, 0.1])).not.toContain('data-unsure');
    expect(list([0.97, 0.02, 0.01])).not.toContain('data-unsure');
    expect(list([0.4], { hideConfidence: true })).not.toContain('data-unsure');
    expect(list([])).not.toContain('data-unsure');
  });

  it('shows a confidence that rounds to 100 % or 0 % as "above 99%" or "below 1%", in the page language', () => {
    const id = list([0.998, 0.002, 0.0004]);
    expect(id).toContain('<strong>Pengaduan</strong> (keyakinan di atas 99%)');
    expect(id).toContain('<strong>Permintaan informasi</strong> (keyakinan di bawah 1%)');
    expect(id).toContain('<strong>Aspirasi</strong> (keyakinan di bawah 1%)');
    expect(id).not.toMatch(/keyakinan (100|0)%/);
    const en = list([0.9951, 0.0049], { lang: 'en' });
    expect(en).toContain('<strong>Pengaduan</strong> (confidence above 99%)');
    expect(en).toContain('<strong>Permintaan informasi</strong> (confidence below 1%)');
    // Just inside: shown as they are.
    expect(list([0.994, 0.006])).toContain('(keyakinan 99%)');
    expect(list([0.994, 0.006])).toContain('(keyakinan 1%)');
  });
});
