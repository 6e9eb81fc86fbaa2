/**
 * The holiday-calendar warning as a calendar keeper reads it (admin home, calendar page, queue). The national admin,
 * who alone may load and confirm national holidays, reads the domain's text, which says to do it; a coordinator
 * reads the same situation from src/locales with a request to ask the national admin instead.
 */
import type { CalendarWarning } from '../domain/deadline/calendar.ts';
import { t, type Lang } from '../locales/index.ts';

/** The warning text for a caller with `grants`, in `lang`; null without a warning. */
export function calendarWarningText(
  warning: CalendarWarning | null | undefined,
  grants: ReadonlyArray<{ role: string }>,
  lang: Lang,
): string | null {
  if (!warning) return null;
  if (grants.some((g) => g.role === 'national_admin')) return warning.message[lang];
  const situation = t(lang, `admin.calendar.coordinator_warning.${warning.state}`, { year: warning.year });
  const ask = t(
    lang,
    warning.state === 'unconfirmed'
      ? 'admin.calendar.coordinator_warning.ask_confirm'
      : 'admin.calendar.coordinator_warning.ask_load',
  );
  return `${situation} ${ask}`;
}
