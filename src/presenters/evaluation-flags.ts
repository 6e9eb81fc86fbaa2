/** A participant's evaluation flags in words, for the public results page and the results XLSX alike. */
import { t, type Lang } from '../locales/index.ts';

/**
 * "below the minimum volume, not ranked; not assessed yet: Innovation, …": the flags of a participant's result
 * (`eval.flag.*`), the rubric indicators without an assessment (`no_assessment:<indicator>`) named together.
 */
export function flagWords(lang: Lang, flags: readonly string[]): string {
  const missing = flags
    .filter((f) => f.startsWith('no_assessment:'))
    .map((f) => t(lang, `eval.indicator.${f.split(':')[1]}`));
  const other = flags.filter((f) => !f.startsWith('no_assessment:')).map((f) => t(lang, `eval.flag.${f}`));
  return [
    ...other,
    ...(missing.length ? [`${t(lang, 'eval.flag.no_assessment')}: ${missing.join(', ')}`] : []),
  ].join('; ');
}
