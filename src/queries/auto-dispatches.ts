/**
 * Read side of the auto-dispatch admin page (`/kantor/admin/rute-otomatis`): the recent auto-dispatches the
 * caller may oversee, and which of them the caller may reverse. Starts from the worker's `auto_dispatch`
 * records in `routing_suggestions` (indexed by `shown_at`), so a page view never scans the event log.
 * A row is listed when the caller may see the report (`visibleTo`) and manage the agency it was sent to
 * (`canManageAgencyBranch`: national admin everything, a coordinator its region except kementerian/lembaga offices,
 * an agency admin its tree).
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { query } from '../db/client.ts';
import type { ReportStatus } from '../domain/report/report.ts';
import { formatIsoInZone, zoneForRegion } from '../domain/deadline/calendar.ts';
import type { Actor } from '../policies/can.ts';
import { canManageAgencyBranch } from '../policies/agency-branch.ts';
import { visibleTo } from './scope.ts';

/** One auto-dispatch as the admin page lists it. */
export interface AutoDispatchRow {
  trackingId: string;
  title: string;
  status: ReportStatus;
  /** The agency the worker dispatched it to. */
  agencyId: string;
  agencyName: string;
  confidence: number | null;
  threshold: number | null;
  modelVersion: number | null;
  dispatchedAt: string;
  /** Returned (bukan wewenang or reversed here) since. */
  reversed: boolean;
  /**
   * The caller may pull it back to the verifier queue now: status `dispatched`, not returned since, and the
   * caller manages the dispatched agency (every listed row) or has the `return` right (reverseAutoDispatch).
   */
  canReverse: boolean;
}

/** `routing_suggestions.kind` of the worker's evaluations (AUTO_DISPATCH_KIND in commands/auto-dispatch.ts). */
const AUTO_DISPATCH_KIND = 'auto_dispatch';

const ids = (path: string | null) => (path ?? '').split('/').filter(Boolean);

/** Auto-dispatches of the last `days` days the actor oversees, newest first (at most `limit`). */
export async function recentAutoDispatches(
  svc: Pick<Services, 'db'>,
  actor: Actor,
  opts: { since: Date; limit?: number },
): Promise<AutoDispatchRow[]> {
  const rows = await query<{
    tracking_id: string;
    title: string;
    status: ReportStatus;
    region_code: string | null;
    agency_id: string;
    agency_name: string | null;
    agency_path: string | null;
    agency_region: string | null;
    auto: { confidence?: number; threshold?: number; modelVersion?: number } | null;
    dispatched_at: string;
    reversed: boolean;
  }>(
    svc.db,
    sql`select r.tracking_id, r.title, r.status, r.region_code,
               s.top_label as agency_id, d.name as agency_name, d.path as agency_path,
               d.region_code as agency_region, v.data -> 'autoDispatch' as auto,
               coalesce(v.created_at, s.shown_at) as dispatched_at,
               exists (select 1 from report_events x
                        where x.report_id = r.id and x.type = 'return' and x.seq > v.seq) as reversed
          from routing_suggestions s
          join reports r on r.id = s.report_id
          left join agencies a on a.id = r.agency_id
          left join agencies t on t.id = r.target_agency_id
          left join agencies d on d.id = s.top_label
          left join lateral (select e.seq, e.data, e.created_at from report_events e
                              where e.report_id = r.id and e.type = 'verify'
                                and e.actor_role = 'system:auto-dispatch'
                              order by e.seq limit 1) v on true
         where s.kind = ${AUTO_DISPATCH_KIND} and s.accepted and s.shown_at >= ${opts.since.toISOString()}
           and v.seq is not null and ${visibleTo(actor)}
         order by s.shown_at desc
         limit ${(opts.limit ?? 50) * 4}`,
  );
  const out: AutoDispatchRow[] = [];
  const kindOf = new Map(
    rows.length
      ? (await query<{ id: string; kind: string }>(svc.db, sql`select id, kind from agencies`)).map((a) => [
          a.id,
          a.kind,
        ])
      : [],
  );
  for (const r of rows) {
    // Whoever manages the agency (and so its rule): not the region's coordinator for a kementerian/lembaga office.
    const path = ids(r.agency_path);
    const manages = canManageAgencyBranch(
      actor,
      { id: r.agency_id, regionCode: r.agency_region },
      path,
      path.map((id) => kindOf.get(id) ?? ''),
    );
    if (!manages) continue;
    out.push({
      trackingId: r.tracking_id,
      title: r.title,
      status: r.status,
      agencyId: r.agency_id,
      agencyName: r.agency_name ?? r.agency_id,
      confidence: r.auto?.confidence ?? null,
      threshold: r.auto?.threshold ?? null,
      modelVersion: r.auto?.modelVersion ?? null,
      // In the report's zone (the API's rule, and the page shows the date of that zone).
      dispatchedAt: formatIsoInZone(new Date(r.dispatched_at), zoneForRegion(r.region_code ?? '')),
      reversed: r.reversed,
      // Every row listed is one whose agency the caller manages: that alone allows the reversal.
      canReverse: r.status === 'dispatched' && !r.reversed,
    });
    if (out.length >= (opts.limit ?? 50)) break;
  }
  return out;
}
