/**
 * What the deadline sweeper looks at: running clocks of open reports due soon or past due, old open
 * reports (Ombudsman offer), the sweep_log keys already done, calendars and rules, and the coordinator
 * of a region. Read-only; the sweeper acts through commands.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { agencies, settings } from '../db/schema.ts';
import { loadCalendar, loadHolidays, loadSlaRules } from '../db/repositories/calendar.ts';
import { OPEN_STATUSES, type ZoneName } from '../domain/report/report.ts';
import {
  WIT_PROVINCES,
  WITA_PROVINCES,
  ZONE_OFFSET_MINUTES,
  type Holiday,
  type WorkingCalendar,
} from '../domain/deadline/calendar.ts';
import type { SlaRule } from '../domain/deadline/sla.ts';
import type { Services } from '../app/context.ts';
import { CENTRAL_BRANCH_KINDS } from '../policies/agency-branch.ts';

/** A running clock of an open report with the sweep actions it still owes (not yet in sweep_log). */
export interface DueClockRow {
  deadlineId: number;
  reportId: string;
  trackingId: string;
  status: string;
  clock: string;
  ruleId: string;
  ruleVersion: number;
  dueAt: Date;
  /** Calendar scope: the deadline's agency zone/region, else the report's region. */
  zone: ZoneName | null;
  agencyRegion: string | null;
  regionCode: string | null;
  /** Who holds the report now (handling agency), and the agency the reporter chose. */
  agencyId: string | null;
  targetAgencyId: string | null;
  /** Codes of the owed actions (see {@link ClockCut.code}), in plan order. */
  codes: string[];
}

/**
 * One kind of sweep action for the clocks of one zone: the clocks it applies to, and the due-time range
 * `[from, until)` in which a clock owes it. The sweep_log key is `keyPrefix || deadlineId || keySuffix`.
 */
export interface ClockCut {
  zone: ZoneName;
  /** Action code, e.g. `reminder`, `overdue`, `ladder:3`, `auto_close`, `archive_no_reply`. */
  code: string;
  /** Plan order of the action within one clock. */
  ord: number;
  clocks: readonly string[];
  /** Report status the action needs (auto-close: responded; no-reply archive: on_hold). */
  status: string | null;
  /** Inclusive lower bound of due_at (null: none). */
  from: Date | null;
  /** Exclusive upper bound of due_at. */
  until: Date;
  keyPrefix: string;
  keySuffix: string;
}

const lit = (v: string) => sql.raw(`'${v.replace(/'/g, "''")}'`);
const ts = (d: Date | null) =>
  d ? sql`${d.toISOString()}::timestamptz` : sql.raw(`'-infinity'::timestamptz`);

/** SQL twin of `zoneForRegion` over a region-code column (null or empty: WIB). */
export function zoneOfRegionSql(column: SQL): SQL {
  const list = (set: ReadonlySet<string>) => sql.raw([...set].map((p) => `'${p}'`).join(', '));
  return sql`(case when left(btrim(coalesce(${column}, '')), 2) in (${list(WITA_PROVINCES)}) then 'WITA'
    when left(btrim(coalesce(${column}, '')), 2) in (${list(WIT_PROVINCES)}) then 'WIT' else 'WIB' end)`;
}

/**
 * SQL: the local month (`YYYY-MM`) of timestamp `at` in the zone of the region in `regionColumn` (as
 * `zoneOfRegionSql`), so a time just after midnight on the 1st in WITA/WIT counts in the new month, as the
 * statistics' local dates of receipt do.
 */
export function localMonthOfRegionSql(at: SQL, regionColumn: SQL): SQL {
  return sql`to_char((${at} at time zone 'UTC') + make_interval(mins => (case ${zoneOfRegionSql(regionColumn)}
          ${sql.raw(
            Object.entries(ZONE_OFFSET_MINUTES)
              .map(([zone, minutes]) => `when '${zone}' then ${minutes}`)
              .join(' '),
          )} end)), 'YYYY-MM')`;
}

/** `(col >= a and col < b) or …` over merged ranges, so the scan reads only the union of the windows. */
function rangesSql(column: SQL, ranges: ReadonlyArray<readonly [Date | null, Date]>): SQL {
  const sorted = [...ranges].sort((x, y) => (x[0]?.getTime() ?? -Infinity) - (y[0]?.getTime() ?? -Infinity));
  const merged: Array<[Date | null, Date]> = [];
  for (const [a, b] of sorted) {
    const last = merged[merged.length - 1];
    if (last && (a === null || a.getTime() <= last[1].getTime())) {
      if (b.getTime() > last[1].getTime()) last[1] = b;
    } else merged.push([a, b]);
  }
  if (merged.length === 0) return sql`false`;
  return sql`(${sql.join(
    merged.map(([a, b]) =>
      a ? sql`(${column} >= ${ts(a)} and ${column} < ${ts(b)})` : sql`${column} < ${ts(b)}`,
    ),
    sql` or `,
  )})`;
}

/**
 * The running clocks of open reports that owe at least one of the `cuts` actions, with the owed action
 * codes. Selection happens in SQL: a range scan of report_deadlines_running_idx over the union of the
 * cut windows, each clock matched to the cuts of its calendar zone (`due_at` inside the cut's window),
 * and the actions already in sweep_log dropped by an anti-join. With `startedSince` (incremental sweeps),
 * clocks started after that moment are matched against the cuts without their lower bound
 * (report_deadlines_running_started_idx), so a new clock is never missed.
 */
export async function dueClockActions(
  svc: Services,
  cuts: readonly ClockCut[],
  opts: { startedSince?: Date } = {},
): Promise<DueClockRow[]> {
  if (cuts.length === 0) return [];
  const open = sql.join(
    OPEN_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  // One row per (zone, clock, action): clocks meet their cuts through a hash join on (zone, clock).
  const values = sql.join(
    cuts.flatMap((c) =>
      c.clocks.map(
        (clock) =>
          sql`(${lit(c.zone)}, ${lit(clock)}, ${sql.raw(String(c.ord))}, ${lit(c.code)}, ${c.status ? lit(c.status) : sql.raw('null::text')}, ${ts(c.from)}, ${ts(c.until)}, ${lit(c.keyPrefix)}, ${lit(c.keySuffix)})`,
      ),
    ),
    sql`, `,
  );
  const since = opts.startedSince;
  // The index ranges: the union of the cut windows, plus (incremental) the clocks started since the watermark.
  const windows = rangesSql(
    sql.raw('d.due_at'),
    cuts.map((c) => [c.from, c.until] as const),
  );
  const hiMax = new Date(Math.max(...cuts.map((c) => c.until.getTime())));
  const scan = since
    ? sql`(${windows} or (d.started_at > ${ts(since)} and d.due_at < ${ts(hiMax)}))`
    : windows;
  const lower = since ? sql`(d.due_at >= c.lo or d.started_at > ${ts(since)})` : sql`d.due_at >= c.lo`;
  // Candidates are found from report_deadlines and the (small) agencies table alone, and the steps already
  // in sweep_log dropped, before any report row is read: a steady-state sweep touches no report at all.
  // Clocks without an agency zone are matched to every zone's cuts here and to their own zone below.
  // The owed steps are then folded into one row per clock and cut group (`codes`) before the reports are
  // read, so each report row is read once per clock, not once per owed step. A clock meets one cut group
  // after the report filter: its clock kind fixes the cut status, and only its own zone passes.
  const rows = await query<Record<string, unknown>>(
    svc.db,
    sql`with cut (zone, clock, ord, code, status, lo, hi, kp, ks) as (values ${values}),
      clk as materialized (
        select d.id, d.report_id, d.clock, d.due_at, d.started_at, d.rule_id, d.rule_version, d.agency_id,
          a.zone as azone, a.region_code as aregion
        from report_deadlines d left join agencies a on a.id = d.agency_id
        where d.stopped_at is null and ${scan}
      ),
      cand as materialized (
        select d.*, c.zone as czone, c.status as cstatus, c.ord, c.code, c.kp || d.id::text || c.ks as key
        from clk d join cut c on c.zone = d.azone and c.clock = d.clock
        where d.due_at < c.hi and ${lower}
        union all
        select d.*, c.zone as czone, c.status as cstatus, c.ord, c.code, c.kp || d.id::text || c.ks as key
        from clk d join cut c on c.clock = d.clock
        where d.azone is null and d.due_at < c.hi and ${lower}
      ),
      owed as (
        select id, report_id, clock, due_at, rule_id, rule_version, azone, aregion, czone, cstatus,
          array_agg(code order by ord) as codes
        from cand
        where not exists (select 1 from sweep_log s where s.key = cand.key)
        group by id, report_id, clock, due_at, rule_id, rule_version, azone, aregion, czone, cstatus
      )
      select o.id, o.report_id, r.tracking_id, r.status, o.clock, o.rule_id, o.rule_version, o.due_at,
        o.azone as zone, o.aregion as agency_region, r.region_code, r.agency_id, r.target_agency_id, o.codes
      from owed o
      join reports r on r.id = o.report_id
      where r.status in (${open}) and (o.cstatus is null or o.cstatus = r.status)
        and o.czone = coalesce(o.azone, ${zoneOfRegionSql(sql.raw('r.region_code'))})
      order by o.due_at, o.id`,
  );
  return rows.map((r) => ({
    deadlineId: Number(r.id),
    reportId: String(r.report_id),
    trackingId: String(r.tracking_id),
    status: String(r.status),
    clock: String(r.clock),
    ruleId: String(r.rule_id),
    ruleVersion: Number(r.rule_version),
    dueAt: new Date(r.due_at as string),
    zone: (r.zone as ZoneName | null) ?? null,
    agencyRegion: (r.agency_region as string | null) ?? null,
    regionCode: (r.region_code as string | null) ?? null,
    agencyId: (r.agency_id as string | null) ?? null,
    targetAgencyId: (r.target_agency_id as string | null) ?? null,
    codes: pgTextArray(r.codes),
  }));
}

/** A text[] column as returned by either driver (an array, or the `{a,b}` literal). */
function pgTextArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  const s = String(v ?? '');
  if (s === '{}' || s === '') return [];
  return s
    .replace(/^\{|\}$/g, '')
    .split(',')
    .map((x) => x.replace(/^"|"$/g, ''));
}

/** An open report old enough to be offered the Ombudsman hand-off. */
export interface OldReportRow {
  reportId: string;
  trackingId: string;
  classification: string;
  supervisory: boolean;
  createdAt: Date;
  regionCode: string | null;
  zone: ZoneName | null;
  agencyRegion: string | null;
  /**
   * The holding agency lies in a kementerian or lembaga branch (instansi vertikal): its escalation clock follows the
   * national rules (`clockRuleRegion`).
   */
  agencyCentral: boolean;
}

/**
 * Open (not on hold) reports not yet offered the Ombudsman hand-off, created before their zone's
 * cut-off (`before`, per zone) and — incremental — inside one of `ranges` of created_at.
 * Range scan on reports_created_idx; offered ones dropped by an anti-join on sweep_log.
 */
export async function ombudsmanCandidates(
  svc: Services,
  before: Readonly<Record<ZoneName, Date>>,
  ranges?: ReadonlyArray<readonly [Date | null, Date]>,
): Promise<OldReportRow[]> {
  const open = sql.join(
    OPEN_STATUSES.filter((s) => s !== 'on_hold').map((s) => sql`${s}`),
    sql`, `,
  );
  const central = sql.join(
    CENTRAL_BRANCH_KINDS.map((k) => sql`${k}`),
    sql`, `,
  );
  const max = new Date(Math.max(...Object.values(before).map((d) => d.getTime())));
  const perZone = sql.join(
    Object.entries(before).map(([z, d]) => sql`(${lit(z)}, ${ts(d)})`),
    sql`, `,
  );
  const rows = await query<Record<string, unknown>>(
    svc.db,
    sql`with cut (zone, hi) as (values ${perZone})
        select r.id, r.tracking_id, r.classification, r.supervisory, r.created_at, r.region_code, a.zone,
          a.region_code as agency_region,
          exists (select 1 from agencies b where b.kind in (${central})
            and strpos(a.path, '/' || b.id || '/') > 0) as agency_central
        from reports r left join agencies a on a.id = r.agency_id
        join cut c on c.zone = coalesce(a.zone, ${zoneOfRegionSql(sql.raw('r.region_code'))})
        where r.status in (${open}) and r.created_at < ${ts(max)} and r.created_at < c.hi
          ${ranges ? sql`and ${rangesSql(sql.raw('r.created_at'), ranges)}` : sql``}
          and not exists (select 1 from sweep_log s where s.key = 'ombudsman_offer:' || r.id::text)
        order by r.created_at, r.id`,
  );
  return rows.map((r) => ({
    reportId: String(r.id),
    trackingId: String(r.tracking_id),
    classification: String(r.classification),
    supervisory: r.supervisory === true,
    createdAt: new Date(r.created_at as string),
    regionCode: (r.region_code as string | null) ?? null,
    zone: (r.zone as ZoneName | null) ?? null,
    agencyRegion: (r.agency_region as string | null) ?? null,
    agencyCentral: r.agency_central === true,
  }));
}

/** Every holiday row (national, cuti bersama, regional), for the sweeper's calendars. */
export function holidaysNow(svc: Services): Promise<Holiday[]> {
  return loadHolidays(svc.db);
}

/** The working calendar of a zone and region. */
export function calendarOf(
  svc: Services,
  zone: ZoneName,
  regionCode: string | null,
): Promise<WorkingCalendar> {
  return loadCalendar(svc.db, zone, regionCode);
}

/** Every SLA rule version. */
export function slaRulesNow(svc: Services): Promise<SlaRule[]> {
  return loadSlaRules(svc.db);
}

/** The region's coordinator (Diskominfo of the kab/kota, else of the province), by agency id. */
export async function coordinatorFor(svc: Services, agencyId: string | null): Promise<string | null> {
  if (!agencyId) return null;
  const [a] = await svc.db.select().from(agencies).where(eq(agencies.id, agencyId)).limit(1);
  if (!a?.regionCode) return null;
  const candidates = [a.regionCode, a.regionCode.split('.')[0]!];
  for (const code of candidates) {
    const [c] = await svc.db
      .select({ id: agencies.id })
      .from(agencies)
      .where(and(eq(agencies.isCoordinator, true), eq(agencies.regionCode, code), eq(agencies.active, true)))
      .limit(1);
    if (c) return c.id;
  }
  return null;
}

/** The escalation ladder stored in settings (`sweep.ladder`), or null for the default. */
export async function storedLadder(svc: Services): Promise<unknown> {
  const [row] = await svc.db.select().from(settings).where(eq(settings.key, 'sweep.ladder')).limit(1);
  return row?.value ?? null;
}

/** Overdue marks per agency (sweep_log), for metrics and the CLI. */
export async function overdueCountsByAgency(
  svc: Services,
): Promise<Array<{ agencyId: string | null; n: number }>> {
  return query(
    svc.db,
    sql`select agency_id as "agencyId", count(*)::int as n from sweep_log where action = 'overdue' group by 1 order by 2 desc`,
  );
}

/**
 * The sweeper's watermark (settings `sweep.swept_until`): the moment up to which every action has been
 * planned and performed, and the fingerprint of the configuration (holidays, SLA rules, ladder) that sweep
 * used. A watermark stored before fingerprints existed (a bare timestamp) has `config: null`.
 */
export async function sweepWatermark(svc: Services): Promise<{ at: Date; config: string | null } | null> {
  const [row] = await svc.db.select().from(settings).where(eq(settings.key, 'sweep.swept_until')).limit(1);
  const v = row?.value as unknown;
  if (typeof v === 'string') return { at: new Date(v), config: null };
  if (v && typeof v === 'object' && typeof (v as { at?: unknown }).at === 'string') {
    const o = v as { at: string; config?: unknown };
    return { at: new Date(o.at), config: typeof o.config === 'string' ? o.config : null };
  }
  return null;
}

/** The sweeper's watermark moment (see {@link sweepWatermark}). */
export async function sweptUntil(svc: Services): Promise<Date | null> {
  return (await sweepWatermark(svc))?.at ?? null;
}
