/**
 * Statistics reads: indicators per agency (rolled up its tree), region (province and kab/kota),
 * category, classification, channel or month, for a date range and a scope (national, an agency
 * subtree, a region). The range is covered by roll-up buckets (`stats_rollup`: years, quarters and
 * months for the national and provincial scopes, weeks for the national one, months for the others) summed by one
 * GROUP BY in SQL; only the days at the edges that no bucket covers are read from the per-report
 * facts (through the date / prefix indexes). Never reads `reports` (docs/statistics.md).
 * Why: dashboards must stay fast at millions of reports (issue 6 "Scale").
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import type { StatsIndicators } from '../domain/stats/aggregate.ts';
import {
  addVectors,
  emptyVectors,
  indicatorsFromVectors,
  planRange,
  type Grain,
  type RollupVectors,
} from '../domain/stats/rollup.ts';
import { factVectorsSql, PUBLIC_SCOPE, rollupVectorsSql } from '../db/repositories/stats-rollup.ts';

/** `groupBy` values of `GET /api/v1/stats` (`month` is the monthly series of the totals). */
export const STATS_GROUP_BY = ['agency', 'category', 'region', 'classification', 'channel', 'month'] as const;
/** One `groupBy` value. */
export type StatsGroupBy = (typeof STATS_GROUP_BY)[number];

/** Whose numbers staff read: everything, an agency subtree, or a region (province / kab/kota prefix). */
export type StatsScope =
  { kind: 'national' } | { kind: 'agency'; agencyId: string } | { kind: 'region'; regionCode: string };

/**
 * What a read covers: a staff scope, or `public`: everything except confidential (rahasia) reports, the only
 * scope public surfaces read (`statsBy`).
 */
export type ReadScope = StatsScope | { kind: 'public' };

/** A statistics request. Dates are local `YYYY-MM-DD`, both inclusive. */
export interface StatsRequest {
  groupBy: StatsGroupBy;
  from: string;
  to: string;
  /** Only the children of this agency id / region code (and the parent itself). */
  parent?: string | undefined;
  /** Only the groups with the most reports: those ranked ≤ top by `received` (ties included). */
  top?: number | undefined;
  now: Date;
}

/** One group's row. */
export interface StatsRow extends StatsIndicators {
  key: string;
  label: string;
  parentKey: string | null;
}

/** The answer: rows, the totals over the range, and when the read model was last refreshed. */
export interface StatsResult {
  groupBy: StatsGroupBy;
  from: string;
  to: string;
  refreshedAt: string | null;
  totals: StatsIndicators;
  items: StatsRow[];
}

/**
 * Label and parent of each group key, joined to the summed groups `g` (agencies, categories, regions);
 * other groupings are labelled with their key by the caller.
 */
function labelJoin(groupBy: StatsGroupBy): { cols: SQL; join: SQL } {
  switch (groupBy) {
    case 'agency':
      return {
        cols: sql`l.name as label, l.parent_id as parent_key`,
        join: sql`left join agencies l on g.dim = 'agency' and l.id = g.key`,
      };
    case 'category':
      return {
        cols: sql`l.name as label, l.parent_id::text as parent_key`,
        join: sql`left join categories l on g.dim = 'category' and l.id::text = g.key`,
      };
    case 'region':
      return {
        cols: sql`l.name as label, l.parent_code as parent_key`,
        join: sql`left join regions l on g.dim = 'region' and l.code = g.key`,
      };
    default:
      return { cols: sql`null::text as label, null::text as parent_key`, join: sql`` };
  }
}

/** The refresh time of the read model, or null if it was never refreshed. */
export async function statsRefreshedAt(db: AppDb): Promise<string | null> {
  const [row] = await query<{ at: string }>(
    db,
    sql`select value->>'at' as at from settings where key = 'stats.refresh'`,
  );
  return row?.at ?? null;
}

/** The refresh time and the latest local date of receipt in the read model (both null when empty). */
async function readModelState(db: AppDb): Promise<{ refreshedAt: string | null; lastDate: string | null }> {
  const [row] = await query<{ at: string | null; last: string | null }>(
    db,
    sql`select (select value->>'at' from settings where key = 'stats.refresh') as at,
               (select max(created_date)::text from stats_report_facts) as last`,
  );
  return { refreshedAt: row?.at ?? null, lastDate: row?.last ?? null };
}

/** Roll-up scope key and the grains it has rows for. */
function scopeShape(scope: ReadScope): { key: string; grains: Grain[] } {
  if (scope.kind === 'national') return { key: '*', grains: ['y', 'q', 'm', 'w', 'd'] };
  if (scope.kind === 'public') return { key: PUBLIC_SCOPE, grains: ['y', 'q', 'm', 'w', 'd'] };
  if (scope.kind === 'agency') return { key: `a:${scope.agencyId}`, grains: ['m'] };
  const depth = scope.regionCode.split('.').length;
  return {
    key: `r:${scope.regionCode}`,
    grains: depth === 1 ? ['y', 'q', 'm'] : depth === 2 ? ['m'] : [],
  };
}

/** The facts filter of a scope (prefix indexes of migration 0010). */
async function factScope(db: AppDb, scope: ReadScope): Promise<SQL> {
  if (scope.kind === 'public') return sql`not confidential`;
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

/** Group keys of one fact row (`f`) for `dim` within the scope, as a lateral subquery of (dim, key). */
function factKeys(dim: StatsGroupBy, scope: ReadScope): SQL {
  switch (dim) {
    case 'agency':
      return scope.kind === 'agency'
        ? sql`select 'agency'::text as dim, u.a as key
              from unnest(string_to_array(trim(both '/' from f.agency_path), '/')) with ordinality as u(a, i)
              where u.i >= array_position(string_to_array(trim(both '/' from f.agency_path), '/'), ${scope.agencyId})`
        : sql`select 'agency'::text as dim, u.a as key
              from unnest(string_to_array(nullif(trim(both '/' from f.agency_path), ''), '/')) as u(a)
              union all select 'agency', '-' where nullif(trim(both '/' from f.agency_path), '') is null`;
    case 'region': {
      const kabScope = scope.kind === 'region' && scope.regionCode.includes('.');
      return sql`select 'region'::text as dim, x as key from unnest(array[
                   nullif(split_part(f.region_code, '.', 1), ''),
                   case when split_part(f.region_code, '.', 2) <> ''
                        then split_part(f.region_code, '.', 1) || '.' || split_part(f.region_code, '.', 2) end]) as x
                 where x is not null ${kabScope ? sql`and x like '%.%'` : sql``}
                 union all select 'region', '-' where nullif(split_part(f.region_code, '.', 1), '') is null`;
    }
    case 'category':
      return sql`select 'category'::text as dim, coalesce(f.category_id::text, '-') as key`;
    case 'classification':
      return sql`select 'classification'::text as dim, f.classification as key`;
    case 'channel':
      return sql`select 'channel'::text as dim, f.channel as key`;
    case 'month':
      return sql`select 'all'::text as dim, f.month as key`;
  }
}

/**
 * The `parent` filter pushed into SQL (`col` = the group key column): the parent itself and its
 * direct children (agency / category tree, province → kab/kota); other groupings keep `key = parent`.
 */
function parentFilter(groupBy: StatsGroupBy, parent: string, col: SQL): SQL {
  switch (groupBy) {
    case 'agency':
      return sql`${col} in (select id from agencies where id = ${parent} or parent_id = ${parent})`;
    case 'category':
      return sql`${col} in (select id::text from categories where id::text = ${parent} or parent_id::text = ${parent})`;
    case 'region':
      return sql`(${col} = ${parent} or ${col} like ${`${parent}.%`})`;
    default:
      return sql`${col} = ${parent}`;
  }
}

interface SummedRow {
  dim: string;
  key: string;
  c: number[];
  h: number[];
  label: string | null;
  parent_key: string | null;
}

/**
 * Summed vectors per (dim, key) for the scope and range: `dim` = the grouping and `all` (totals),
 * or, for `month`, the `all` dimension keyed by month.
 */
async function summed(
  db: AppDb,
  scope: ReadScope,
  groupBy: StatsGroupBy,
  from: string,
  to: string,
  asOf: Date,
  lastDate: string | null,
  parent?: string,
  top?: number,
): Promise<SummedRow[]> {
  const shape = scopeShape(scope);
  const byMonth = groupBy === 'month';
  const only = (col: SQL) =>
    parent && !byMonth ? sql`and (dim = 'all' or ${parentFilter(groupBy, parent, col)})` : sql``;
  // Nothing was received after `lastDate`: the last bucket may end after `to` (its later facts subtracted).
  const plan = planRange(from, to, shape.grains, byMonth, lastDate);
  const parts: SQL[] = [];
  const rollup = (buckets: { grain: Grain; bucket: string }[], sign: 1 | -1) => {
    const byGrain = new Map<Grain, string[]>();
    for (const b of buckets) byGrain.set(b.grain, [...(byGrain.get(b.grain) ?? []), b.bucket]);
    const which = sql.join(
      [...byGrain].map(
        ([g, list]) =>
          sql`(grain = ${g} and bucket in (${sql.join(
            list.map((d) => sql`${d}::date`),
            sql`, `,
          )}))`,
      ),
      sql` or `,
    );
    const s = sql.raw(String(sign));
    return byMonth
      ? sql`select dim, to_char(bucket, 'YYYY-MM') as key, c, h, ${s} as s from stats_rollup
            where scope = ${shape.key} and dim = 'all' and (${which})`
      : sql`select dim, key, c, h, ${s} as s from stats_rollup
            where scope = ${shape.key} and dim in (${groupBy}, 'all') and (${which}) ${only(sql`key`)}`;
  };
  if (plan.buckets.length) parts.push(rollup(plan.buckets, 1));
  if (plan.minusBuckets.length) parts.push(rollup(plan.minusBuckets, -1));
  const facts = async (ranges: [string, string][], sign: 1 | -1) => {
    const v = factVectorsSql();
    const dates = sql.join(
      ranges.map(([a, b]) => sql`f.created_date between ${a} and ${b}`),
      sql` or `,
    );
    const keys = byMonth
      ? factKeys('month', scope)
      : sql`${factKeys(groupBy, scope)} union all select 'all', 'all'`;
    return sql`select d.dim, d.key, ${v.c} as c, ${v.h} as h, ${sql.raw(String(sign))} as s from (
        select f.*, (f.open_due_at is not null and f.open_due_at <= ${asOf}) as overdue
        from stats_report_facts f where ${await factScope(db, scope)} and (${dates})) f
      cross join lateral (${keys}) d
      where true ${only(sql`d.key`)}
      group by d.dim, d.key`;
  };
  if (plan.days.length) parts.push(await facts(plan.days, 1));
  if (plan.minus.length) parts.push(await facts(plan.minus, -1));
  if (!parts.length) return [];
  const v = rollupVectorsSql(true);
  // JIT off: PostgreSQL would compile the 63 sums (tens to hundreds of milliseconds) for a read that
  // touches a few thousand rows and runs in a few milliseconds without it.
  const labels = labelJoin(groupBy);
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return query<SummedRow>(
      tx,
      // A group whose facts were all subtracted sums to zero: every fact counts in `received` (c[1]).
      sql`select g.dim, g.key, g.c, g.h, ${labels.cols} from (
            select dim, key, ${v.c} as c, ${v.h} as h,
                   rank() over (partition by dim order by sum(s * c[1]) desc) as rk
            from (${sql.join(parts, sql` union all `)}) r
            group by dim, key having sum(s * c[1]) <> 0) g ${labels.join}
          ${top && !byMonth ? sql`where g.dim = 'all' or g.rk <= ${top}` : sql``}`,
    );
  });
}

const asVectors = (r: SummedRow): RollupVectors => ({ c: r.c.map(Number), h: r.h.map(Number) });

/** Indicators of the scope grouped as requested; rows sorted by received (desc), months chronologically. */
export async function scopedStatsRead(
  db: AppDb,
  scope: ReadScope,
  req: {
    groupBy: StatsGroupBy;
    from: string;
    to: string;
    now: Date;
    parent?: string | undefined;
    top?: number | undefined;
  },
): Promise<StatsResult> {
  const { refreshedAt, lastDate } = await readModelState(db);
  const asOf = refreshedAt ? new Date(refreshedAt) : req.now;
  const rows = await summed(db, scope, req.groupBy, req.from, req.to, asOf, lastDate, req.parent, req.top);
  const totals = emptyVectors();
  const groups: SummedRow[] = [];
  for (const r of rows) {
    if (req.groupBy === 'month') {
      addVectors(totals, asVectors(r));
      groups.push(r);
    } else if (r.dim === 'all') addVectors(totals, asVectors(r));
    else groups.push(r);
  }
  let items: StatsRow[] = groups.map((g) => ({
    key: g.key,
    label: g.label ?? g.key,
    parentKey: g.parent_key ?? null,
    ...indicatorsFromVectors(asVectors(g)),
  }));
  if (req.parent) items = items.filter((i) => i.key === req.parent || i.parentKey === req.parent);
  if (req.groupBy === 'month') items.sort((a, b) => a.key.localeCompare(b.key));
  else items.sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
  return {
    groupBy: req.groupBy,
    from: req.from,
    to: req.to,
    refreshedAt,
    totals: indicatorsFromVectors(totals),
    items,
  };
}

/**
 * Public indicators grouped as requested (`GET /api/v1/stats`, the public pages): every report except confidential
 * ones, which only staff statistics count.
 */
export async function statsBy(db: AppDb, req: StatsRequest): Promise<StatsResult> {
  return scopedStatsRead(db, { kind: 'public' }, req);
}
