/**
 * Statistics reads: indicators per agency (rolled up its tree), region (province and kab/kota),
 * category, classification, channel or month, for a date range. Whole months come from the
 * `stats_monthly` roll-up; partial months at the edges from the per-report facts; "overdue now" from
 * an indexed count of running deadlines that have passed. Never reads `reports` (docs/statistics.md).
 * Why: dashboards must stay fast at millions of reports (issue 6 "Scale").
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import {
  aggregate,
  emptyAcc,
  indicatorsOf,
  mergeAcc,
  type StatsAcc,
  type StatsDimension,
  type StatsFact,
  type StatsIndicators,
} from '../domain/stats/aggregate.ts';
import { addCalendarDays } from '../domain/deadline/calendar.ts';

/** `groupBy` values of `GET /api/v1/stats` (`month` is the monthly series of the totals). */
export const STATS_GROUP_BY = ['agency', 'category', 'region', 'classification', 'channel', 'month'] as const;
/** One `groupBy` value. */
export type StatsGroupBy = (typeof STATS_GROUP_BY)[number];

/** A statistics request. Dates are local `YYYY-MM-DD`, both inclusive. */
export interface StatsRequest {
  groupBy: StatsGroupBy;
  from: string;
  to: string;
  /** Only the children of this agency id / region code (and the parent itself). */
  parent?: string | undefined;
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

const monthOf = (date: string) => date.slice(0, 7);
const firstOfMonth = (m: string) => `${m}-01`;
const lastOfMonth = (m: string) => addCalendarDays(firstOfMonth(nextMonth(m)), -1);
function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

/** Splits [from, to] into whole months and partial date ranges at the edges. */
export function splitRange(from: string, to: string): { months: string[]; partial: [string, string][] } {
  const months: string[] = [];
  const partial: [string, string][] = [];
  if (from > to) return { months, partial };
  for (let m = monthOf(from); m <= monthOf(to); m = nextMonth(m)) {
    const start = from > firstOfMonth(m) ? from : firstOfMonth(m);
    const end = to < lastOfMonth(m) ? to : lastOfMonth(m);
    if (start === firstOfMonth(m) && end === lastOfMonth(m)) months.push(m);
    else partial.push([start, end]);
  }
  return { months, partial };
}

/** SQL expression giving the group keys (a set-returning expression for agency and region). */
function keyExpr(dim: StatsDimension | 'month'): SQL {
  switch (dim) {
    case 'agency':
      return sql`unnest(string_to_array(trim(both '/' from coalesce(agency_path, '-')), '/'))`;
    case 'region':
      return sql`unnest(array[split_part(region_code, '.', 1),
        case when split_part(region_code, '.', 2) <> '' then split_part(region_code, '.', 1) || '.' || split_part(region_code, '.', 2) end])`;
    case 'category':
      return sql`coalesce(fact->>'categoryId', '-')`;
    case 'classification':
      return sql`fact->>'classification'`;
    case 'channel':
      return sql`fact->>'channel'`;
    case 'month':
      return sql`month`;
    case 'all':
      return sql`'all'`;
  }
}

/** Overdue-now counts per group key for reports received in [from, to]. */
async function overdueBy(db: AppDb, dim: StatsDimension | 'month', from: string, to: string, now: Date) {
  const rows = await query<{ key: string | null; n: number }>(
    db,
    sql`select k.key, count(*)::int as n from (
          select ${keyExpr(dim)} as key from stats_report_facts
          where open_due_at < ${now} and created_date between ${from} and ${to}) k
        group by k.key`,
  );
  return new Map(rows.filter((r) => r.key).map((r) => [r.key as string, r.n]));
}

/** Summed accumulators per key for [from, to] from the roll-up and the edge facts. */
async function accsBy(db: AppDb, dim: StatsDimension, from: string, to: string, month = false) {
  const { months, partial } = splitRange(from, to);
  const out = new Map<string, StatsAcc>();
  const add = (key: string, acc: StatsAcc) => {
    const cur = out.get(key);
    if (cur) mergeAcc(cur, acc);
    else out.set(key, mergeAcc(emptyAcc(), acc));
  };
  if (months.length) {
    const list = sql.join(
      months.map((m) => sql`${m}`),
      sql`, `,
    );
    const rows = await query<{ key: string; month: string; acc: StatsAcc }>(
      db,
      sql`select key, month, acc from stats_monthly where dim = ${dim} and month in (${list})`,
    );
    for (const r of rows) add(month ? r.month : r.key, r.acc);
  }
  for (const [a, b] of partial) {
    const facts = await query<{ fact: StatsFact }>(
      db,
      sql`select fact from stats_report_facts where month = ${monthOf(a)} and created_date between ${a} and ${b}`,
    );
    if (month) {
      const acc = aggregate(
        facts.map((f) => f.fact),
        'all',
      ).get('all');
      if (acc) add(monthOf(a), acc);
    } else {
      for (const [key, acc] of aggregate(
        facts.map((f) => f.fact),
        dim,
      ))
        add(key, acc);
    }
  }
  return out;
}

interface Label {
  key: string;
  label: string;
  parent_key: string | null;
}

async function labels(db: AppDb, groupBy: StatsGroupBy): Promise<Map<string, Label>> {
  let rows: Label[] = [];
  if (groupBy === 'agency') {
    rows = await query<Label>(
      db,
      sql`select id as key, name as label, parent_id as parent_key from agencies`,
    );
  } else if (groupBy === 'category') {
    rows = await query<Label>(
      db,
      sql`select id::text as key, name as label, parent_id::text as parent_key from categories`,
    );
  } else if (groupBy === 'region') {
    rows = await query<Label>(
      db,
      sql`select code as key, name as label, parent_code as parent_key from regions where level <= 2`,
    );
  }
  return new Map(rows.map((r) => [r.key, r]));
}

/** The refresh time of the read model, or null if it was never refreshed. */
export async function statsRefreshedAt(db: AppDb): Promise<string | null> {
  const [row] = await query<{ at: string }>(
    db,
    sql`select value->>'at' as at from settings where key = 'stats.refresh'`,
  );
  return row?.at ?? null;
}

/** Indicators grouped as requested; rows sorted by received (desc), months chronologically. */
export async function statsBy(db: AppDb, req: StatsRequest): Promise<StatsResult> {
  const dim: StatsDimension = req.groupBy === 'month' ? 'all' : req.groupBy;
  const [accs, totalsAcc, overdue, totalOverdue, names, refreshedAt] = await Promise.all([
    accsBy(db, dim, req.from, req.to, req.groupBy === 'month'),
    accsBy(db, 'all', req.from, req.to),
    overdueBy(db, req.groupBy === 'month' ? 'month' : dim, req.from, req.to, req.now),
    overdueBy(db, 'all', req.from, req.to, req.now),
    labels(db, req.groupBy),
    statsRefreshedAt(db),
  ]);
  let items: StatsRow[] = [...accs].map(([key, acc]) => {
    const l = names.get(key);
    return {
      key,
      label: l?.label ?? key,
      parentKey: l?.parent_key ?? null,
      ...indicatorsOf(acc, overdue.get(key) ?? 0),
    };
  });
  if (req.parent) items = items.filter((i) => i.key === req.parent || i.parentKey === req.parent);
  if (req.groupBy === 'month') items.sort((a, b) => a.key.localeCompare(b.key));
  else items.sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
  return {
    groupBy: req.groupBy,
    from: req.from,
    to: req.to,
    refreshedAt,
    totals: indicatorsOf(totalsAcc.get('all') ?? emptyAcc(), totalOverdue.get('all') ?? 0),
    items,
  };
}
