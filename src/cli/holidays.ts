/**
 * National holidays for a year the SKB 3 Menteri has not set yet, from the operator's shell (trusted: national admin):
 *   aduan holidays load --year 2027 [--dry-run] [--json] [--lang id|en]
 *       the certain dates (fixed by law or by Easter) as confirmed and the bundled predictions as tentative, never
 *       overwriting an entry already there; running deadlines are recomputed (src/commands/manage-holidays.ts).
 *   aduan holidays confirm --year 2027 [--date YYYY-MM-DD] [--lang id|en]
 *       once the SKB is out: confirms the predictions of the year, or the one on --date.
 * Messages are in --lang (default id); refusals name the option and say why in Bahasa Indonesia and English.
 */
import type { Runtime } from '../runtime.ts';
import { systemCaller } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { confirmHolidays, loadHolidayYear } from '../commands/manage-holidays.ts';
import { isCalendarDate } from '../domain/shared/dates.ts';
import { t, type Lang } from '../locales/index.ts';
import type { ParsedArgs } from './args.ts';
import { issueBoth } from './agencies.ts';

const FLAG: Record<string, string> = { year: '--year', date: '--date' };

/** Runs `aduan holidays <sub>` (arguments already checked against src/cli/commands.ts); returns the exit code. */
export async function holidaysCli(
  sub: string,
  { values: v }: ParsedArgs,
  open: () => Promise<Runtime>,
): Promise<number> {
  const lang: Lang = v.lang === 'en' ? 'en' : 'id';
  const fail = (field: string, issue: Parameters<typeof issueBoth>[0]) => {
    console.error(`aduan holidays ${sub}: ${FLAG[field] ?? field}: ${issueBoth(issue)}`);
    return 1;
  };
  if (v.lang !== undefined && v.lang !== 'id' && v.lang !== 'en')
    return fail('--lang', { key: 'one_of', params: { options: 'id, en' } });
  const rawYear = typeof v.year === 'string' ? v.year : '';
  const year = /^\d{4}$/.test(rawYear) ? Number(rawYear) : Number.NaN;
  if (!(year >= 2000 && year <= 2100))
    return fail('year', { key: 'between', params: { min: 2000, max: 2100 } });
  const date = typeof v.date === 'string' ? v.date : undefined;
  if (date !== undefined && (!isCalendarDate(date) || !date.startsWith(`${year}-`)))
    return fail('date', { key: 'invalid_date' });
  const rt = await open();
  const svc = rt.services;
  const caller = systemCaller('cli');
  try {
    if (sub === 'load') {
      const dryRun = v['dry-run'] === true;
      const r = await loadHolidayYear(svc, caller, { year, dryRun });
      if (v.json) {
        console.log(JSON.stringify({ ...r, dryRun }));
        return 0;
      }
      const mark = t(lang, 'admin.calendar.tentative');
      for (const h of r.added) console.log([h.date, h.kind, h.tentative ? mark : '-', h.name].join('\t'));
      const tentative = r.added.filter((h) => h.tentative).length;
      console.log(
        dryRun
          ? t(lang, 'admin.calendar.cli_dry_run', { n: r.added.length, tentative, kept: r.kept.length })
          : t(lang, 'admin.calendar.loaded', { n: r.added.length, tentative, moved: r.recomputed }),
      );
      return 0;
    }
    const r = await confirmHolidays(svc, caller, { year, date });
    for (const d of r.confirmed) console.log(d);
    console.log(t(lang, 'admin.calendar.confirmed', { n: r.confirmed.length, moved: r.recomputed }));
    return 0;
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      for (const [field, issue] of Object.entries(err.fields)) fail(field, issue);
      return 1;
    }
    if (err instanceof AppError && err.code === 'NOT_FOUND' && date) {
      console.error(
        `aduan holidays ${sub}: --date: ${t(lang, 'admin.calendar.cli_no_prediction', { date })}`,
      );
      return 1;
    }
    throw err;
  } finally {
    await rt.close();
  }
}
