/**
 * Records a download of the back-office queue's search results (`/kantor/cari.csv|.xlsx`) in the administration log
 * (`export.queue`, docs/security.md "Administration audit log"): a bulk export takes many reports out of the system at
 * once, so who took which list, when, and how many rows is answerable afterwards.
 *
 * The entry holds the format, the rows written, the reports matched, whether the file was cut at the cap, the sort and
 * the filters as validated ids and codes. Never the free text: what was typed may be a reporter's name, phone or NIK,
 * or words of a report, so only the fact that a text was searched (`textSearch`) is kept. No report content, no
 * tracking numbers and nothing of a reporter.
 *
 * It is filed under the grant the download was made in (`exportFiling`), so that the coordinator of that scope reads
 * it: a person with several staff grants searches all of them at once, and the reports the search matched tell which.
 */
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { AuditRefSource } from '../domain/admin/audit-actions.ts';
import type { Actor, RoleGrant } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import type { ReportFilters } from '../queries/reports.ts';
import { searchGrantShares, type GrantShare } from '../queries/queue-search.ts';

/** One finished export, as the route made it. */
export interface QueueExportRecord {
  format: 'csv' | 'xlsx';
  /** The search form's validated values, keyed by their query-string names (`q` is dropped here). */
  filters: Readonly<Record<string, string | undefined>>;
  /** The same search as the export ran it (to tell which of the exporter's grants its reports lie in). */
  search: ReportFilters;
  sort?: string | undefined;
  rows: number;
  total: number;
  truncated: boolean;
}

/** The grants a queue download can be made in (the staff queue's roles). */
const STAFF_ROLES: ReadonlySet<string> = new Set([
  'national_admin',
  'coordinator',
  'agency_admin',
  'officer',
]);

/** Whether a grant gives a back-office queue of its own. */
export function isQueueGrant(g: RoleGrant): boolean {
  return STAFF_ROLES.has(g.role) && !g.ombudsmanOffice;
}

/** Narrower first: an agency grant deeper in its tree, then a coordinator of a smaller region; national last. */
function narrowness(g: RoleGrant): number {
  if (g.role === 'national_admin') return 0;
  if (g.role === 'coordinator') return 10 + (g.regionCode?.split('.').length ?? 0);
  return 100 + (g.agencyPath?.length ?? 0);
}

/** The agency an entry made in a grant is filed under: none (national) for the national admin. */
const agencyOf = (g: RoleGrant): string | null => (g.role === 'national_admin' ? null : g.agencyId);

/** Where an entry is filed: its agency, and every agency of the exporter's grants its reports lie in when several. */
export interface ExportFiling {
  agencyId: string | null;
  /** Set only when no single grant holds every report of the download (the grants' agencies, most reports first). */
  grantAgencies: string[];
}

/**
 * The grant a download was made in, from how many of the matched reports (`total`) lie in each staff grant's own
 * scope: the narrowest grant that holds all of them (an officer's unit before its province's coordinator, and both
 * before the national admin). A download that no single grant holds (a search over two grants' reports) is filed
 * under the grant with the most of them and lists every grant's agency that has some (`grantAgencies`), so each of
 * their coordinators reads it. A download matching nothing is filed under the narrowest grant.
 */
export function exportFiling(shares: readonly GrantShare[], total: number): ExportFiling {
  const narrowFirst = [...shares].sort((a, b) => narrowness(b.grant) - narrowness(a.grant));
  const whole = narrowFirst.find((s) => s.reports >= total);
  if (whole || !narrowFirst.length)
    return { agencyId: whole ? agencyOf(whole.grant) : null, grantAgencies: [] };
  const parts = narrowFirst.filter((s) => s.reports > 0).sort((a, b) => b.reports - a.reports);
  const agencies = [...new Set(parts.map((s) => agencyOf(s.grant)).filter((a): a is string => !!a))];
  return { agencyId: agencyOf(parts[0]!.grant), grantAgencies: agencies };
}

/** The staff grants of an actor (those a queue download can be made in). */
function queueGrants(actor: Actor): RoleGrant[] {
  return actor.grants.filter(isQueueGrant);
}

/**
 * Appends the export's entry; throws (and the route sends no file) when the log cannot be written. Returns what was
 * written (for naming the filters as the log names them, `auditLogNames`).
 */
export async function recordQueueExport(
  svc: Services,
  caller: Caller,
  record: QueueExportRecord,
): Promise<AuditRefSource> {
  const filters: Record<string, string> = {};
  for (const [k, v] of Object.entries(record.filters)) if (k !== 'q' && v) filters[k] = v;
  const grants = queueGrants(caller.actor);
  // One grant holds every report the caller can search: no need to count.
  const shares =
    grants.length > 1
      ? await searchGrantShares(svc, caller, record.search, grants)
      : grants.map((grant) => ({ grant, reports: record.total }));
  const filing = exportFiling(shares, record.total);
  const entry = {
    action: 'export.queue',
    targetType: 'queue',
    targetId: record.format,
    agencyId: filing.agencyId,
    details: {
      format: record.format,
      rows: record.rows,
      total: record.total,
      truncated: record.truncated,
      filters,
      textSearch: !!record.filters.q,
      sort: record.sort ?? null,
      ...(filing.grantAgencies.length ? { grantAgencies: filing.grantAgencies } : {}),
    },
  } as const;
  await recordAdminAction(svc.db, caller, { ...entry, at: svc.now() });
  return entry;
}
