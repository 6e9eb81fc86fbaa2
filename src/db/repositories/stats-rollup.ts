/**
 * SQL fragments shared by the statistics roll-up writer (`refreshStats`) and reader (`src/queries/stats.ts`):
 * how the per-report facts and the roll-up rows are summed into the counter (`c`) and histogram (`h`)
 * vectors of `src/domain/stats/rollup.ts`.
 * Why: the writer and the reader must sum the same positions in the same order.
 */
import { sql, type SQL } from 'drizzle-orm';
import { COUNTERS, FACT_COUNTERS, HISTOGRAMS, HIST_LENGTH } from '../../domain/stats/rollup.ts';

/**
 * Roll-up scope of the public statistics: national, without confidential (rahasia) reports. It has the national
 * scope's grains (year, quarter, month, week, day); the public pages and `GET /api/v1/stats` read it, so no public
 * figure can be narrowed down to a confidential report (docs/statistics.md, "Confidential reports").
 */
export const PUBLIC_SCOPE = 'p*';

/** SQL `array[...]` summing the 1-based positions 1..n of array column `col` (times the sign column `s`). */
function sumArray(col: string, n: number, signed: boolean): SQL {
  const term = (i: number) => (signed ? `sum(s * ${col}[${i + 1}])` : `sum(${col}[${i + 1}])`);
  return sql.raw(`array[${Array.from({ length: n }, (_, i) => term(i)).join(', ')}]::int[]`);
}

/**
 * The summed counters (`c`) and histograms (`h`) of a set of facts (`counters`, `b_*` columns and an
 * `overdue` boolean in scope): the SQL twin of `factCounters` / `factBuckets` summed.
 */
export function factVectorsSql(): { c: SQL; h: SQL } {
  const c = Array.from({ length: FACT_COUNTERS }, (_, i) => `coalesce(sum(counters[${i + 1}]), 0)`);
  c.push('count(*) filter (where overdue)');
  const h: string[] = [];
  for (const [col, hist] of [
    ['b_follow_up', HISTOGRAMS.wdFollowUp],
    ['b_follow_up_hours', HISTOGRAMS.hoursFollowUp],
    ['b_completion', HISTOGRAMS.wdCompletion],
  ] as const) {
    for (let i = 0; i < hist.lows.length; i++) h.push(`count(*) filter (where ${col} = ${i})`);
  }
  if (c.length !== COUNTERS.length || h.length !== HIST_LENGTH) throw new Error('roll-up vector shape');
  return { c: sql.raw(`array[${c.join(', ')}]::int[]`), h: sql.raw(`array[${h.join(', ')}]::int[]`) };
}

/**
 * The roll-up rows' vectors summed over a GROUP BY; `signed`: each row has a sign column `s` (1, or -1
 * for rows the reader subtracts).
 */
export function rollupVectorsSql(signed = false): { c: SQL; h: SQL } {
  return { c: sumArray('c', COUNTERS.length, signed), h: sumArray('h', HIST_LENGTH, signed) };
}
