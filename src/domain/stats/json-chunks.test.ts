import { describe, expect, it } from 'vitest';
import { jsonChunks } from './json-chunks.ts';

const joined = (doc: Record<string, unknown>, key: string, batch?: number) =>
  [...jsonChunks(doc, key, batch)].join('');

describe('jsonChunks', () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ id: i, name: `r${i}`, tags: ['a', i], none: null }));

  it.each([1, 2, 3, 7, 1000])('batches of %i: exactly JSON.stringify', (batch) => {
    const doc = { schema: 'x/1', generatedAt: '2026-12-01', reports: rows, after: { n: 1 } };
    expect(joined(doc, 'reports', batch)).toBe(JSON.stringify(doc));
    expect([...jsonChunks(doc, 'reports', batch)].length).toBe(2 + 3 + 2 + Math.ceil(7 / batch));
  });

  it('left-out and null properties, undefined items, the array first or last or empty, text that needs escaping', () => {
    const docs: Record<string, unknown>[] = [
      { reports: rows, a: undefined, b: null, c: () => 1, d: 'kutip " dan \\ dan \u2028' },
      { a: 1, reports: [] },
      { a: undefined, reports: [undefined, 1, 'dua', null] },
      { reports: [{ v: undefined }], z: [undefined] },
      { other: 1 },
      { reports: 'not an array' },
      {},
    ];
    for (const doc of docs) expect(joined(doc, 'reports', 2)).toBe(JSON.stringify(doc));
  });
});
