/**
 * Period parameters of the statistics pages and endpoints (docs/statistics.md): a parameter naming a period that the
 * page or endpoint does not take is refused rather than ignored.
 */
import { invalid } from '../app/errors.ts';

/**
 * Period parameters that a statistics page or endpoint does not take, with the one(s) it takes instead: a link or
 * script sending `/statistik?bulan=2026-03` (the yearly page) must not be answered, silently, with the whole year.
 */
export const PERIOD_PARAMS = ['tahun', 'bulan', 'year', 'month', 'from', 'to', 'dari', 'sampai'] as const;

/**
 * Throws 422 (`param_unused`, naming `use`) for each period parameter of `q` other than those in `takes`; an empty
 * value (a form field left blank) is no choice and passes.
 */
export function refuseUnusedPeriodParams(
  q: Record<string, unknown>,
  takes: readonly string[],
  use: string,
): void {
  const unused = PERIOD_PARAMS.filter((p) => !takes.includes(p) && q[p] !== undefined && q[p] !== '');
  if (unused.length)
    throw invalid(Object.fromEntries(unused.map((p) => [p, { key: 'param_unused', params: { use } }])));
}
