/**
 * Statistics for a back-office caller's scope: national staff read the national roll-up, agency staff
 * their agency subtree (scope `a:<id>` of the roll-up), coordinators their region (`r:<code>`). The
 * same reader as the public pages (`scopedStatsRead`), so the numbers equal the national ones
 * restricted to the scope.
 * Why: dashboards show "my" numbers with drill-down (docs/statistics.md).
 */
import type { AppDb } from '../db/client.ts';
import type { Actor } from '../policies/can.ts';
import { scopedStatsRead, type StatsGroupBy, type StatsResult, type StatsScope } from './stats.ts';

export type { StatsScope } from './stats.ts';

/**
 * The widest scope among the actor's grants: national admin → national; coordinator → its region;
 * agency admin or officer → its agency subtree. Null for actors without a back-office role.
 */
export function statsScopeOf(actor: Actor): StatsScope | null {
  if (actor.grants.some((g) => g.role === 'national_admin')) return { kind: 'national' };
  const coord = actor.grants.find((g) => g.role === 'coordinator' && g.regionCode);
  if (coord) return { kind: 'region', regionCode: coord.regionCode! };
  const agency = actor.grants.find((g) => ['agency_admin', 'officer'].includes(g.role) && g.agencyId);
  if (agency) return { kind: 'agency', agencyId: agency.agencyId! };
  return null;
}

/** Indicators of the scope, grouped as requested (same shape as `statsBy`). */
export async function scopedStats(
  db: AppDb,
  scope: StatsScope,
  req: { groupBy: StatsGroupBy; from: string; to: string; now: Date },
): Promise<StatsResult> {
  return scopedStatsRead(db, scope, req);
}
