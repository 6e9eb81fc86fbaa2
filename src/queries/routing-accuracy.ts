/**
 * Live routing accuracy for the back office (issue 7): per month, how many suggestions verifiers
 * decided on, how often the top suggestion was taken and how often the choice was among the three
 * shown; and misrouting over time (verified reports later returned as *bukan wewenang*). Each viewer sees
 * their own scope: national, their region (coordinators) or their agency subtree (agency admins).
 * Aggregates only: no report data.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { query } from '../db/client.ts';
import { canStaff, type Actor } from '../policies/can.ts';
import { scopeName } from './stats-labels.ts';
import { statsScopeOf, type StatsScope } from './stats-scope.ts';
import { localMonthOfRegionSql } from './sweep-candidates.ts';
import { ZONE_OFFSET_MINUTES } from '../domain/deadline/calendar.ts';

/** One month of routing figures. */
export interface RoutingMonth {
  month: string;
  /** Reports verified with an agency suggestion on screen. */
  decided: number;
  /** The verifier dispatched to the top suggested agency. */
  acceptedTop1: number;
  /** The chosen agency was among the three suggested. */
  inTop3: number;
  top1Accuracy: number | null;
  top3Accuracy: number | null;
  /** Category suggestions: decided and top-1 accepted. */
  categoryDecided: number;
  categoryAcceptedTop1: number;
  /** Report type (classification) suggestions: decided and top-1 accepted. */
  classificationDecided: number;
  classificationAcceptedTop1: number;
  /** Unit suggestions at disposisi: decided (the report was passed down) and top-1 followed. */
  unitDecided: number;
  unitAcceptedTop1: number;
  /** Verifications (dispatches) in the month, and bukan-wewenang returns in the month. */
  verifications: number;
  returns: number;
  /** returns / verifications. */
  misroutingRate: number | null;
}

/** Lower edges of the confidence bands of the agency suggestions, highest first; the last band starts at 0. */
export const CONFIDENCE_BANDS = [0.9, 0.8, 0.7, 0.5, 0] as const;

/**
 * The agency suggestions of the period decided with their top confidence in [from, to) (the first band includes
 * 1), and how often the verifier followed the top one. With calibrated confidences the share followed is close
 * to the band's confidence; the first band is what auto-dispatch would have sent at its default threshold (0.9).
 */
export interface ConfidenceBand {
  from: number;
  to: number;
  decided: number;
  acceptedTop1: number;
  top1Accuracy: number | null;
  /** Share of all agency suggestions decided in the period. */
  share: number | null;
}

/** Staff with `view_evaluation` in any of their grants (the page links are shown to them only). */
export function mayViewRoutingAccuracy(actor: Actor): boolean {
  return actor.grants.some((g) =>
    canStaff({ userId: actor.userId, grants: [g] }, 'view_evaluation', {
      regionCode: g.regionCode,
      agencyId: g.agencyId,
    }),
  );
}

/** a / b rounded to three decimals, null when b is 0. */
export const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

/** The months summed, with the overall rates of the period (same rounding as each month). */
export function routingTotals(months: RoutingMonth[]) {
  const sum = (
    k:
      | 'decided'
      | 'acceptedTop1'
      | 'inTop3'
      | 'verifications'
      | 'returns'
      | 'categoryDecided'
      | 'categoryAcceptedTop1'
      | 'classificationDecided'
      | 'classificationAcceptedTop1'
      | 'unitDecided'
      | 'unitAcceptedTop1',
  ) => months.reduce((n, m) => n + m[k], 0);
  const decided = sum('decided');
  const acceptedTop1 = sum('acceptedTop1');
  const inTop3 = sum('inTop3');
  const verifications = sum('verifications');
  const returns = sum('returns');
  return {
    decided,
    acceptedTop1,
    inTop3,
    top1Accuracy: ratio(acceptedTop1, decided),
    top3Accuracy: ratio(inTop3, decided),
    verifications,
    returns,
    misroutingRate: ratio(returns, verifications),
    categoryTop1Accuracy: ratio(sum('categoryAcceptedTop1'), sum('categoryDecided')),
    classificationTop1Accuracy: ratio(sum('classificationAcceptedTop1'), sum('classificationDecided')),
    unitTop1Accuracy: ratio(sum('unitAcceptedTop1'), sum('unitDecided')),
  };
}

/** The overall figures of a period. */
export type RoutingTotals = ReturnType<typeof routingTotals>;

/**
 * Whose figures the viewer sees: the widest scope among the grants that hold `view_evaluation`. National
 * admins and assessors without a region → national; coordinators → their region (as `statsScopeOf`, the
 * back-office statistics dashboard); agency admins → their agency subtree; regional assessors → their region.
 * Null when no grant may view routing accuracy.
 */
export function routingAccuracyScope(actor: Actor): StatsScope | null {
  const viewing = actor.grants.filter((g) => mayViewRoutingAccuracy({ userId: actor.userId, grants: [g] }));
  if (viewing.some((g) => g.role === 'assessor' && !g.regionCode)) return { kind: 'national' };
  const scope = statsScopeOf({ userId: actor.userId, grants: viewing.filter((g) => g.role !== 'assessor') });
  if (scope) return scope;
  const assessor = viewing.find((g) => g.role === 'assessor' && g.regionCode);
  return assessor ? { kind: 'region', regionCode: assessor.regionCode! } : null;
}

/** The scope of the figures, with the region's or agency's name (for headings and API clients). */
export type RoutingScope =
  | { kind: 'national' }
  | { kind: 'region'; regionCode: string; name: string }
  | { kind: 'agency'; agencyId: string; name: string };

/**
 * The scope's filters over the suggestions (`rs`) and the verify/return events (`e`), each joined to its report
 * (`r`).
 * Region: the report's location (`reports.region_code`) is the region or below it.
 * Agency: a decision counts when the agency the verifier dispatched to lies in the subtree (`chosen_label` of
 * an agency suggestion; for a category suggestion, the agency of the verify event of the same decision),
 * a verification when it dispatched into the subtree, a return when the subtree made it (the agency that
 * held the report, `data.fromAgencyId`).
 */
function scopeFilters(scope: StatsScope): { with: SQL; rs: SQL; e: SQL } {
  const none = sql``;
  if (scope.kind === 'region') {
    // `r` is the report of the row (joined in both parts of the query).
    const inRegion = sql`and (r.region_code = ${scope.regionCode} or r.region_code like ${`${scope.regionCode}.%`})`;
    return { with: none, rs: inRegion, e: inRegion };
  }
  if (scope.kind === 'agency') {
    return {
      // Materialised paths are '/'-separated with leading and trailing '/'.
      with: sql`subtree as (select id from agencies where strpos(path, ${`/${scope.agencyId}/`}) > 0),`,
      rs: sql`and (case when rs.kind in ('agency', 'unit') then rs.chosen_label
                   else (select ve.data->>'agencyId' from report_events ve
                          where ve.report_id = rs.report_id and ve.type = 'verify' and ve.created_at = rs.decided_at
                          order by ve.seq desc limit 1) end) in (select id from subtree)`,
      e: sql`and (case when e.type = 'verify' then e.data->>'agencyId'
                  else coalesce(e.data->>'fromAgencyId', e.actor_agency_id) end) in (select id from subtree)`,
    };
  }
  return { with: none, rs: none, e: none };
}

/** The scope with its display name (the id or code when unknown). */
async function namedScope(svc: Services, scope: StatsScope): Promise<RoutingScope> {
  if (scope.kind === 'national') return scope;
  return { ...scope, name: await scopeName(svc.db, scope) };
}

/**
 * Routing accuracy by month, oldest first, over the last `months` months (default 12), restricted to the
 * caller's scope (`routingAccuracyScope`), which is returned with the figures. Every month of the period is
 * listed, quiet ones with zeros and null rates.
 */
export async function routingAccuracy(
  svc: Services,
  caller: Caller,
  months = 12,
): Promise<{ scope: RoutingScope; months: RoutingMonth[]; confidence: ConfidenceBand[] }> {
  const scope = routingAccuracyScope(caller.actor);
  if (!scope) throw new AppError(caller.actor.userId ? 'FORBIDDEN' : 'UNAUTHENTICATED');
  // Months are local to each report's zone (WIB, WITA, WIT), as on the statistics pages. The period ends with the
  // month it already is in the easternmost zone; a month is closed once the westernmost zone (WIB) has left it.
  const offsets = Object.values(ZONE_OFFSET_MINUTES).map((m) => m * 60_000);
  const now = svc.now().getTime();
  const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);
  const last = new Date(now + Math.max(...offsets));
  const period = Array.from({ length: months }, (_, i) =>
    monthOf(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - (months - 1) + i, 1)),
  );
  const openFrom = monthOf(now + Math.min(...offsets));
  const cache = closedMonthCache(svc.db);
  const keyOf = (month: string) => JSON.stringify([scope, month]);
  // Closed months already read come from the cache; the query reads from the first month that did not.
  const first = period.find((m) => m >= openFrom || !cache.has(keyOf(m))) ?? openFrom;
  const read = await readMonths(svc, scope, first);
  const counts = new Map<string, MonthCounts>();
  for (const month of period) {
    const c = month < first ? cache.get(keyOf(month))! : (read.get(month) ?? EMPTY_COUNTS);
    if (month >= first && month < openFrom) cacheClosedMonth(cache, keyOf(month), c);
    counts.set(month, c);
  }
  const band = (k: 'band_decided' | 'band_accepted', i: number) =>
    [...counts.values()].reduce((n, c) => n + c[k][i]!, 0);
  const allDecided = [...counts.values()].reduce((n, c) => n + c.decided, 0);
  return {
    scope: await namedScope(svc, scope),
    confidence: CONFIDENCE_BANDS.map((from, i) => ({
      from,
      to: i === 0 ? 1 : CONFIDENCE_BANDS[i - 1]!,
      decided: band('band_decided', i),
      acceptedTop1: band('band_accepted', i),
      top1Accuracy: ratio(band('band_accepted', i), band('band_decided', i)),
      share: ratio(band('band_decided', i), allDecided),
    })),
    months: period.map((month) => {
      const c = counts.get(month)!;
      return {
        month,
        decided: c.decided,
        acceptedTop1: c.accepted,
        inTop3: c.top3,
        top1Accuracy: ratio(c.accepted, c.decided),
        top3Accuracy: ratio(c.top3, c.decided),
        categoryDecided: c.cat_decided,
        categoryAcceptedTop1: c.cat_accepted,
        classificationDecided: c.type_decided,
        classificationAcceptedTop1: c.type_accepted,
        unitDecided: c.unit_decided,
        unitAcceptedTop1: c.unit_accepted,
        verifications: c.verifications,
        returns: c.returns,
        misroutingRate: ratio(c.returns, c.verifications),
      };
    }),
  };
}

/** The counts of one month as the query returns them. */
interface MonthCounts {
  decided: number;
  accepted: number;
  top3: number;
  cat_decided: number;
  cat_accepted: number;
  type_decided: number;
  type_accepted: number;
  unit_decided: number;
  unit_accepted: number;
  verifications: number;
  returns: number;
  /** Agency suggestions decided, and followed, per confidence band (CONFIDENCE_BANDS order). */
  band_decided: number[];
  band_accepted: number[];
}
const EMPTY_COUNTS: MonthCounts = {
  decided: 0,
  accepted: 0,
  top3: 0,
  cat_decided: 0,
  cat_accepted: 0,
  type_decided: 0,
  type_accepted: 0,
  unit_decided: 0,
  unit_accepted: 0,
  verifications: 0,
  returns: 0,
  band_decided: CONFIDENCE_BANDS.map(() => 0),
  band_accepted: CONFIDENCE_BANDS.map(() => 0),
};

/**
 * Closed months per database handle and scope. Their figures cannot change: a suggestion is decided, and a verify
 * or return event written, at the moment it happens, and the scope filters read `reports.region_code` and
 * `agencies.path`, which no command changes after the fact (only a direct database edit would; a restart then
 * re-reads). Bounded (oldest entries dropped).
 * Why: at 1,000,000 reports the national 12-month read takes over a second, nearly all of it closed months.
 */
const closedMonths = new WeakMap<object, Map<string, MonthCounts>>();
const MAX_CLOSED_MONTHS = 2_000;
function closedMonthCache(db: object): Map<string, MonthCounts> {
  let map = closedMonths.get(db);
  if (!map) closedMonths.set(db, (map = new Map()));
  return map;
}
function cacheClosedMonth(cache: Map<string, MonthCounts>, key: string, counts: MonthCounts): void {
  cache.set(key, counts);
  if (cache.size > MAX_CLOSED_MONTHS) cache.delete(cache.keys().next().value as string);
}

/** Counts per confidence band (constants only, so plain SQL text): `b<i>_decided`, `b<i>_accepted`. */
const BAND_COLUMNS = CONFIDENCE_BANDS.map((from, i) => {
  const upper = i === 0 ? '' : ` and conf < ${CONFIDENCE_BANDS[i - 1]}`;
  const cond = `kind = 'agency' and conf >= ${from}${upper}`;
  return `count(*) filter (where ${cond})::int as b${i}_decided, count(*) filter (where ${cond} and accepted)::int as b${i}_accepted`;
}).join(',\n          ');

/** The scope's counts by local month, for the months from `first` (YYYY-MM) on. */
async function readMonths(
  svc: Services,
  scope: StatsScope,
  first: string,
): Promise<Map<string, MonthCounts>> {
  const [y, m] = first.split('-').map(Number) as [number, number];
  // From the earliest local start of that month (WIT, UTC+9); rows of the month before are dropped below.
  const s = new Date(
    Date.UTC(y, m - 1, 1) - Math.max(...Object.values(ZONE_OFFSET_MINUTES)) * 60_000,
  ).toISOString();
  const f = scopeFilters(scope);
  const localMonth = (at: SQL) => localMonthOfRegionSql(at, sql`r.region_code`);
  const rows = await query<Record<string, string | number>>(
    svc.db,
    sql`with ${f.with} decided as (
          select distinct on (rs.report_id, rs.kind, rs.decided_at) rs.kind, rs.accepted, rs.in_top3,
                 rs.top_confidence as conf, ${localMonth(sql`rs.decided_at`)} as month
            from routing_suggestions rs join reports r on r.id = rs.report_id
           where rs.decided_at >= ${s} and rs.kind in ('agency', 'category', 'classification', 'unit') ${f.rs}
           order by rs.report_id, rs.kind, rs.decided_at, rs.shown_at desc
        ), events as (
          select ${localMonth(sql`e.created_at`)} as month, e.type
            from report_events e join reports r on r.id = e.report_id
           where e.type in ('verify', 'return') and e.created_at >= ${s} ${f.e}
        ), facts as (
          select month, kind, accepted, in_top3, conf, null::text as type from decided
          union all
          select month, null, null, null, null::float8, type from events
        )
        select month,
          count(*) filter (where kind = 'agency')::int as decided,
          count(*) filter (where kind = 'agency' and accepted)::int as accepted,
          count(*) filter (where kind = 'agency' and in_top3)::int as top3,
          count(*) filter (where kind = 'category')::int as cat_decided,
          count(*) filter (where kind = 'category' and accepted)::int as cat_accepted,
          count(*) filter (where kind = 'classification')::int as type_decided,
          count(*) filter (where kind = 'classification' and accepted)::int as type_accepted,
          count(*) filter (where kind = 'unit')::int as unit_decided,
          count(*) filter (where kind = 'unit' and accepted)::int as unit_accepted,
          count(*) filter (where type = 'verify')::int as verifications,
          count(*) filter (where type = 'return')::int as returns,
          ${sql.raw(BAND_COLUMNS)}
        from facts group by month`,
  );
  const out = new Map<string, MonthCounts>();
  for (const r of rows) {
    const month = String(r.month);
    if (month < first) continue;
    const n = (k: string) => Number(r[k] ?? 0);
    out.set(month, {
      decided: n('decided'),
      accepted: n('accepted'),
      top3: n('top3'),
      cat_decided: n('cat_decided'),
      cat_accepted: n('cat_accepted'),
      type_decided: n('type_decided'),
      type_accepted: n('type_accepted'),
      unit_decided: n('unit_decided'),
      unit_accepted: n('unit_accepted'),
      verifications: n('verifications'),
      returns: n('returns'),
      band_decided: CONFIDENCE_BANDS.map((_, i) => n(`b${i}_decided`)),
      band_accepted: CONFIDENCE_BANDS.map((_, i) => n(`b${i}_accepted`)),
    });
  }
  return out;
}
