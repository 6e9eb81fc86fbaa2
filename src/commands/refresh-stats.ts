/**
 * refreshStats(svc): keeps the statistics read model current. It recomputes the per-report facts of
 * every report changed since the last run (plus reports whose running deadline has passed since then,
 * since "overdue" and "on time" change with the clock alone), then rebuilds the monthly roll-up rows
 * buckets those reports belong to (`stats_rollup`: per scope, dimension, month, and for the national and
 * provincial scopes also year and quarter; week and day for the national one). Dashboards read the roll-up (docs/statistics.md).
 * Why: no full scan of `reports` or of the facts per page view; the worker schedules this every few minutes.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { query, type AppDb, type Tx } from '../db/client.ts';
import { loadCalendar } from '../db/repositories/calendar.ts';
import { settings, statsReportFacts } from '../db/schema.ts';
import {
  addCalendarDays,
  localDate,
  workingDaysBetween,
  zoneForRegion,
  type WorkingCalendar,
} from '../domain/deadline/calendar.ts';
import { PUBLIC_STATUSES, type ReportStatus, type ZoneName } from '../domain/report/report.ts';
import { bucketsOf, factBuckets, factCounters, type Grain } from '../domain/stats/rollup.ts';
import { factVectorsSql, PUBLIC_SCOPE, rollupVectorsSql } from '../db/repositories/stats-rollup.ts';
import type { ReportFact } from '../domain/stats/open-data.ts';
import { round } from '../domain/evaluation/formulas.ts';

const WATERMARK_KEY = 'stats.refresh';
const BATCH = 2000;
/** Clocks run by staff; a passed due time on one of them makes the report overdue. */
const STAFF_CLOCKS = ['verification', 'follow_up', 'completion'];

/** What a refresh did. */
export interface RefreshResult {
  reports: number;
  months: string[];
  at: string;
}

interface ReportRowForStats {
  id: string;
  tracking_id: string;
  classification: string;
  category_id: number | null;
  region_code: string | null;
  channel: string;
  status: string;
  confidential: boolean;
  return_count: number;
  misrouted_working_days: number;
  reopen_count: number;
  rating: number | null;
  created_at: string | Date;
  verified_at: string | Date | null;
  first_response_at: string | Date | null;
  responded_at: string | Date | null;
  closed_at: string | Date | null;
  agency_id: string | null;
  agency_path: string | null;
  agency_zone: string | null;
  agency_region: string | null;
}

interface DeadlineRow {
  report_id: string;
  clock: string;
  started_at: string | Date;
  due_at: string | Date;
  stopped_at: string | Date | null;
  met: boolean | null;
}

const asDate = (v: string | Date | null): Date | null => (v === null ? null : new Date(v));

/** Verdict of one clock: met/missed when measured, missed when running past due, else null. */
function verdict(rows: DeadlineRow[], now: Date): boolean | null {
  const measured = rows.filter((d) => d.met !== null);
  if (measured.length > 0) return measured.every((d) => d.met === true);
  if (rows.some((d) => d.stopped_at === null && new Date(d.due_at).getTime() < now.getTime())) return false;
  return null;
}

/** Computes the facts of one report (pure apart from the calendars passed in). */
export function factOf(
  r: ReportRowForStats,
  deadlines: DeadlineRow[],
  cal: WorkingCalendar,
  now: Date,
): ReportFact {
  const zone = (r.region_code ? zoneForRegion(r.region_code) : 'WIB') as ZoneName;
  const created = new Date(r.created_at);
  const verifiedAt = asDate(r.verified_at);
  const firstResponse = asDate(r.first_response_at);
  const responded = asDate(r.responded_at);
  const verification = deadlines.filter((d) => d.clock === 'verification');
  const followUps = deadlines
    .filter((d) => d.clock === 'follow_up')
    .sort((a, b) => new Date(a.started_at).getTime() - new Date(b.started_at).getTime());
  const completed = r.status === 'completed';
  return {
    trackingId: r.tracking_id,
    status: r.status,
    agencyId: r.agency_id,
    createdAt: created.toISOString(),
    verifiedAt: verifiedAt?.toISOString() ?? null,
    firstResponseAt: firstResponse?.toISOString() ?? null,
    respondedAt: responded?.toISOString() ?? null,
    closedAt: asDate(r.closed_at)?.toISOString() ?? null,
    createdDate: localDate(created, zone),
    agencyPath: r.agency_path ? r.agency_path.split('/').filter(Boolean) : [],
    regionCode: r.region_code,
    categoryId: r.category_id,
    classification: r.classification,
    channel: r.channel,
    verified: verifiedAt !== null,
    verifiedOnTime: verdict(verification, now),
    workingDaysToVerify: verifiedAt ? workingDaysBetween(created, verifiedAt, cal) : null,
    dispatched: verifiedAt !== null && PUBLIC_STATUSES.includes(r.status as ReportStatus),
    returnCount: r.return_count,
    misroutedWorkingDays: r.misrouted_working_days,
    followedUpOnTime: followUps.length ? verdict(followUps.slice(0, 1), now) : null,
    completed,
    workingDaysToFollowUp:
      verifiedAt && firstResponse ? workingDaysBetween(verifiedAt, firstResponse, cal) : null,
    hoursToFollowUp:
      verifiedAt && firstResponse
        ? round((firstResponse.getTime() - verifiedAt.getTime()) / 3_600_000, 0)
        : null,
    workingDaysToCompletion:
      completed && verifiedAt && responded ? workingDaysBetween(verifiedAt, responded, cal) : null,
    rating: r.rating,
    disputed: r.reopen_count > 0,
    reopenCount: r.reopen_count,
  };
}

async function readWatermark(db: AppDb): Promise<{ at: Date; rollup: number | null } | null> {
  const [row] = await query<{ value: { at: string; rollup?: number } }>(
    db,
    sql`select value from settings where key = ${WATERMARK_KEY}`,
  );
  return row ? { at: new Date(row.value.at), rollup: row.value.rollup ?? null } : null;
}

/** Report ids whose facts are stale: changed since `since`, deadline passed since then, or never computed. */
async function staleIds(db: AppDb, since: Date | null, now: Date): Promise<string[]> {
  if (!since) return (await query<{ id: string }>(db, sql`select id from reports`)).map((r) => r.id);
  const rows = await query<{ id: string }>(
    db,
    sql`select id from reports where updated_at > ${new Date(since.getTime() - 5_000)}
        union select report_id from stats_report_facts where open_due_at > ${since} and open_due_at <= ${now}
        union select r.id from reports r left join stats_report_facts f on f.report_id = r.id where f.report_id is null`,
  );
  return rows.map((r) => r.id);
}

/** Recomputes and stores the facts of the given reports; returns the local dates they were received on. */
async function refreshFacts(svc: Services, ids: string[], now: Date): Promise<Set<string>> {
  const dates = new Set<string>();
  const calendars = new Map<string, WorkingCalendar>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const idList = sql.join(
      batch.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    const reports = await query<ReportRowForStats>(
      svc.db,
      sql`select r.id, r.tracking_id, r.classification, r.category_id, r.region_code, r.channel, r.status,
                 r.confidential, r.return_count, r.misrouted_working_days, r.reopen_count, r.rating, r.created_at,
                 r.verified_at, r.first_response_at, r.responded_at, r.closed_at,
                 a.id as agency_id, a.path as agency_path, a.zone as agency_zone, a.region_code as agency_region
          from reports r
          left join agencies a on a.id = coalesce(r.agency_id, r.dispatched_agency_id, r.target_agency_id)
          where r.id in (${idList})`,
    );
    const deadlines = await query<DeadlineRow>(
      svc.db,
      sql`select report_id, clock, started_at, due_at, stopped_at, met from report_deadlines
          where report_id in (${idList})`,
    );
    const byReport = new Map<string, DeadlineRow[]>();
    for (const d of deadlines) {
      const list = byReport.get(d.report_id) ?? [];
      list.push(d);
      byReport.set(d.report_id, list);
    }
    const values = [];
    for (const r of reports) {
      const zone = (r.agency_zone ?? (r.region_code ? zoneForRegion(r.region_code) : 'WIB')) as ZoneName;
      const region = r.agency_region ?? r.region_code;
      const calKey = `${zone}|${region ?? ''}`;
      let cal = calendars.get(calKey);
      if (!cal) calendars.set(calKey, (cal = await loadCalendar(svc.db, zone, region)));
      const ds = byReport.get(r.id) ?? [];
      const fact = factOf(r, ds, cal, now);
      const open = ds
        .filter((d) => d.stopped_at === null && STAFF_CLOCKS.includes(d.clock))
        .map((d) => new Date(d.due_at).getTime());
      const month = fact.createdDate.slice(0, 7);
      dates.add(fact.createdDate);
      const b = factBuckets(fact);
      values.push({
        reportId: r.id,
        trackingId: r.tracking_id,
        createdDate: fact.createdDate,
        month,
        agencyId: r.agency_id,
        agencyPath: r.agency_path,
        regionCode: r.region_code,
        confidential: r.confidential,
        isPublic: !r.confidential && PUBLIC_STATUSES.includes(r.status as ReportStatus),
        openDueAt: open.length ? new Date(Math.min(...open)) : null,
        categoryId: fact.categoryId,
        classification: fact.classification,
        channel: fact.channel,
        counters: factCounters(fact),
        bFollowUp: b.fu,
        bFollowUpHours: b.fuh,
        bCompletion: b.co,
        fact,
        refreshedAt: now,
      });
    }
    if (values.length) {
      await svc.db
        .insert(statsReportFacts)
        .values(values)
        .onConflictDoUpdate({
          target: statsReportFacts.reportId,
          set: {
            createdDate: sql`excluded.created_date`,
            month: sql`excluded.month`,
            agencyId: sql`excluded.agency_id`,
            agencyPath: sql`excluded.agency_path`,
            regionCode: sql`excluded.region_code`,
            confidential: sql`excluded.confidential`,
            isPublic: sql`excluded.is_public`,
            openDueAt: sql`excluded.open_due_at`,
            categoryId: sql`excluded.category_id`,
            classification: sql`excluded.classification`,
            channel: sql`excluded.channel`,
            counters: sql`excluded.counters`,
            bFollowUp: sql`excluded.b_follow_up`,
            bFollowUpHours: sql`excluded.b_follow_up_hours`,
            bCompletion: sql`excluded.b_completion`,
            fact: sql`excluded.fact`,
            refreshedAt: sql`excluded.refreshed_at`,
          },
        });
    }
  }
  return dates;
}

/**
 * Inserts roll-up rows computed from the facts matching `where`: every scope (national `*`, each agency
 * on the report's path `a:<id>`, province and kab/kota `r:<code>`) or only the wide ones, every dimension,
 * grouped by the bucket `bucket` (an SQL expression over `created_date`) of grain `grain`.
 */
async function insertFromFacts(
  db: AppDb | Tx,
  where: SQL,
  grain: Grain,
  bucket: SQL,
  asOf: Date,
  nationalOnly: boolean,
): Promise<void> {
  const v = factVectorsSql();
  await db.execute(sql`
    insert into stats_rollup (scope, dim, grain, bucket, key, c, h)
    with f as (
      select ${bucket} as bucket, category_id, classification, channel, counters, confidential,
             b_follow_up, b_follow_up_hours, b_completion,
             (open_due_at is not null and open_due_at <= ${asOf}) as overdue,
             case when agency_path is not null and trim(both '/' from agency_path) <> ''
                  then string_to_array(trim(both '/' from agency_path), '/') end as p,
             nullif(split_part(region_code, '.', 1), '') as prov,
             case when split_part(region_code, '.', 2) <> ''
                  then split_part(region_code, '.', 1) || '.' || split_part(region_code, '.', 2) end as kab
      from stats_report_facts where ${where}
    ), s as (
      select f.*, '*'::text as scope, 0::bigint as depth from f
      union all select f.*, ${PUBLIC_SCOPE}::text, 0 from f where not f.confidential
      ${
        nationalOnly
          ? sql``
          : sql`union all select f.*, 'r:' || f.prov, 0 from f where f.prov is not null
      union all select f.*, 'r:' || f.kab, 0 from f where f.kab is not null
      union all select f.*, 'a:' || u.a, u.i from f cross join lateral unnest(f.p) with ordinality as u(a, i)`
      }
    ), k as (
      select s.*, d.dim, d.key from s cross join lateral (
        select 'agency'::text as dim, u.a as key from unnest(s.p) with ordinality as u(a, i) where u.i >= s.depth
        union all select 'agency', '-' where s.p is null
        union all select 'region', x from unnest(array[s.prov, s.kab]) as x
          where x is not null and not (s.scope like 'r:%.%' and x = s.prov)
        union all select 'region', '-' where s.prov is null
        union all select 'category', coalesce(s.category_id::text, '-')
        union all select 'classification', s.classification
        union all select 'channel', s.channel
        union all select 'all', 'all'
      ) d
    )
    select scope, dim, ${grain}, bucket, key, ${v.c}, ${v.h} from k group by scope, dim, bucket, key`);
}

/** Rebuilds the month rows (every scope) of `month` (`YYYY-MM`) from its facts. */
export async function rebuildMonth(db: AppDb, month: string, asOf: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from stats_rollup where grain = 'm' and bucket = ${`${month}-01`}`);
    await insertFromFacts(tx, sql`month = ${month}`, 'm', sql`${`${month}-01`}::date`, asOf, false);
  });
}

/** Rebuilds the national week rows of the week starting on Monday `week`. */
export async function rebuildWeek(db: AppDb, week: string, asOf: Date): Promise<void> {
  const end = addCalendarDays(week, 6);
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from stats_rollup where grain = 'w' and bucket = ${week}`);
    await insertFromFacts(
      tx,
      sql`created_date between ${week} and ${end}`,
      'w',
      sql`${week}::date`,
      asOf,
      true,
    );
  });
}

/**
 * Rebuilds the national day rows of `days` (local dates of receipt, one statement per month): the
 * reader's edges of a range (days no week or month covers) then never touch the per-report facts.
 */
export async function rebuildDays(db: AppDb, days: string[], asOf: Date): Promise<void> {
  const byMonth = new Map<string, string[]>();
  for (const d of days) byMonth.set(d.slice(0, 7), [...(byMonth.get(d.slice(0, 7)) ?? []), d]);
  for (const list of byMonth.values()) {
    const dates = sql.join(
      list.map((d) => sql`${d}::date`),
      sql`, `,
    );
    await db.transaction(async (tx) => {
      await tx.execute(
        sql`delete from stats_rollup where grain = 'd' and scope in ('*', ${PUBLIC_SCOPE}) and bucket in (${dates})`,
      );
      await insertFromFacts(tx, sql`created_date in (${dates})`, 'd', sql`created_date`, asOf, true);
    });
  }
}

/**
 * Rebuilds a quarter (from its month rows) or a year (from its quarter rows) for the national and
 * provincial scopes.
 */
export async function rebuildPeriod(db: AppDb, grain: 'q' | 'y', start: string): Promise<void> {
  const parts = grain === 'q' ? 3 : 4;
  const step = grain === 'q' ? 1 : 3;
  const buckets = Array.from({ length: parts }, (_, i) => {
    const d = new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)) - 1 + i * step, 1));
    return d.toISOString().slice(0, 10);
  });
  const v = rollupVectorsSql();
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from stats_rollup where grain = ${grain} and bucket = ${start}`);
    await tx.execute(sql`
      insert into stats_rollup (scope, dim, grain, bucket, key, c, h)
      select scope, dim, ${grain}, ${start}::date, key, ${v.c}, ${v.h} from stats_rollup
      where grain = ${grain === 'q' ? 'm' : 'q'} and bucket in (${sql.join(
        buckets.map((m) => sql`${m}::date`),
        sql`, `,
      )}) and scope in (select '*' union all select ${PUBLIC_SCOPE}::text
                        union all select 'r:' || code from regions where level = 1)
      group by scope, dim, key`);
  });
}

/** Rebuilds every roll-up bucket containing one of `dates` (local dates of receipt). */
export async function rebuildBuckets(db: AppDb, dates: Iterable<string>, asOf: Date): Promise<string[]> {
  const days = new Set<string>();
  const months = new Set<string>();
  const weeks = new Set<string>();
  const quarters = new Set<string>();
  const years = new Set<string>();
  for (const d of dates) {
    const b = bucketsOf(d);
    days.add(b.d);
    months.add(b.m.slice(0, 7));
    weeks.add(b.w);
    quarters.add(b.q);
    years.add(b.y);
  }
  const sorted = [...months].sort();
  for (const m of sorted) await rebuildMonth(db, m, asOf);
  for (const w of [...weeks].sort()) await rebuildWeek(db, w, asOf);
  await rebuildDays(db, [...days].sort(), asOf);
  for (const q of [...quarters].sort()) await rebuildPeriod(db, 'q', q);
  for (const y of [...years].sort()) await rebuildPeriod(db, 'y', y);
  return sorted;
}

/** Version of the roll-up layout; a watermark without it (or older) triggers a full rebuild. */
export const ROLLUP_VERSION = 5;

/**
 * Brings the statistics read model up to date. `full: true` recomputes every report and bucket
 * (after an import or a formula change). Safe to run concurrently with writes; run it from one worker.
 */
export async function refreshStats(svc: Services, opts: { full?: boolean } = {}): Promise<RefreshResult> {
  const now = svc.now();
  const mark = await readWatermark(svc.db);
  const full = opts.full || !mark || mark.rollup !== ROLLUP_VERSION;
  const since = full ? null : mark.at;
  const ids = await staleIds(svc.db, since, now);
  const dates = await refreshFacts(svc, ids, now);
  if (full) {
    await svc.db.execute(sql`delete from stats_rollup`);
    for (const r of await query<{ d: string }>(
      svc.db,
      sql`select distinct created_date::text as d from stats_report_facts`,
    )) {
      dates.add(r.d);
    }
  }
  const months = await rebuildBuckets(svc.db, dates, now);
  const value = { at: now.toISOString(), reports: ids.length, rollup: ROLLUP_VERSION };
  await svc.db
    .insert(settings)
    .values({ key: WATERMARK_KEY, value })
    .onConflictDoUpdate({ target: settings.key, set: { value } });
  return { reports: ids.length, months, at: now.toISOString() };
}
