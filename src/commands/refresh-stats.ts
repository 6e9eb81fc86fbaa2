/**
 * refreshStats(svc): keeps the statistics read model current. It recomputes the per-report facts of
 * every report changed since the last run (plus reports whose running deadline has passed since then,
 * since "overdue" and "on time" change with the clock alone), then rebuilds the monthly roll-up rows
 * of the months those reports belong to. Dashboards read only the roll-up (docs/statistics.md).
 * Why: no full scan of `reports` per page view; the worker schedules this every few minutes.
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { query, type AppDb } from '../db/client.ts';
import { loadCalendar } from '../db/repositories/calendar.ts';
import { settings, statsMonthly, statsReportFacts } from '../db/schema.ts';
import {
  localDate,
  workingDaysBetween,
  zoneForRegion,
  type WorkingCalendar,
} from '../domain/deadline/calendar.ts';
import { PUBLIC_STATUSES, type ReportStatus, type ZoneName } from '../domain/report/report.ts';
import { aggregate, STATS_DIMENSIONS, type StatsFact } from '../domain/stats/aggregate.ts';
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

async function readWatermark(db: AppDb): Promise<Date | null> {
  const [row] = await query<{ value: { at: string } }>(
    db,
    sql`select value from settings where key = ${WATERMARK_KEY}`,
  );
  return row ? new Date(row.value.at) : null;
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

/** Recomputes and stores the facts of the given reports; returns the months they fall in. */
async function refreshFacts(svc: Services, ids: string[], now: Date): Promise<Set<string>> {
  const months = new Set<string>();
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
      months.add(month);
      values.push({
        reportId: r.id,
        createdDate: fact.createdDate,
        month,
        agencyId: r.agency_id,
        agencyPath: r.agency_path,
        regionCode: r.region_code,
        confidential: r.confidential,
        isPublic: !r.confidential && PUBLIC_STATUSES.includes(r.status as ReportStatus),
        openDueAt: open.length ? new Date(Math.min(...open)) : null,
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
            fact: sql`excluded.fact`,
            refreshedAt: sql`excluded.refreshed_at`,
          },
        });
    }
  }
  return months;
}

/** Rebuilds the roll-up rows of one month from its facts (every dimension). */
export async function rebuildMonth(db: AppDb, month: string): Promise<void> {
  const facts = (
    await query<{ fact: StatsFact }>(db, sql`select fact from stats_report_facts where month = ${month}`)
  ).map((r) => r.fact);
  const rows: { dim: string; key: string; month: string; acc: unknown }[] = [];
  for (const dim of STATS_DIMENSIONS) {
    for (const [key, acc] of aggregate(facts, dim)) rows.push({ dim, key, month, acc });
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from stats_monthly where month = ${month}`);
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(statsMonthly).values(rows.slice(i, i + 1000));
  });
}

/**
 * Brings the statistics read model up to date. `full: true` recomputes every report and month
 * (after an import or a formula change). Safe to run concurrently with writes; run it from one worker.
 */
export async function refreshStats(svc: Services, opts: { full?: boolean } = {}): Promise<RefreshResult> {
  const now = svc.now();
  const since = opts.full ? null : await readWatermark(svc.db);
  const ids = await staleIds(svc.db, since, now);
  const months = await refreshFacts(svc, ids, now);
  if (opts.full) {
    for (const r of await query<{ month: string }>(
      svc.db,
      sql`select distinct month from stats_report_facts`,
    )) {
      months.add(r.month);
    }
  }
  const sorted = [...months].sort();
  for (const m of sorted) await rebuildMonth(svc.db, m);
  await svc.db
    .insert(settings)
    .values({ key: WATERMARK_KEY, value: { at: now.toISOString(), reports: ids.length } })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value: { at: now.toISOString(), reports: ids.length } },
    });
  return { reports: ids.length, months: sorted, at: now.toISOString() };
}
