/**
 * Builds the open-data snapshot document (public reports, aggregate counters of the other non-confidential
 * reports, agency tree with admin-activity counts, population per region) and reads the snapshot index.
 * Counts only: no user is named, and no report that is not public contributes more than a count.
 * Why: `aduan evaluate` recomputes every data indicator from this document alone.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import type { UnlistedCount, UnlistedReports } from '../domain/evaluation/evaluate.ts';
import { OPEN_DATA_COLUMNS, type OpenDataRow } from '../domain/stats/open-data.ts';
import { openDataRows } from './open-data.ts';
import { PUBLIC_REPORT } from './scope.ts';
import { statsRefreshedAt } from './stats.ts';

/** The current snapshot schema. Schema 1 (no `reportsAsOf`, no `unlistedReports`) still reads. */
export const OPEN_DATA_SCHEMA = 'aduan-open-data/2';

/** One agency in the snapshot, with how many staff admins it has and how many were active in 30 days. */
export interface SnapshotAgency {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
  regionCode: string | null;
  admins: number;
  activeAdmins30d: number;
}

/**
 * The snapshot document. Schema 2 adds `reportsAsOf` (the statistics refresh the rows and counters come
 * from) and `unlistedReports` (counters of the non-confidential reports that are not rows: received, not
 * (yet) verified, on hold or archived; per date and kab/kota and per date and agency path).
 */
export interface OpenDataSnapshot {
  schema: 'aduan-open-data/1' | 'aduan-open-data/2';
  generatedAt: string;
  reportsAsOf?: string | null;
  columns: typeof OPEN_DATA_COLUMNS;
  reports: OpenDataRow[];
  unlistedReports?: UnlistedReports;
  agencies: SnapshotAgency[];
  regionStats: { code: string; population: number | null }[];
}

/** The parts of the snapshot that only change with a statistics refresh or a report's status or rahasia flag. */
export type SnapshotReportParts = Pick<
  OpenDataSnapshot,
  'reportsAsOf' | 'columns' | 'reports' | 'unlistedReports' | 'regionStats'
>;

/** The kab/kota part of a region code (`64.72.02` → `64.72`); a province code stays as it is. */
export function kabKotaOf(code: string): string {
  return code.split('.').slice(0, 2).join('.');
}

/** Orders counters by date, then by `key` (deterministic snapshot bytes). */
const byKey =
  <T extends { createdDate: string }>(key: (x: T) => string) =>
  (a: T, b: T) =>
    a.createdDate.localeCompare(b.createdDate) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * Counters of the non-confidential reports that are not rows of the open data (live `reports` row and facts
 * both non-confidential; not listed: not public now or not public at the last refresh), from the statistics
 * facts: per local date of receipt and kab/kota, and per date and agency path. Nothing else of those reports.
 */
export async function unlistedReportCounts(db: AppDb): Promise<UnlistedReports> {
  const rows = await query<UnlistedCount & { regionCode: string | null; agencyPath: string | null }>(
    db,
    sql`select f.created_date::text as "createdDate", f.region_code as "regionCode", f.agency_path as "agencyPath",
               count(*)::int as received,
               (count(*) filter (where f.fact->>'verifiedOnTime' is not null))::int as "verificationDue",
               (count(*) filter (where f.fact->>'verifiedOnTime' = 'true'))::int as "verifiedOnTime"
        from stats_report_facts f
        join reports r on r.id = f.report_id
        where not f.confidential and not r.confidential and not (${PUBLIC_REPORT} and f.is_public)
        group by f.created_date, f.region_code, f.agency_path`,
  );
  const region = new Map<string, UnlistedCount & { regionCode: string }>();
  const agency = new Map<string, UnlistedCount & { agencyPath: string[] }>();
  const add = (into: UnlistedCount, r: UnlistedCount) => {
    into.received += r.received;
    into.verificationDue += r.verificationDue;
    into.verifiedOnTime += r.verifiedOnTime;
  };
  const zero = (createdDate: string) => ({ createdDate, received: 0, verificationDue: 0, verifiedOnTime: 0 });
  for (const r of rows) {
    if (r.regionCode) {
      const regionCode = kabKotaOf(r.regionCode);
      const k = `${r.createdDate}|${regionCode}`;
      let c = region.get(k);
      if (!c) region.set(k, (c = { ...zero(r.createdDate), regionCode }));
      add(c, r);
    }
    const agencyPath = (r.agencyPath ?? '').split('/').filter(Boolean);
    if (agencyPath.length > 0) {
      const k = `${r.createdDate}|${agencyPath.join('/')}`;
      let c = agency.get(k);
      if (!c) agency.set(k, (c = { ...zero(r.createdDate), agencyPath }));
      add(c, r);
    }
  }
  return {
    byRegion: [...region.values()].sort(byKey((x) => x.regionCode)),
    byAgency: [...agency.values()].sort(byKey((x) => x.agencyPath.join('/'))),
  };
}

/** The agencies with their staff admin counts, active in the 30 days before `now` (live, cheap). */
export async function snapshotAgencies(db: AppDb, now: Date): Promise<SnapshotAgency[]> {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  return query<SnapshotAgency>(
    db,
    sql`select a.id, a.name, a.parent_id as "parentId", a.path, a.region_code as "regionCode",
          count(distinct g.user_id)::int as admins,
          count(distinct g.user_id) filter (where u.last_active_at >= ${since})::int as "activeAdmins30d"
        from agencies a
        left join role_grants g on g.agency_id = a.id and g.role in ('agency_admin', 'coordinator', 'officer')
        left join users u on u.id = g.user_id
        group by a.id order by a.path`,
  );
}

/** The report rows, unlisted counters and populations (the expensive part of a snapshot). */
export async function snapshotReportParts(db: AppDb): Promise<SnapshotReportParts> {
  const reportsAsOf = await statsRefreshedAt(db);
  const regionStats = await query<{ code: string; population: number | null }>(
    db,
    sql`select code, population from region_stats where code not like '%.%.%' order by code`,
  );
  return {
    reportsAsOf: reportsAsOf === null ? null : new Date(reportsAsOf).toISOString(),
    columns: OPEN_DATA_COLUMNS,
    reports: await openDataRows(db),
    unlistedReports: await unlistedReportCounts(db),
    regionStats,
  };
}

/** The snapshot document from its parts, in a fixed key order. */
export function assembleSnapshot(
  now: Date,
  parts: SnapshotReportParts,
  agencies: SnapshotAgency[],
): OpenDataSnapshot {
  return {
    schema: OPEN_DATA_SCHEMA,
    generatedAt: now.toISOString(),
    reportsAsOf: parts.reportsAsOf ?? null,
    columns: parts.columns,
    reports: parts.reports,
    ...(parts.unlistedReports ? { unlistedReports: parts.unlistedReports } : {}),
    agencies,
    regionStats: parts.regionStats,
  };
}

/** Builds the snapshot document from the database at `now` (reports as of the last statistics refresh). */
export async function buildOpenDataSnapshot(db: AppDb, now: Date): Promise<OpenDataSnapshot> {
  const parts = await snapshotReportParts(db);
  return assembleSnapshot(now, parts, await snapshotAgencies(db, now));
}

/**
 * A fingerprint of what the snapshot's rows and counters read live beyond the statistics facts: the reports
 * changed since the last refresh that left the public or were made rahasia (they leave the rows, or the counters,
 * before the next refresh). A report verified since the refresh changes nothing (it stays in the counters with
 * its facts until the refresh), so it does not count. Empty when nothing departs from the facts. Cheap: the
 * reports changed since the refresh, through the `updated_at` index.
 */
export async function liveReportFingerprint(db: AppDb): Promise<string> {
  const [row] = await query<{ n: number; h: string | null }>(
    db,
    sql`select count(*)::int as n,
               md5(string_agg(r.id::text || ':' || (${PUBLIC_REPORT})::text || ':' || r.confidential::text, ','
                              order by r.id)) as h
        from reports r
        join stats_report_facts f on f.report_id = r.id
        where r.updated_at > coalesce(
                (select (value->>'at')::timestamptz from settings where key = 'stats.refresh') - interval '1 minute',
                '-infinity'::timestamptz)
          and ((f.is_public and not ${PUBLIC_REPORT}) or r.confidential <> f.confidential)`,
  );
  return row && row.n > 0 ? `${row.n}:${row.h}` : '';
}

/** A stored snapshot file and its checksum. */
export interface SnapshotInfo {
  id: number;
  createdAt: string;
  path: string;
  sha256: string;
  rows: number;
}

/** The most recent snapshot, or null. */
export async function latestSnapshot(db: AppDb): Promise<SnapshotInfo | null> {
  const [row] = await query<SnapshotInfo>(
    db,
    sql`select id, created_at as "createdAt", path, sha256, rows from open_data_snapshots order by id desc limit 1`,
  );
  return row ? { ...row, createdAt: new Date(row.createdAt).toISOString() } : null;
}

/** The stored snapshot with this sha256 (the one a published evaluation was computed from), or null. */
export async function snapshotBySha256(db: AppDb, sha256: string): Promise<SnapshotInfo | null> {
  const [row] = await query<SnapshotInfo>(
    db,
    sql`select id, created_at as "createdAt", path, sha256, rows from open_data_snapshots
        where sha256 = ${sha256} order by id desc limit 1`,
  );
  return row ? { ...row, createdAt: new Date(row.createdAt).toISOString() } : null;
}

/**
 * A stored snapshot as it may be served publicly: the stored file when every report in it is still public, else the
 * same document without the rows of reports that have since left the public (made rahasia, mostly), with its own
 * checksum. The stored file itself never changes (`aduan evaluate` recomputes from it); only what the public gets.
 * A report made rahasia after the snapshot that was not a row (not verified then) may sit in the unlisted counters:
 * the counter entries of its date of receipt (its kab/kota, and every agency path of that date) are withdrawn too.
 * Why: a confidential report never appears on a public surface, and a published evaluation links its snapshot for
 * good. Candidates are the reports changed after the snapshot that are no longer public (a short list), so the usual
 * answer is the stored file, streamed, with the stored checksum.
 */
export type ServedSnapshot =
  | { kind: 'stored'; path: string; sha256: string }
  | { kind: 'withdrawn'; bytes: Buffer; sha256: string; withdrawnRows: number; withdrawnCounts: number };

/** What to serve for `snap` (see ServedSnapshot). */
export async function servedSnapshot(db: AppDb, snap: SnapshotInfo): Promise<ServedSnapshot> {
  const hidden = await query<{
    tracking_id: string;
    confidential: boolean;
    created_date: string | null;
    region_code: string | null;
  }>(
    db,
    sql`select r.tracking_id, r.confidential, f.created_date::text as created_date, r.region_code
        from reports r left join stats_report_facts f on f.report_id = r.id
         where r.updated_at > ${snap.createdAt} and r.created_at <= ${snap.createdAt} and not ${PUBLIC_REPORT}`,
  );
  const stored = { kind: 'stored' as const, path: snap.path, sha256: snap.sha256 };
  if (hidden.length === 0) return stored;
  const withdrawn = new Set(hidden.map((h) => h.tracking_id));
  const doc = JSON.parse(await readFile(snap.path, 'utf8')) as OpenDataSnapshot & {
    withdrawnRows?: number;
    withdrawnCounts?: number;
  };
  const kept = doc.reports.filter((r) => !withdrawn.has(String(r.trackingId)));
  const withdrawnRows = doc.reports.length - kept.length;
  const listed = new Set(doc.reports.map((r) => String(r.trackingId)));
  // Rahasia now, not a row then: possibly counted among the unlisted reports of its date.
  const counted = hidden.filter((h) => h.confidential && h.created_date && !listed.has(h.tracking_id));
  let unlisted = doc.unlistedReports;
  let withdrawnCounts = 0;
  if (unlisted && counted.length > 0) {
    const dates = new Set(counted.map((h) => h.created_date!));
    const places = new Set(
      counted.filter((h) => h.region_code).map((h) => `${h.created_date}|${kabKotaOf(h.region_code!)}`),
    );
    const byRegion = unlisted.byRegion.filter((c) => !places.has(`${c.createdDate}|${c.regionCode}`));
    const byAgency = unlisted.byAgency.filter((c) => !dates.has(c.createdDate));
    withdrawnCounts =
      unlisted.byRegion.length - byRegion.length + (unlisted.byAgency.length - byAgency.length);
    unlisted = { byRegion, byAgency };
  }
  if (withdrawnRows === 0 && withdrawnCounts === 0) return stored;
  const bytes = Buffer.from(
    JSON.stringify({
      ...doc,
      reports: kept,
      ...(unlisted ? { unlistedReports: unlisted } : {}),
      withdrawnRows,
      ...(withdrawnCounts > 0 ? { withdrawnCounts } : {}),
    }),
  );
  return {
    kind: 'withdrawn',
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    withdrawnRows,
    withdrawnCounts,
  };
}
