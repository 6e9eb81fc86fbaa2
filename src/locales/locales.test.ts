/**
 * Both languages are complete: this test fails when a key exists in one catalog and not in the other, when a
 * value is empty, or when a page or route uses a literal key (`t('web.home.title')`, `t(lang, 'errors.…')`)
 * that is missing in either language (`t()` would otherwise fall back silently to Indonesian or the key).
 * `npm run locales` (scripts/check-locales.ts) runs the first check in CI's static stage as well.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allKeys, has, LANGS, t } from './index.ts';

const ROOT = new URL('../', import.meta.url).pathname;

/** Keys of `a` missing from `b`. */
function missing(a: string[], b: string[]): string[] {
  const set = new Set(b);
  return a.filter((k) => !set.has(k));
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

describe('locales', () => {
  it('id and en have exactly the same keys, and no value is empty', () => {
    const id = allKeys('id');
    const en = allKeys('en');
    expect(missing(id, en), 'keys missing in en').toEqual([]);
    expect(missing(en, id), 'keys missing in id').toEqual([]);
    for (const lang of LANGS) {
      const empty = allKeys(lang).filter((k) => t(lang, k).trim() === '');
      expect(empty, `empty values in ${lang}`).toEqual([]);
    }
  });

  it('the comparison really fails on a key missing in either language', () => {
    const id = allKeys('id');
    const dropped = id[Math.floor(id.length / 2)]!;
    expect(
      missing(
        id,
        id.filter((k) => k !== dropped),
      ),
    ).toEqual([dropped]);
    expect(
      missing(
        id.filter((k) => k !== dropped),
        id,
      ),
    ).toEqual([]);
  });

  it('English counts of one read in the singular (`_one`), other counts and Indonesian unchanged', () => {
    expect(t('en', 'web.feed.count', { n: 1 })).toBe('1 report');
    expect(t('en', 'web.feed.count', { n: 2 })).toBe('2 reports');
    expect(t('en', 'web.feed.supports', { n: 1 })).toBe('1 support');
    expect(t('en', 'web.report.similar_notice', { n: 1 })).toBe(
      '1 similar report is still being handled near you.',
    );
    expect(t('en', 'staff.deadline.left_calendar', { n: 1 })).toBe('1 day left');
    // A tracking id is not a count: only the count of supporters picks the singular.
    expect(t('en', 'staff.report.merged_from', { id: '1234567890', n: 1 })).toBe(
      'Merged from report 1234567890 (1 supporter moved)',
    );
    expect(t('en', 'staff.report.merged_from', { id: '1234567890', n: 3 })).toBe(
      'Merged from report 1234567890 (3 supporters moved)',
    );
    expect(t('id', 'web.feed.count', { n: 1 })).toBe('1 laporan');
  });

  it('every literal key used by views and routes exists in both languages', () => {
    const re = /\bt\(\s*(?:[\w.]+,\s*)?'([a-z_0-9]+(?:\.[a-zA-Z_0-9]+)+)'/g;
    let seen = 0;
    const absent: string[] = [];
    for (const dir of ['views', 'http', 'presenters']) {
      for (const file of sourceFiles(join(ROOT, dir))) {
        for (const m of readFileSync(file, 'utf8').matchAll(re)) {
          seen++;
          for (const lang of LANGS)
            if (!has(lang, m[1]!)) absent.push(`${lang} ${file.slice(ROOT.length)}: ${m[1]}`);
        }
      }
    }
    expect(seen, 'the scan finds the keys the pages use').toBeGreaterThan(500);
    expect(absent).toEqual([]);
  });
});
