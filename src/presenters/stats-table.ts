/**
 * Flattens statistics rows into a table (columns with Indonesian/English headers) and renders it as
 * CSV (csv-stringify) or XLSX (exceljs). Every dashboard table is exported through here.
 * Why: one column definition for the page, the CSV and the spreadsheet. The page shows rates; the export gives each
 * rate with its numerator and denominator, so a reader can rebuild (and sum) them, plus the page's totals row.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { StatsIndicators } from '../domain/stats/aggregate.ts';
import { t, type Lang } from '../locales/index.ts';
import type { StatsGroupBy } from '../queries/stats.ts';

/** A row of a statistics table: a key and label plus the indicators. */
export type StatsTableRow = StatsIndicators & { key: string; label: string };

/** One exported column. */
export interface TableColumn<T> {
  header: Record<Lang, string>;
  value: (row: T) => string | number | boolean | null;
}

/**
 * A column header from the locale catalogs in both languages (`stats.ind.*`: the page's own column names,
 * `stats.export.*`: export only; `eval.*` for the evaluation results).
 */
export const localeHeader = (key: string): Record<Lang, string> => ({ id: t('id', key), en: t('en', key) });
const header = localeHeader;

/** A rate (0–1) as a percentage with two decimals (0.4375 → 43.75); the page rounds the same rate to 44 %. */
export function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 10_000) / 100;
}

const OVERDUE_COLUMN: TableColumn<StatsTableRow> = {
  header: header('stats.ind.overdue'),
  value: (r) => r.overdue,
};

/**
 * The columns of every statistics table, in the order of the page's columns (`ALL_INDICATOR_COLUMNS`). Each rate the
 * page shows comes as numerator, denominator and percentage (`(jumlah)`, the denominator, `(%)`):
 * verified on time / verifications due or measured, followed up on time / follow-ups due or measured,
 * completed / verified, disputed / (rated + disputed).
 */
export const STATS_COLUMNS: TableColumn<StatsTableRow>[] = [
  { header: header('stats.export.key'), value: (r) => r.key },
  { header: header('stats.export.name'), value: (r) => r.label },
  { header: header('stats.ind.received'), value: (r) => r.received },
  { header: header('stats.ind.verified'), value: (r) => r.verified },
  { header: header('stats.export.verified_on_time_count'), value: (r) => r.verifiedOnTimeRate.successes },
  { header: header('stats.export.verification_due'), value: (r) => r.verifiedOnTimeRate.trials },
  { header: header('stats.export.verified_on_time_pct'), value: (r) => percent(r.verifiedOnTimeRate.rate) },
  { header: header('stats.ind.dispatched'), value: (r) => r.dispatched },
  { header: header('stats.ind.returned'), value: (r) => r.returned },
  { header: header('stats.ind.misrouted_days'), value: (r) => r.misroutedWorkingDays },
  {
    header: header('stats.export.followed_up_on_time_count'),
    value: (r) => r.followedUpOnTimeRate.successes,
  },
  { header: header('stats.export.follow_up_due'), value: (r) => r.followedUpOnTimeRate.trials },
  {
    header: header('stats.export.followed_up_on_time_pct'),
    value: (r) => percent(r.followedUpOnTimeRate.rate),
  },
  { header: header('stats.ind.completed'), value: (r) => r.completed },
  { header: header('stats.export.completion_rate_pct'), value: (r) => percent(r.completionRate) },
  OVERDUE_COLUMN,
  { header: header('stats.export.median_hours_follow_up'), value: (r) => r.medianHoursToFollowUp },
  { header: header('stats.ind.median_days_follow_up'), value: (r) => r.medianWorkingDaysToFollowUp },
  { header: header('stats.ind.p90_days_follow_up'), value: (r) => r.p90WorkingDaysToFollowUp },
  { header: header('stats.ind.median_days_completion'), value: (r) => r.medianWorkingDaysToCompletion },
  { header: header('stats.ind.p90_days_completion'), value: (r) => r.p90WorkingDaysToCompletion },
  { header: header('stats.ind.mean_rating'), value: (r) => r.satisfaction.meanRating },
  { header: header('stats.export.ratings'), value: (r) => r.satisfaction.ratings },
  { header: header('stats.export.disputed'), value: (r) => r.satisfaction.disputed },
  {
    header: header('stats.export.rated_or_disputed'),
    value: (r) => r.satisfaction.ratings + r.satisfaction.disputed,
  },
  { header: header('stats.export.dispute_share_pct'), value: (r) => percent(r.satisfaction.disputeShare) },
  { header: header('stats.ind.reopened'), value: (r) => r.reopened },
];

/**
 * The staff exports' columns (`/kantor/statistik.csv|.xlsx`): the page's columns, so `STATS_COLUMNS` plus the reports
 * handed to the Ombudsman after "overdue", as on the staff dashboard (`STAFF_INDICATOR_COLUMNS`).
 */
export const STAFF_STATS_COLUMNS: TableColumn<StatsTableRow>[] = STATS_COLUMNS.flatMap((c) =>
  c === OVERDUE_COLUMN
    ? [c, { header: header('stats.ind.transferred'), value: (r: StatsTableRow) => r.transferred }]
    : [c],
);

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** "Maret 2026" for `2026-03` ("Mar" with `short`), in the page language. */
export function monthName(lang: Lang, month: string, short = false): string {
  const locale = lang === 'id' ? 'id-ID' : 'en-GB';
  const key = `${locale}|${short}`;
  let f = monthFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      month: short ? 'short' : 'long',
      ...(short ? {} : { year: 'numeric' }),
    });
    monthFormats.set(key, f);
  }
  return f.format(new Date(`${month}-01T00:00:00Z`));
}

/**
 * The name a statistics page shows for a group: the month ("Maret 2026"), the classification or channel name,
 * "(tanpa)" for the reports without an agency, category or region (key `-`), else the group's label.
 */
export function statsRowLabel(groupBy: StatsGroupBy, key: string, label: string, lang: Lang): string {
  if (groupBy === 'month') return monthName(lang, key);
  if (groupBy === 'classification') return t(lang, `web.classification.${key}`);
  if (groupBy === 'channel') return t(lang, `stats.channel.${key}`);
  return key === '-' ? t(lang, 'stats.none') : label;
}

/** What a statistics table is built from (`StatsResult` of the API or a dashboard). */
export interface StatsTableSource {
  groupBy: StatsGroupBy;
  items: readonly (StatsIndicators & { key: string; label: string })[];
  totals: StatsIndicators;
}

/** The rows of an exported table: the groups with the page's names, then the totals row ("Jumlah", empty key). */
export function statsTableRows(r: StatsTableSource, lang: Lang): StatsTableRow[] {
  const rows: StatsTableRow[] = r.items.map((i) => ({
    ...i,
    label: statsRowLabel(r.groupBy, i.key, i.label, lang),
  }));
  rows.push({ ...r.totals, key: '', label: t(lang, 'stats.total') });
  return rows;
}

/** A statistics table as CSV (`STATS_COLUMNS`, or the staff columns, totals row last). */
export function statsCsv(
  r: StatsTableSource,
  lang: Lang,
  columns: readonly TableColumn<StatsTableRow>[] = STATS_COLUMNS,
): string {
  return toCsv(statsTableRows(r, lang), columns, lang);
}

/** A statistics table as XLSX (the same header and cells as `statsCsv`). */
export function statsXlsx(
  r: StatsTableSource,
  lang: Lang,
  sheetName: string,
  columns: readonly TableColumn<StatsTableRow>[] = STATS_COLUMNS,
): Promise<Buffer> {
  return toXlsx(statsTableRows(r, lang), columns, lang, sheetName);
}

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `@`, a tab or carriage return, or `-` followed by
 * anything) gets a leading apostrophe, so an agency or category named `=HYPERLINK(…)` stays text when the CSV is
 * opened in Excel or LibreOffice. Numbers (negative ones included) and a lone `-` are left as they are.
 */
export function csvSafe(v: string | number | boolean | null): string | number | boolean {
  if (v === null) return '';
  if (typeof v !== 'string') return v;
  return /^[=+@\t\r]|^-./s.test(v) ? `'${v}` : v;
}

/** Renders rows as CSV with a header line (UTF-8, RFC 4180), text cells kept from running as formulas. */
export function toCsv<T>(rows: readonly T[], columns: readonly TableColumn<T>[], lang: Lang): string {
  return stringify([
    columns.map((c) => csvSafe(c.header[lang])),
    ...rows.map((r) => columns.map((c) => csvSafe(c.value(r)))),
  ]);
}

/** A second sheet of plain label/value lines about the export (e.g. the queue export's "Catatan"/"Notes"). */
export interface XlsxNotes {
  sheetName: string;
  lines: ReadonlyArray<readonly [string, string | number]>;
}

/** Renders rows as an XLSX workbook with one sheet, and a notes sheet after it when `notes` is given. */
export async function toXlsx<T>(
  rows: readonly T[],
  columns: readonly TableColumn<T>[],
  lang: Lang,
  sheetName: string,
  notes?: XlsxNotes,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'aduan';
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.addRow(columns.map((c) => c.header[lang]));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r)));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  if (notes) {
    const ns = wb.addWorksheet(notes.sheetName.slice(0, 31));
    for (const [label, value] of notes.lines) ns.addRow([label, value]);
    ns.getColumn(1).font = { bold: true };
    ns.getColumn(1).width = 28;
    ns.getColumn(2).width = 100;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
