/**
 * Similar reports for duplicate detection (issue 7), on PostgreSQL full text (`indonesian`) and
 * pg_trgm, limited by region (the kab/kota prefix of the region code) and a time window.
 * Candidates come from an OR full-text query over the distinctive words of the text, ranked by
 * ts_rank inside the region and window, and, when the text has a point, from the reports sharing a word
 * within NEAR_RADIUS_M of it (closest first, across kab/kota borders too). They are then scored by a word
 * cosine (over stems) blended with the title trigram similarity, plus a bonus for being close
 * (src/domain/routing/similarity.ts).
 * Two audiences: the citizen writing a report (open PUBLIC reports only, no reporter data) and staff
 * at verification (every report they may see, confidential included, via `visibleTo`).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { query } from '../db/client.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { formatIsoInZone, zoneForRegion } from '../domain/deadline/calendar.ts';
import type { ZoneName } from '../domain/report/report.ts';
import { geoCells, haversineMetres } from '../domain/open311/geo.ts';
import {
  cosine,
  distinctiveTsquery,
  type LexemeShare,
  NEAR_RADIUS_M,
  proximityBonus,
  searchTerms,
  similarityScore,
  wordCounts,
} from '../domain/routing/similarity.ts';
import { stem } from '../integrations/indonesian-stemmer.ts';
import { authorize } from './access.ts';
import { supportedAmong } from './supports.ts';
import { inCell } from './open311.ts';
import { PUBLIC_REPORT, visibleTo } from './scope.ts';

/** A similar report as the citizen may see it: public fields only. */
export interface PublicSimilarReport {
  trackingId: string;
  title: string;
  status: string;
  regionCode: string | null;
  supportCount: number;
  createdAt: string;
  score: number;
  /** Metres between the two points, to 10 m; null when either has none. */
  distanceM: number | null;
  /** The asking person or device supports it already (`similarPublicReports` with `supporterKey`). */
  supported?: boolean;
}

/** A similar report as staff see it at verification. */
export interface StaffSimilarReport extends PublicSimilarReport {
  confidential: boolean;
  agencyId: string | null;
  agencyName: string | null;
}

/** Tuning of the lookup. */
export interface SimilarOptions {
  /**
   * The time window in days: back from now on the citizen side (default CITIZEN_WINDOW_DAYS), before and
   * after the report on the staff side (default STAFF_WINDOW_DAYS each way).
   */
  windowDays?: number;
  /** Results at most (default 5). */
  limit?: number;
  /** Minimum score to report a candidate (default 0.65, best F1 on the labelled duplicate set). */
  minScore?: number;
  /** Candidates fetched from SQL before scoring (default 40), and as many again near the point. */
  candidates?: number;
  /** The largest proximity bonus (default DEFAULT_NEAR_BONUS); 0 scores the text alone. */
  nearBonus?: number;
  /** A word in more than this share of all reports is not a candidate word alone (default COMMON_TERM_SHARE). */
  commonTermShare?: number;
  /** The candidate words' shares add up to at most this (default CANDIDATE_SHARE_BUDGET). */
  candidateShareBudget?: number;
  /** When the full-text index leads, its common words add up to at most this many reports (default GIN_READ_ROWS). */
  indexReadRows?: number;
  /**
   * The score's word cosine compares stems (default true: *tersumbat* and *penyumbatan*, *dibersihkan* and
   * *pembersihan* count as the same word); false compares the words as written.
   */
  stemWords?: boolean;
}

/** A point in degrees. */
export interface Point {
  lat: number;
  lon: number;
}

/** Default minimum similarity score (docs/benchmarks.md: duplicate detection). */
export const DEFAULT_MIN_SCORE = 0.65;
/** Citizen side: open reports of the last 180 days. */
export const CITIZEN_WINDOW_DAYS = 180;
/**
 * Staff side: 90 days before and after the report (a 180-day span like the citizen side; it was ±180): a
 * duplicate is filed close to its original, and every status is read here, so the window sets the cost.
 */
export const STAFF_WINDOW_DAYS = 90;

/** The kab/kota prefix (two segments) of a region code, or the province when that is all there is. */
export function regionPrefix(code: string | null | undefined): string | null {
  if (!code) return null;
  return code.split('.').slice(0, 2).join('.');
}

interface Candidate {
  tracking_id: string;
  title: string;
  body: string;
  status: string;
  region_code: string | null;
  support_count: number;
  created_at: string | Date;
  confidential: boolean;
  agency_id: string | null;
  agency_name: string | null;
  /** The zone of the handling (else addressed) agency: `createdAt` is given in it, as `presentReport` does. */
  zone: string | null;
  lat: number | null;
  lon: number | null;
  title_sim: number;
}

async function candidates(
  svc: Services,
  text: { title: string; body: string },
  filter: SQL,
  region: string | null,
  since: Date,
  until: Date,
  limit: number,
  point: Point | null,
  opts: SimilarOptions,
): Promise<Candidate[]> {
  const regionCond = region
    ? sql`(r.region_code = ${region} or r.region_code like ${`${region}.%`})`
    : sql`true`;
  const window = sql`r.created_at >= ${since.toISOString()} and r.created_at <= ${until.toISOString()}`;
  // A text with no search word matches nothing: answered before the count below.
  const terms = searchTerms(`${text.title}\n${text.body}`);
  if (terms.length === 0) return [];
  // Which index leads. In a quiet kab/kota the region and window hold a few hundred reports: reading them all is
  // cheaper than the full-text index's lists of the query's words over the whole table, which the planner tends to
  // add (45 ms for 39,000 entries, for 300 rows of the region). In a busy one (more than BUSY_WINDOW_ROWS) the
  // full-text index must narrow the region's rows first (otherwise tens of thousands are read: 0.6 s). `is true`
  // keeps the planner from using the full-text index in the quiet case (the condition is the same). When the index
  // leads, the common words it reads are bounded (`pairBudget`: GIN_READ_ROWS entries).
  const busy = !region || (await busyWindow(svc, sql`r.region_code like ${`${region}.%`} and ${window}`));
  const distinct = await tsqueryOfTerms(svc, terms, opts, busy);
  if (distinct === null) return [];
  const matches = busy ? sql`r.search @@ q.q` : sql`(r.search @@ q.q) is true`;
  // Near the point: the grid cells of the circle's bounding box, read through reports_geo_cell_idx with the index's
  // own expressions (`inCell`), as the Open311 radius filter does; a lat/lon range would read a whole band of
  // latitude. Not limited to the kab/kota: a report across the border a few hundred metres away is the same street.
  const cells = (point && geoCells({ circle: { ...point, radius: NEAR_RADIUS_M } })) || [];
  const near = cells.length
    ? sql`(${sql.join(
        cells.map((c) => sql`(${inCell(c)})`),
        sql` or `,
      )})`
    : null;
  const inRegion = region ? regionCond : near ? sql`false` : sql`true`;
  const place = near ? (region ? sql`(${regionCond} or ${near})` : near) : regionCond;
  const d2 = point
    ? sql`power(r.lat - ${point.lat}::float8, 2) + power((r.lon - ${point.lon}::float8) * ${Math.cos((point.lat * Math.PI) / 180)}::float8, 2)`
    : sql`null::float8`;
  const columns = sql`tracking_id, title, body, status, region_code, support_count, created_at, confidential, agency_id,
                      zone, lat, lon, rank`;
  // One pass over the reports that match the words in the kab/kota (and window) or near the point: the region + time
  // window (reports_region_prefix_idx) or the cells bound the rows, full text picks and ranks them (ts_rank only:
  // cheap on the stored tsvector) and carries the columns the answer needs. Then the best ranked of the kab/kota and
  // the closest of the circle. In a busy kab/kota the full-text index is read once for both (two branches read it
  // twice, and the circle's branch read every report of its cells to test the words). It asks for the text's
  // distinctive words only (`distinctiveTsquery`): every row matched is read and ranked, and in a busy kab/kota the
  // common words of a text match tens of thousands of reports (docs/routing.md, "Duplicates and similar reports").
  // The title trigram similarity is computed for the candidates only, not for every row in the window.
  return query<Candidate>(
    svc.db,
    // `not materialized`: q would otherwise be materialised, and the planner would not see the tsquery; it would then
    // choose between the region and the full-text index blind (`busy` above decides instead).
    sql`with q as not materialized (select ${distinct}::tsquery as q),
        m as materialized (
          select r.tracking_id, r.title, r.body, r.status, r.region_code, r.support_count, r.created_at,
                 r.confidential, r.agency_id, coalesce(a.zone, t.zone) as zone, r.lat, r.lon,
                 ts_rank(r.search, q.q) as rank, ${inRegion} as in_region, ${near ?? sql`false`} as in_near,
                 ${d2} as d2
            from reports r
            cross join q
            left join agencies a on a.id = r.agency_id
            left join agencies t on t.id = r.target_agency_id
           where ${matches}
             and ${place}
             and ${window}
             and ${filter}),
        c as ((select ${columns} from m where in_region order by rank desc, tracking_id limit ${limit})
              union (select ${columns} from m where in_near order by d2, tracking_id limit ${limit}))
        select c.tracking_id, c.title, c.body, c.status, c.region_code, c.support_count, c.created_at,
               c.confidential, c.agency_id, a.name as agency_name, c.zone, c.lat, c.lon,
               similarity(c.title, ${text.title}) as title_sim
          from c
          left join agencies a on a.id = c.agency_id
         order by c.rank desc, c.tracking_id`,
  );
}

/** More reports than this in a lookup's kab/kota and window make it busy (`candidates`). */
const BUSY_WINDOW_ROWS = 3_000;

/**
 * Whether more than BUSY_WINDOW_ROWS reports meet `where` (counted up to one more). `where` is one range of the region
 * index (the kab/kota's codes below it, not an OR), so the count reads the index alone.
 */
async function busyWindow(svc: Services, where: SQL): Promise<boolean> {
  const [row] = await query<{ n: number }>(
    svc.db,
    sql`select count(*)::int as n from (select 1 from reports r where ${where} limit ${BUSY_WINDOW_ROWS + 1}) x`,
  );
  return (row?.n ?? 0) > BUSY_WINDOW_ROWS;
}

/**
 * The tsquery that picks a text's candidates: its distinctive words (`distinctiveTsquery`, with the shares of
 * `lexemeShares`), or null when it has no search word. `indexLeads`: the full-text index will be read (a busy
 * kab/kota), so the common words asked for are bounded by `indexReadRows`.
 */
export async function candidateTsquery(
  svc: Services,
  text: { title: string; body: string },
  opts: Pick<SimilarOptions, 'commonTermShare' | 'candidateShareBudget' | 'indexReadRows'> = {},
  indexLeads = false,
): Promise<string | null> {
  const terms = searchTerms(`${text.title}\n${text.body}`);
  return terms.length === 0 ? null : tsqueryOfTerms(svc, terms, opts, indexLeads);
}

/** `candidateTsquery` for a text's search terms (`searchTerms`, at least one). */
async function tsqueryOfTerms(
  svc: Services,
  terms: string[],
  opts: Pick<SimilarOptions, 'commonTermShare' | 'candidateShareBudget' | 'indexReadRows'>,
  indexLeads: boolean,
): Promise<string | null> {
  const stats = await lexemeStats(svc);
  const shares = await lexemeShares(svc, stats, terms);
  const pairBudget =
    indexLeads && stats.rows > 0
      ? (opts.indexReadRows ?? GIN_READ_ROWS) / stats.rows
      : Number.POSITIVE_INFINITY;
  return distinctiveTsquery(shares, opts.commonTermShare, opts.candidateShareBudget, pairBudget);
}

/**
 * When the full-text index leads a lookup, its common words may add up to this many reports (`distinctiveTsquery`'s
 * `pairBudget`): reading an index entry costs about 0.3 µs (docs/benchmarks.md, "Bounded common words and one
 * pass").
 */
export const GIN_READ_ROWS = 80_000;

/** How long a process reuses PostgreSQL's statistics of `reports.search` (they change at each ANALYZE). */
const STATS_TTL_MS = 5 * 60_000;

interface LexemeStats {
  readAt: number;
  /** The planner's estimate of the reports in the table (`pg_class.reltuples`; 0 or less when never analysed). */
  rows: number;
  shares: Map<string, number>;
  /** The share of a lexeme not among the most common ones: half the rarest of them (0 without statistics). */
  floor: number;
}

let statsByDatabase = new WeakMap<object, LexemeStats>();

/**
 * PostgreSQL's most common lexemes of `reports.search` with the share of reports containing each (`pg_stats`, kept by
 * ANALYZE and autovacuum), read at most every STATS_TTL_MS per database: decoding them costs about 5 ms, more than the
 * rest of a lookup's candidate query on a quiet kab/kota.
 */
async function lexemeStats(svc: Services): Promise<LexemeStats> {
  const cached = statsByDatabase.get(svc.db);
  if (cached && Date.now() - cached.readAt < STATS_TTL_MS) return cached;
  // One row per lexeme, each with the table's estimated size; one row with null lexeme when never analysed.
  const rows = await query<{ n: number; e: string | null; f: number | null }>(
    svc.db,
    sql`select c.reltuples::float8 as n, u.e, u.f
          from pg_class c
          left join lateral (
            select u.e, u.f
              from pg_stats p, unnest(p.most_common_elems::text::text[], p.most_common_elem_freqs) as u(e, f)
             where p.schemaname = current_schema() and p.tablename = 'reports' and p.attname = 'search'
               and u.e is not null) u on true
         where c.oid = 'reports'::regclass`,
  );
  const shares = new Map(rows.flatMap((r) => (r.e === null ? [] : [[r.e, Number(r.f)] as const])));
  const floor = shares.size ? Math.min(...shares.values()) / 2 : 0;
  const stats = { readAt: Date.now(), rows: Number(rows[0]?.n ?? 0), shares, floor };
  statsByDatabase.set(svc.db, stats);
  return stats;
}

/** Read the statistics again on the next lookup (tests, after an ANALYZE). */
export function forgetLexemeStats(): void {
  statsByDatabase = new WeakMap();
}

/**
 * The lexemes of the search terms (the `indonesian` configuration, as `reports.search`) with the share of reports
 * containing each (`lexemeStats`). A lexeme not among the most common ones is rarer than the rarest of them: it
 * counts as half of that. On a table never analysed every share is 0.
 */
async function lexemeShares(svc: Services, stats: LexemeStats, terms: string[]): Promise<LexemeShare[]> {
  const rows = await query<{ lexeme: string }>(
    svc.db,
    sql`select unnest(tsvector_to_array(to_tsvector('indonesian', ${terms.join(' ')}))) as lexeme`,
  );
  return rows.map((r) => ({ lexeme: r.lexeme, share: stats.shares.get(r.lexeme) ?? stats.floor }));
}

/** A point, when both coordinates are finite numbers. */
function pointOf(lat: number | null | undefined, lon: number | null | undefined): Point | null {
  return typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon)
    ? { lat, lon }
    : null;
}

function rank(
  text: { title: string; body: string },
  point: Point | null,
  rows: Candidate[],
  opts: SimilarOptions,
  limit: number,
): (Candidate & { score: number; distanceM: number | null })[] {
  // Indonesian words the citizen and the other reporter inflect differently count as one (the candidate search
  // already stems: the `indonesian` configuration). Memoised: a known word costs a map lookup.
  const key = opts.stemWords === false ? undefined : stem;
  const mine = wordCounts(`${text.title}\n${text.body}`, key);
  const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
  return rows
    .map((c) => {
      const there = pointOf(c.lat === null ? null : Number(c.lat), c.lon === null ? null : Number(c.lon));
      const distanceM = point && there ? haversineMetres(point.lat, point.lon, there.lat, there.lon) : null;
      const textScore = similarityScore(
        cosine(mine, wordCounts(`${c.title}\n${c.body}`, key)),
        Number(c.title_sim),
      );
      return {
        ...c,
        distanceM: distanceM === null ? null : Math.round(distanceM / 10) * 10,
        // Ranked on the sum (an identical text nearby before an identical one far away), shown at most 1.
        rankScore: textScore + proximityBonus(distanceM, opts.nearBonus),
      };
    })
    .filter((c) => c.rankScore >= minScore)
    .sort((a, b) => b.rankScore - a.rankScore || (a.tracking_id < b.tracking_id ? -1 : 1))
    .slice(0, limit)
    .map((c) => ({ ...c, score: Math.min(1, c.rankScore) }));
}

/**
 * `createdAt` with the offset of the report's zone (`2026-11-16T17:50:27.674+08:00`), as every other report time of
 * the JSON API (`reportZone` in src/presenters/report.ts: the handling, else addressed agency's zone, else the
 * region's, else WIB).
 */
const iso = (c: Candidate) =>
  formatIsoInZone(
    new Date(c.created_at),
    (c.zone as ZoneName | null) ?? (c.region_code ? zoneForRegion(c.region_code) : 'WIB'),
  );
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * While a citizen writes: up to 5 similar OPEN PUBLIC reports in the same kab/kota, or within NEAR_RADIUS_M of
 * the draft's point, within the window. Never confidential, never unverified, and no reporter field in the
 * result.
 */
export async function similarPublicReports(
  svc: Services,
  input: {
    title: string;
    body: string;
    regionCode?: string | null | undefined;
    lat?: number | null | undefined;
    lon?: number | null | undefined;
    /** Who asks (`supporterKeyOf`): the reports they support already are marked. */
    supporterKey?: string | null | undefined;
  },
  opts: SimilarOptions = {},
): Promise<PublicSimilarReport[]> {
  const now = svc.now();
  const since = new Date(now.getTime() - (opts.windowDays ?? CITIZEN_WINDOW_DAYS) * 86_400_000);
  const open = sql`${PUBLIC_REPORT} and r.status in ('dispatched', 'returned', 'in_progress', 'responded')`;
  const point = opts.nearBonus === 0 ? null : pointOf(input.lat, input.lon);
  // Nowhere to be near (no region, no point): nothing, as the web journey shows, not the whole country.
  if (!regionPrefix(input.regionCode) && !point) return [];
  const rows = await candidates(
    svc,
    input,
    open,
    regionPrefix(input.regionCode),
    since,
    now,
    opts.candidates ?? 40,
    point,
    opts,
  );
  const ranked = rank(input, point, rows, opts, opts.limit ?? 5);
  const supported = await supportedAmong(
    svc.db,
    input.supporterKey,
    ranked.map((c) => c.tracking_id),
  );
  return ranked.map((c) => ({
    trackingId: c.tracking_id,
    title: c.title,
    status: c.status,
    regionCode: c.region_code,
    supportCount: c.support_count,
    createdAt: iso(c),
    score: round3(c.score),
    distanceM: c.distanceM,
    ...(input.supporterKey ? { supported: supported.has(c.tracking_id) } : {}),
  }));
}

/**
 * At verification: reports similar to `trackingId` that the caller may see (confidential ones
 * included for staff in scope), in the same kab/kota or within NEAR_RADIUS_M of its point, created within the
 * window before or after it.
 * The caller needs the verify right on the report (404 hidden, 403 otherwise).
 */
export async function similarReportsForStaff(
  svc: Services,
  caller: Caller,
  trackingId: string,
  opts: SimilarOptions = {},
): Promise<StaffSimilarReport[]> {
  const report = await loadReport(svc.db, trackingId);
  authorize(report, caller, 'verify');
  const row = report!.row;
  const days = (opts.windowDays ?? STAFF_WINDOW_DAYS) * 86_400_000;
  const at = row.createdAt.getTime();
  const point = opts.nearBonus === 0 ? null : pointOf(row.lat, row.lon);
  const rows = await candidates(
    svc,
    row,
    sql`${visibleTo(caller.actor)} and r.id <> ${row.id}`,
    regionPrefix(row.regionCode),
    new Date(at - days),
    new Date(at + days),
    opts.candidates ?? 40,
    point,
    opts,
  );
  return rank(row, point, rows, opts, opts.limit ?? 10).map((c) => ({
    trackingId: c.tracking_id,
    title: c.title,
    status: c.status,
    regionCode: c.region_code,
    supportCount: c.support_count,
    createdAt: iso(c),
    confidential: c.confidential,
    agencyId: c.agency_id,
    agencyName: c.agency_name,
    score: round3(c.score),
    distanceM: c.distanceM,
  }));
}
