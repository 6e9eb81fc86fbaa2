/**
 * The back-office search export (`/kantor/cari.csv|.xlsx`): the filtered queue list as a table, written by the
 * statistics exports' writers (`toCsv`, `toXlsx`). Columns: tracking number, title, classification, category, region,
 * status (in the reader's language), handling agency, received (ISO 8601 in the report's zone), running deadline and
 * whether it is overdue. There is no reporter column of any kind: the file leaves the system, and an anonim
 * reporter's identity must never reach an agency role (the list itself carries none either).
 *
 * A file cut at the cap says so itself (docs/back-office.md "Search and export"): the XLSX has a second sheet
 * "Catatan"/"Notes" (rows in the file, reports matched, complete or cut, the filters by name: statuses in the file's
 * language, category, region and agency as the administration log names them), and both formats are named
 * `aduan-antrean-DATE-sebagian-ROWS-dari-TOTAL` (en: `partial-ROWS-of-TOTAL`) when cut. The CSV keeps no note row: a
 * trailing line that is not a report breaks every parser that reads it as data.
 */
import { has, t, type Lang } from '../locales/index.ts';
import { formatIsoInZone } from '../domain/deadline/calendar.ts';
import { SEARCH_FIELDS, type ExportRow, type SearchField } from '../queries/queue-search.ts';
import type { AuditNames } from '../queries/admin-audit-log.ts';
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

/** What an export holds: its rows against the reports matched, the cap, the filters, and when it was made. */
export interface QueueExportSummary {
  rows: number;
  total: number;
  truncated: boolean;
  cap: number;
  /** The search form's values (the free text included: the file is its reader's own). */
  filters: Partial<Record<SearchField, string>>;
  /** ISO 8601 in the zone the file is named in. */
  generatedAt: string;
  /** The current names of the filters' category, region and agency, as the administration log reads them. */
  names?: AuditNames | undefined;
}

/** The form's label of each field in a summary (`terlambat` is a flag: its label is the whole filter). */
const FILTER_LABEL: Record<SearchField, string> = {
  q: 'q',
  status: 'status',
  klasifikasi: 'classification',
  kategori: 'category',
  wilayah: 'region',
  instansi: 'agency',
  terlambat: 'overdue_only',
  dari: 'from',
  sampai: 'to',
};

/**
 * The filters of a search in words ("Status: Didisposisikan; Kategori: 12"), or "tanpa filter". `textWithheld`: a
 * free text was searched but is not given (the administration log never records it: it may name a reporter).
 * `nameOf`: the name to show for a filter's value (a category id, a region code, an agency id), null to show it as is.
 */
export function queueFilterSummary(
  lang: Lang,
  filters: Readonly<Record<string, unknown>>,
  textWithheld = false,
  nameOf: (field: SearchField, value: string) => string | null = () => null,
): string {
  const l = (key: string) => t(lang, `staff.queue.search.${key}`);
  const parts: string[] = [];
  for (const f of SEARCH_FIELDS) {
    const v = filters[f];
    if (f === 'q' && textWithheld) {
      parts.push(`${l('q')} ${l('text_withheld')}`);
      continue;
    }
    if (typeof v !== 'string' || v === '') continue;
    if (f === 'terlambat') {
      parts.push(l('overdue_only'));
      continue;
    }
    const key = f === 'status' ? `status.${v}` : f === 'klasifikasi' ? `web.classification.${v}` : null;
    const shown = key && has(lang, key) ? t(lang, key) : f === 'q' ? `"${v}"` : (nameOf(f, v) ?? v);
    parts.push(`${l(FILTER_LABEL[f])}: ${shown}`);
  }
  return parts.length ? parts.join('; ') : l('no_filter');
}

/** Which `AuditNames` list names each filter that holds an id or code. */
const NAMED_FILTERS: Partial<Record<SearchField, keyof AuditNames>> = {
  kategori: 'categories',
  wilayah: 'regions',
  instansi: 'agencies',
};

/**
 * The `nameOf` of `queueFilterSummary` from names looked up by `auditLogNames` (queries/admin-audit-log.ts), the one
 * lookup of the administration log and of the export's notes sheet: a category, region or agency by its current name,
 * `missing(id)` for one that no longer resolves; other fields (status, dates) as `queueFilterSummary` words them.
 */
export function filterNameOf(
  names: AuditNames,
  missing: (id: string) => string,
): (field: SearchField, value: string) => string | null {
  return (field, value) => {
    const kind = NAMED_FILTERS[field];
    return kind ? (names[kind][value] ?? missing(value)) : null;
  };
}

/** The download's file name, which names a cut file as such (`…-sebagian-10000-dari-12345.csv`). */
export function queueExportFileName(
  date: string,
  ext: 'csv' | 'xlsx',
  summary: QueueExportSummary,
  lang: Lang,
): string {
  const partial = summary.truncated
    ? `-${t(lang, 'staff.queue.export.file_partial', { rows: summary.rows, total: summary.total })}`
    : '';
  return `aduan-antrean-${date}${partial}.${ext}`;
}

/** The lines of the XLSX's notes sheet: what the file holds, whether it was cut, the filters, no reporter data. */
export function queueExportNotes(summary: QueueExportSummary, lang: Lang): Array<[string, string | number]> {
  const n = (key: string, params?: Record<string, string | number>) =>
    t(lang, `staff.queue.export.notes.${key}`, params);
  return [
    [n('generated'), summary.generatedAt],
    [n('rows'), summary.rows],
    [n('total'), summary.total],
    [
      n('complete'),
      summary.truncated
        ? n('cut', { cap: summary.cap, total: summary.total })
        : n('whole', { total: summary.total }),
    ],
    [
      n('filters'),
      queueFilterSummary(
        lang,
        summary.filters,
        false,
        summary.names ? filterNameOf(summary.names, (id) => id) : undefined,
      ),
    ],
    [n('privacy'), n('no_reporter')],
  ];
}

/** The rows as an XLSX workbook: the reports, then the notes sheet ("Catatan"/"Notes"). */
export function queueXlsx(
  rows: readonly ExportRow[],
  lang: Lang,
  summary: QueueExportSummary,
): Promise<Buffer> {
  return toXlsx(rows, queueExportColumns(lang), lang, t(lang, 'staff.queue.export.sheet'), {
    sheetName: t(lang, 'staff.queue.export.notes.sheet'),
    lines: queueExportNotes(summary, lang),
  });
}
