/**
 * The public statistics charts write numbers in the page language (fresh-eyes QA): on the English page 1500 reports
 * read "1,500", not the Indonesian "1.500" (which an English reader takes for one and a half). The charts' axis, map
 * legend and map titles, rendered as the pages render them.
 */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { emptyAcc, indicatorsOf } from '../../domain/stats/aggregate.ts';
import { kabKotaBoundaries } from '../../queries/boundaries.ts';
import type { StatsResult, StatsRow } from '../../queries/stats.ts';
import type { RegionFeature } from '../charts/svg-charts.tsx';
import { makeContext } from '../context.ts';
import { MapSection, MonthsSection } from './stats-page.tsx';

const row = (key: string, received: number): StatsRow => ({
  ...indicatorsOf(emptyAcc(), 0),
  key,
  label: key,
  parentKey: null,
  received,
  completed: received - 300,
});

const result = (items: StatsRow[]): StatsResult => ({
  groupBy: 'month',
  from: '2026-01-01',
  to: '2026-03-31',
  refreshedAt: null,
  totals: indicatorsOf(emptyAcc(), 0),
  items,
});

/** The text inside the SVG charts only (the tables already format numbers per language). */
const chartText = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]).join('\n');

describe('statistics charts write numbers in the page language', () => {
  for (const [lang, thousand, wrong] of [
    ['en', '1,500', '1.500'],
    ['id', '1.500', '1,500'],
  ] as const) {
    it(`${lang}: month chart axis, map legend and titles`, () => {
      const ctx = makeContext(lang);
      const months = renderToString(
        <MonthsSection ctx={ctx} id="bulan" months={result([row('2026-01', 1500), row('2026-02', 900)])} />,
      );
      const map = renderToString(
        <MapSection
          ctx={ctx}
          id="peta"
          regions={result([row('64.72', 1500), row('64.71', 1200)])}
          features={kabKotaBoundaries('64') as unknown as RegionFeature[]}
          provinceName="Kalimantan Timur"
          province="64"
        />,
      );
      const svg = chartText(months + map);
      expect(svg).toContain(thousand);
      expect(svg).not.toContain(wrong);
    });
  }
});
