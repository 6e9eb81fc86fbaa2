/**
 * Statistics for a back-office caller's scope: national staff read the roll-up (`statsBy`), agency
 * staff their agency subtree, coordinators their region. Scoped reads load the scope's per-report
 * facts for the range once (indexed by path / region prefix) and aggregate them with the same pure
 * code as the roll-up, so the numbers equal the national ones restricted to the scope.
 * Why: dashboards show "my" numbers with drill-down, without a roll-up table per scope (docs/statistics.md).
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import {
  aggregate,
  emptyAcc,
  indicatorsOf,
  keysOf,
  type StatsDimension,
  type StatsFact,
} from '../domain/stats/aggregate.ts';
import type { Actor } from '../policies/can.ts';
import { statsBy, statsRefreshedAt, type StatsGroupBy, type StatsResult, type StatsRow } from './stats.ts';

/** Whose numbers a dashboard shows. */
export type StatsScope =
  { kind: 'national' } | { kind: 'agency'; agencyId: string } | { kind: 'region'; regionCode: string };

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

async function scopeFilter(db: AppDb, scope: StatsScope): Promise<SQL> {
  if (scope.kind === 'region') {
    // Codes are fixed-width segments, so the prefix '64' or '64.71' only matches that region and below.
    return sql`region_code like ${`${scope.regionCode}%`}`;
  }
  if (scope.kind === 'agency') {
    const [a] = await query<{ path: string }>(
      db,
      sql`select path from agencies where id = ${scope.agencyId}`,
    );
    return sql`agency_path like ${`${a?.path ?? `/${scope.agencyId}/`}%`}`;
  }
  return sql`true`;
}

async function labelsFor(db: AppDb, groupBy: StatsGroupBy) {
  const q =
    groupBy === 'agency'
      ? sql`select id as key, name as label, parent_id as parent_key from agencies`
      : groupBy === 'category'
        ? sql`select id::text as key, name as label, parent_id::text as parent_key from categories`
        : groupBy === 'region'
          ? sql`select code as key, name as label, parent_code as parent_key from regions where level <= 2`
          : null;
  const rows = q ? await query<{ key: string; label: string; parent_key: string | null }>(db, q) : [];
  return new Map(rows.map((r) => [r.key, r]));
}

/** Indicators of the scope, grouped as requested (same shape as `statsBy`). */
export async function scopedStats(
  db: AppDb,
  scope: StatsScope,
  req: { groupBy: StatsGroupBy; from: string; to: string; now: Date },
): Promise<StatsResult> {
  if (scope.kind === 'national') return statsBy(db, req);
  const where = await scopeFilter(db, scope);
  const [facts, names, refreshedAt] = await Promise.all([
    query<{ fact: StatsFact; month: string; overdue: boolean; agency_path: string | null }>(
      db,
      sql`select fact, month, (open_due_at is not null and open_due_at < ${req.now}) as overdue, agency_path
          from stats_report_facts where ${where} and created_date between ${req.from} and ${req.to}`,
    ),
    labelsFor(db, req.groupBy),
    statsRefreshedAt(db),
  ]);
  const dim: StatsDimension = req.groupBy === 'month' ? 'all' : req.groupBy;
  const keyOf = (f: (typeof facts)[number]) => (req.groupBy === 'month' ? [f.month] : keysOf(f.fact, dim));
  const overdue = new Map<string, number>();
  let totalOverdue = 0;
  for (const f of facts) {
    if (!f.overdue) continue;
    totalOverdue++;
    for (const k of keyOf(f)) overdue.set(k, (overdue.get(k) ?? 0) + 1);
  }
  const accs =
    req.groupBy === 'month'
      ? (() => {
          const byMonth = new Map<string, StatsFact[]>();
          for (const f of facts) byMonth.set(f.month, [...(byMonth.get(f.month) ?? []), f.fact]);
          return new Map([...byMonth].map(([m, fs]) => [m, aggregate(fs, 'all').get('all') ?? emptyAcc()]));
        })()
      : aggregate(
          facts.map((f) => f.fact),
          dim,
        );
  let items: StatsRow[] = [...accs].map(([key, acc]) => {
    const l = names.get(key);
    return {
      key,
      label: l?.label ?? key,
      parentKey: l?.parent_key ?? null,
      ...indicatorsOf(acc, overdue.get(key) ?? 0),
    };
  });
  // An agency scope lists its own subtree only (not the ancestors every path starts with).
  if (req.groupBy === 'agency' && scope.kind === 'agency') {
    const inside = new Set<string>();
    for (const f of facts) {
      const path = f.fact.agencyPath;
      const at = path.indexOf(scope.agencyId);
      if (at >= 0) for (const id of path.slice(at)) inside.add(id);
    }
    items = items.filter((i) => inside.has(i.key));
  }
  if (req.groupBy === 'region' && scope.kind === 'region') {
    items = items.filter((i) => i.key === scope.regionCode || i.key.startsWith(`${scope.regionCode}.`));
  }
  if (req.groupBy === 'month') items.sort((a, b) => a.key.localeCompare(b.key));
  else items.sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
  return {
    groupBy: req.groupBy,
    from: req.from,
    to: req.to,
    refreshedAt,
    totals: indicatorsOf(
      aggregate(
        facts.map((f) => f.fact),
        'all',
      ).get('all') ?? emptyAcc(),
      totalOverdue,
    ),
    items,
  };
}
