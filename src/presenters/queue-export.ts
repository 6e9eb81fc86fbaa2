/**
 * The back-office search export (`/kantor/cari.csv|.xlsx`): the filtered queue list as a table, written by the
 * statistics exports' writers (`toCsv`, `toXlsx`). Columns: tracking number, title, classification, category, region,
 * status (in the reader's language), handling agency, received (ISO 8601 in the report's zone), running deadline and
 * whether it is overdue. There is no reporter column of any kind: the file leaves the system, and an anonim
 * reporter's identity must never reach an agency role (the list itself carries none either).
 */
import { t, type Lang } from '../locales/index.ts';
import { formatIsoInZone } from '../domain/deadline/calendar.ts';
import type { ExportRow } from '../queries/queue-search.ts';
import { reportZone } from './report.ts';
import { localeHeader, toCsv, toXlsx, type TableColumn } from './stats-table.ts';

const h = (key: string) => localeHeader(`staff.queue.export.${key}`);

/** The export's columns in a language (labels of statuses, classifications and yes/no come from the locales). */
export function queueExportColumns(lang: Lang): TableColumn<ExportRow>[] {
  return [
    { header: h('tracking'), value: (r) => r.report.row.trackingId },
    { header: h('title'), value: (r) => r.report.row.title },
    {
      header: h('classification'),
      value: (r) => t(lang, `web.classification.${r.report.row.classification}`),
    },
    { header: h('category'), value: (r) => r.categoryName },
    { header: h('region'), value: (r) => r.regionName ?? r.report.row.regionCode },
    { header: h('status'), value: (r) => t(lang, `status.${r.report.row.status}`) },
    {
      header: h('agency'),
      value: (r) => r.report.agency?.name ?? t(lang, 'staff.queue.unassigned'),
    },
    {
      header: h('created'),
      value: (r) => formatIsoInZone(r.report.row.createdAt, reportZone(r.report)),
    },
    { header: h('deadline'), value: (r) => r.badge?.dueAt ?? null },
    {
      header: h('overdue'),
      value: (r) => t(lang, r.badge?.state === 'overdue' ? 'web.common.yes' : 'web.common.no'),
    },
  ];
}

/** The rows as CSV (UTF-8, header line, text cells kept from running as formulas). */
export function queueCsv(rows: readonly ExportRow[], lang: Lang): string {
  return toCsv(rows, queueExportColumns(lang), lang);
}

/** The rows as an XLSX workbook with one sheet. */
export function queueXlsx(rows: readonly ExportRow[], lang: Lang): Promise<Buffer> {
  return toXlsx(rows, queueExportColumns(lang), lang, t(lang, 'staff.queue.export.sheet'));
}
