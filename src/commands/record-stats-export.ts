/**
 * Records a staff download of a statistics table in the administration log (`export.stats`, docs/security.md
 * "Administration audit log"): the back office's statistics table (`/kantor/statistik.csv|.xlsx`) and routing
 * accuracy (`/kantor/statistik/rute.csv`). They hold counts of the downloader's scope, not reports, but a scoped
 * table (rahasia reports counted in it, an agency's own figures) leaves the system with them, so who took which table,
 * when and for which scope is answerable afterwards, like a queue download (`export.queue`).
 *
 * The entry holds the table, the format, the rows written, the period and grouping asked for, and the scope by id or
 * code (`regionCode`, `agencyId`: named when the log is read). Never report content or anything of a reporter.
 * It is filed under the grant of the scope the table covers (`statsScopeOf`, `routingAccuracyScope`), so that
 * the coordinator of that scope reads it. Public downloads (`/api/v1/stats.csv|xlsx`, open data, published
 * evaluation results) are anonymous and stay unlogged.
 */
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { Actor } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import type { StatsScope } from '../queries/stats.ts';

/** The staff tables whose downloads are logged. */
export type StatsExportTable = 'statistics' | 'routing_accuracy';

/** One finished statistics download, as the route made it. */
export interface StatsExportRecord {
  table: StatsExportTable;
  format: 'csv' | 'xlsx';
  /** Data rows written (the header line not counted). */
  rows: number;
  scope: StatsScope;
  /** What was asked for: the statistics table's grouping and dates, or routing accuracy's months. */
  params: { groupBy: string; from: string; to: string } | { months: number };
}

/**
 * The agency a download of `scope` is filed under: the agency of a region scope's grant (its coordinator's or
 * assessor's), an agency scope's own agency, none (national) for the national scope.
 */
export function statsScopeAgency(actor: Actor, scope: StatsScope): string | null {
  if (scope.kind === 'national') return null;
  if (scope.kind === 'agency') return scope.agencyId;
  const grant =
    actor.grants.find((g) => g.role === 'coordinator' && g.regionCode === scope.regionCode) ??
    actor.grants.find((g) => g.regionCode === scope.regionCode && g.agencyId);
  return grant?.agencyId ?? null;
}

/** Appends the download's entry; throws (and the route sends no file) when the log cannot be written. */
export async function recordStatsExport(
  svc: Services,
  caller: Caller,
  record: StatsExportRecord,
): Promise<void> {
  const { scope } = record;
  await recordAdminAction(svc.db, caller, {
    action: 'export.stats',
    targetType: 'stats',
    targetId: `${record.table}.${record.format}`,
    agencyId: statsScopeAgency(caller.actor, scope),
    details: {
      table: record.table,
      format: record.format,
      rows: record.rows,
      ...record.params,
      scope: scope.kind,
      ...(scope.kind === 'region' ? { regionCode: scope.regionCode } : {}),
      ...(scope.kind === 'agency' ? { agencyId: scope.agencyId } : {}),
    },
    at: svc.now(),
  });
}
