/** Date formatting for pages: ISO instants with an Indonesian offset shown in words, in the page language. */
import type { Lang } from '../locales/index.ts';

const ZONES: Record<string, [string, string]> = {
  '+07:00': ['Asia/Jakarta', 'WIB'],
  '+08:00': ['Asia/Makassar', 'WITA'],
  '+09:00': ['Asia/Jayapura', 'WIT'],
};

function zoneOf(iso: string): [string, string] {
  return ZONES[iso.slice(-6)] ?? ['Asia/Jakarta', 'WIB'];
}

/** "17 Maret 2026" / "17 March 2026", in the zone the ISO string's offset names. */
export function formatDate(iso: string | Date, lang: Lang): string {
  const s = typeof iso === 'string' ? iso : iso.toISOString();
  const [tz] = zoneOf(s);
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'long',
    timeZone: tz,
  }).format(new Date(s));
}

/** "12 Maret 2026 10.00 WITA". */
export function formatDateTime(iso: string, lang: Lang): string {
  const [tz, label] = zoneOf(iso);
  const text = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: tz,
  }).format(new Date(iso));
  return `${text} ${label}`;
}

/** "120 m" / "1,2 km" (id) or "1.2 km" (en): metres below 1 km, else kilometres to one decimal. */
export function formatDistance(metres: number, lang: Lang): string {
  const locale = lang === 'id' ? 'id-ID' : 'en-GB';
  return metres < 1000
    ? new Intl.NumberFormat(locale, { style: 'unit', unit: 'meter' }).format(Math.round(metres))
    : new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(
        metres / 1000,
      );
}
