/**
 * Records a download of the back-office queue's search results (`/kantor/cari.csv|.xlsx`) in the administration log
 * (`export.queue`, docs/security.md "Administration audit log"): a bulk export takes many reports out of the system at
 * once, so who took which list, when, and how many rows is answerable afterwards.
 *
 * The entry holds the format, the rows written, the reports matched, whether the file was cut at the cap, the sort and
 * the filters as validated ids and codes. Never the free text: what was typed may be a reporter's name, phone or NIK,
 * or words of a report, so only the fact that a text was searched (`textSearch`) is kept. No report content, no
 * tracking numbers and nothing of a reporter.
 */
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { Actor } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';

/** One finished export, as the route made it. */
export interface QueueExportRecord {
  format: 'csv' | 'xlsx';
  /** The search form's validated values, keyed by their query-string names (`q` is dropped here). */
  filters: Readonly<Record<string, string | undefined>>;
  sort?: string | undefined;
  rows: number;
  total: number;
  truncated: boolean;
}

/**
 * The agency the entry is filed under, so that the coordinator of the exporter's region reads it: none (national)
 * for a national admin, else the agency of the exporter's first coordinator, agency admin or officer grant.
 */
export function exporterAgency(actor: Actor): string | null {
  if (actor.grants.some((g) => g.role === 'national_admin')) return null;
  const staff = actor.grants.find(
    (g) => (g.role === 'coordinator' || g.role === 'agency_admin' || g.role === 'officer') && g.agencyId,
  );
  return staff?.agencyId ?? null;
}

/** Appends the export's entry; throws (and the route sends no file) when the log cannot be written. */
export async function recordQueueExport(
  svc: Services,
  caller: Caller,
  record: QueueExportRecord,
): Promise<void> {
  const filters: Record<string, string> = {};
  for (const [k, v] of Object.entries(record.filters)) if (k !== 'q' && v) filters[k] = v;
  await recordAdminAction(svc.db, caller, {
    action: 'export.queue',
    targetType: 'queue',
    targetId: record.format,
    agencyId: exporterAgency(caller.actor),
    details: {
      format: record.format,
      rows: record.rows,
      total: record.total,
      truncated: record.truncated,
      filters,
      textSearch: !!record.filters.q,
      sort: record.sort ?? null,
    },
    at: svc.now(),
  });
}
