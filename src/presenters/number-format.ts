/**
 * Numbers in the page language: "1.234,5" in Indonesian, "1,234.5" in English (Intl.NumberFormat, id-ID / en-GB).
 * Why: a decimal written by `toFixed` ("0.00") reads wrong on an Indonesian page.
 */
import type { Lang } from '../locales/index.ts';

// Intl formatters are costly to create (ICU); a page formats hundreds of numbers, so each is made once.
const formats = new Map<string, Intl.NumberFormat>();

/**
 * `value` with `min`–`max` decimals (default: as many as needed up to 3, none forced) and the language's grouping;
 * '–' for null.
 */
export function formatNumber(
  value: number | null | undefined,
  lang: Lang,
  digits: { min?: number; max?: number } = {},
): string {
  if (value === null || value === undefined) return '–';
  const locale = lang === 'id' ? 'id-ID' : 'en-GB';
  const min = digits.min ?? 0;
  const max = Math.max(min, digits.max ?? 3);
  const key = `${locale}|${min}|${max}`;
  let f = formats.get(key);
  if (!f)
    formats.set(
      key,
      (f = new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max })),
    );
  return f.format(value);
}

/** A score or total with exactly two decimals, as the evaluation pages show them ("85,25" / "85.25"). */
export function formatScore(value: number, lang: Lang): string {
  return formatNumber(value, lang, { min: 2, max: 2 });
}
