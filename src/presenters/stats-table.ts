/**
 * Flattens statistics rows into a table (columns with Indonesian/English headers) and renders it as
 * CSV (csv-stringify) or XLSX (exceljs). Every dashboard table is exported through here.
 * Why: one column definition for the page, the CSV and the spreadsheet.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { StatsIndicators } from '../domain/stats/aggregate.ts';
import type { Lang } from '../locales/index.ts';

/** A row of a statistics table: a key and label plus the indicators. */
export type StatsTableRow = StatsIndicators & { key: string; label: string };

/** One exported column. */
export interface TableColumn<T> {
  header: Record<Lang, string>;
  value: (row: T) => string | number | boolean | null;
}

/** The columns of every statistics table. */
export const STATS_COLUMNS: TableColumn<StatsTableRow>[] = [
  { header: { id: 'Kunci', en: 'Key' }, value: (r) => r.key },
  { header: { id: 'Nama', en: 'Name' }, value: (r) => r.label },
  { header: { id: 'Diterima', en: 'Received' }, value: (r) => r.received },
  { header: { id: 'Diverifikasi', en: 'Verified' }, value: (r) => r.verified },
  { header: { id: 'Verifikasi tepat waktu', en: 'Verified on time' }, value: (r) => r.verifiedOnTime },
  { header: { id: 'Didisposisikan', en: 'Dispatched' }, value: (r) => r.dispatched },
  { header: { id: 'Dikembalikan (salah sasaran)', en: 'Returned (misrouted)' }, value: (r) => r.returned },
  {
    header: { id: 'Hari kerja hilang karena salah sasaran', en: 'Working days lost to misrouting' },
    value: (r) => r.misroutedWorkingDays,
  },
  {
    header: { id: 'Ditindaklanjuti tepat waktu', en: 'Followed up on time' },
    value: (r) => r.followedUpOnTime,
  },
  { header: { id: 'Selesai', en: 'Completed' }, value: (r) => r.completed },
  { header: { id: 'Tingkat penyelesaian', en: 'Completion rate' }, value: (r) => r.completionRate },
  { header: { id: 'Terlambat saat ini', en: 'Overdue now' }, value: (r) => r.overdue },
  {
    header: { id: 'Median jam ke tindak lanjut', en: 'Median hours to follow-up' },
    value: (r) => r.medianHoursToFollowUp,
  },
  {
    header: { id: 'Median hari kerja ke tindak lanjut', en: 'Median working days to follow-up' },
    value: (r) => r.medianWorkingDaysToFollowUp,
  },
  {
    header: { id: 'P90 hari kerja ke tindak lanjut', en: 'P90 working days to follow-up' },
    value: (r) => r.p90WorkingDaysToFollowUp,
  },
  {
    header: { id: 'Median hari kerja ke selesai', en: 'Median working days to completion' },
    value: (r) => r.medianWorkingDaysToCompletion,
  },
  {
    header: { id: 'P90 hari kerja ke selesai', en: 'P90 working days to completion' },
    value: (r) => r.p90WorkingDaysToCompletion,
  },
  { header: { id: 'Rata-rata penilaian', en: 'Mean rating' }, value: (r) => r.satisfaction.meanRating },
  { header: { id: 'Porsi sanggahan', en: 'Dispute share' }, value: (r) => r.satisfaction.disputeShare },
  { header: { id: 'Dibuka kembali', en: 'Reopened' }, value: (r) => r.reopened },
];

/** Renders rows as CSV with a header line (UTF-8, RFC 4180). */
export function toCsv<T>(rows: readonly T[], columns: readonly TableColumn<T>[], lang: Lang): string {
  return stringify([
    columns.map((c) => c.header[lang]),
    ...rows.map((r) => columns.map((c) => c.value(r) ?? '')),
  ]);
}

/** Renders rows as an XLSX workbook with one sheet. */
export async function toXlsx<T>(
  rows: readonly T[],
  columns: readonly TableColumn<T>[],
  lang: Lang,
  sheetName: string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'aduan';
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.addRow(columns.map((c) => c.header[lang]));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r)));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
