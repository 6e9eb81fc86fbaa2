/** The verify queue's suggestion cell marks an unsure top suggestion, as the verification screen does. */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../context.ts';
import { SuggestionCell } from './queue-page.tsx';

const cell = (confidence: number, lang: 'id' | 'en' = 'id') =>
  renderToString(
    <table>
      <tbody>
        <tr>
          <SuggestionCell
            ctx={makeContext(lang)}
            suggestion={{ id: 'pupr-kaltim', name: 'Dinas PUPR', confidence }}
          />
        </tr>
      </tbody>
    </table>,
  );

describe('SuggestionCell', () => {
  it('marks a top suggestion below 60 % as unsure, in the page language', () => {
    expect(cell(0.42)).toContain('(keyakinan 42%)');
    expect(cell(0.42)).toMatch(/data-unsure="agency"[^>]*>belum pasti</);
    expect(cell(0.59, 'en')).toMatch(/data-unsure="agency"[^>]*>not sure</);
  });

  it('does not mark a sure one', () => {
    expect(cell(0.6)).not.toContain('data-unsure');
    // As shown: 59.6 % reads 60 %, so it is not marked; 59.4 % reads 59 % and is.
    expect(cell(0.596)).not.toContain('data-unsure');
    expect(cell(0.594)).toContain('data-unsure');
    expect(cell(0.96)).not.toContain('data-unsure');
  });

  it('never shows a confidence as a certainty', () => {
    expect(cell(0.998)).toContain('(keyakinan di atas 99%)');
    expect(cell(0.994)).toContain('(keyakinan 99%)');
    expect(cell(1, 'en')).toContain('(confidence above 99%)');
    expect(cell(0.998)).not.toContain('100%');
  });
});
