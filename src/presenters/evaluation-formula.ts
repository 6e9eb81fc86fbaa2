/**
 * An indicator's formula line in the reader's language, numbers formatted for it ("5 dari 8 admin aktif …",
 * "… = 12,5"). The result keeps its English `formula` line (published and hashed, docs/evaluation.md); its numbers
 * are read back (`formulaParts`) and worded with `eval.formula.*`. A line of no known form is shown as it is.
 */
import type { EvaluationResult } from '../domain/evaluation/evaluate.ts';
import { formulaParts } from '../domain/evaluation/scoring.ts';
import { LANGS, t, type Lang } from '../locales/index.ts';
import { formatNumber } from './number-format.ts';

/** The formula line of an indicator score, in `lang`. */
export function formulaText(lang: Lang, formula: string): string {
  const p = formulaParts(formula);
  if (!p) return formula;
  const n = (x: number) => formatNumber(x, lang, { max: 2 });
  switch (p.kind) {
    case 'volume_per_capita':
      return t(lang, 'eval.formula.volume_per_capita', {
        received: n(p.received),
        population: n(p.population),
        volume: n(p.volume),
        max: n(p.max),
      });
    case 'volume':
      return t(lang, 'eval.formula.volume', { received: n(p.received), max: n(p.max) });
    case 'rate':
      return t(lang, 'eval.formula.rate', {
        successes: n(p.successes),
        trials: n(p.trials),
        what: t(lang, `eval.formula.what.${p.indicator}`),
      });
    case 'admin_activity':
      return t(lang, 'eval.formula.admin_activity', { active: n(p.active), admins: n(p.admins) });
    case 'rubric':
      return p.scores.length
        ? t(lang, 'eval.formula.rubric', { n: p.scores.length, scores: p.scores.map(n).join('; ') })
        : t(lang, 'eval.formula.rubric_none');
  }
}

/**
 * Every formula line of a result worded in each language, keyed by the line itself (`formulaTexts[i.formula].id`).
 * The JSON answers (`GET …/results`, `…/preview`) carry it beside the result, never inside it: the result and its
 * English lines are what publishing hashes (`previewSha256`), and a line reads the same wherever it occurs.
 */
export function formulaTexts(result: EvaluationResult): Record<string, Record<Lang, string>> {
  const out: Record<string, Record<Lang, string>> = {};
  for (const g of result.groups)
    for (const r of g.results)
      for (const i of r.indicators)
        out[i.formula] ??= Object.fromEntries(LANGS.map((l) => [l, formulaText(l, i.formula)])) as Record<
          Lang,
          string
        >;
  return out;
}
