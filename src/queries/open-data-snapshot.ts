/**
 * Builds the open-data snapshot document (public reports, agency tree with admin-activity counts,
 * population per region) and reads the snapshot index. Counts only: no user is named.
 * Why: `aduan evaluate` recomputes every data indicator from this document alone.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import { OPEN_DATA_COLUMNS, type OpenDataRow } from '../domain/stats/open-data.ts';
import { openDataRows } from './open-data.ts';
import { PUBLIC_REPORT } from './scope.ts';

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

/** The snapshot document (schema `aduan-open-data/1`). */
export interface OpenDataSnapshot {
  schema: 'aduan-open-data/1';
  generatedAt: string;
  columns: typeof OPEN_DATA_COLUMNS;
  reports: OpenDataRow[];
  agencies: SnapshotAgency[];
  regionStats: { code: string; population: number | null }[];
}

/** Builds the snapshot document from the database at `now`. */
export async function buildOpenDataSnapshot(db: AppDb, now: Date): Promise<OpenDataSnapshot> {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const agencies = await query<SnapshotAgency>(
    db,
    sql`select a.id, a.name, a.parent_id as "parentId", a.path, a.region_code as "regionCode",
          count(distinct g.user_id)::int as admins,
          count(distinct g.user_id) filter (where u.last_active_at >= ${since})::int as "activeAdmins30d"
        from agencies a
        left join role_grants g on g.agency_id = a.id and g.role in ('agency_admin', 'coordinator', 'officer')
        left join users u on u.id = g.user_id
        group by a.id order by a.path`,
  );
  const regionStats = await query<{ code: string; population: number | null }>(
    db,
    sql`select code, population from region_stats where code not like '%.%.%' order by code`,
  );
  return {
    schema: 'aduan-open-data/1',
    generatedAt: now.toISOString(),
    columns: OPEN_DATA_COLUMNS,
    reports: await openDataRows(db),
    agencies,
    regionStats,
  };
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
 * Why: a confidential report never appears on a public surface, and a published evaluation links its snapshot for
 * good. Candidates are the reports changed after the snapshot that are no longer public (a short list), so the usual
 * answer is the stored file, streamed, with the stored checksum.
 */
export type ServedSnapshot =
  | { kind: 'stored'; path: string; sha256: string }
  | { kind: 'withdrawn'; bytes: Buffer; sha256: string; withdrawnRows: number };

/** What to serve for `snap` (see ServedSnapshot). */
export async function servedSnapshot(db: AppDb, snap: SnapshotInfo): Promise<ServedSnapshot> {
  const hidden = await query<{ tracking_id: string }>(
    db,
    sql`select r.tracking_id from reports r
         where r.updated_at > ${snap.createdAt} and r.created_at <= ${snap.createdAt} and not ${PUBLIC_REPORT}`,
  );
  const stored = { kind: 'stored' as const, path: snap.path, sha256: snap.sha256 };
  if (hidden.length === 0) return stored;
  const withdrawn = new Set(hidden.map((h) => h.tracking_id));
  const doc = JSON.parse(await readFile(snap.path, 'utf8')) as OpenDataSnapshot & { withdrawnRows?: number };
  const kept = doc.reports.filter((r) => !withdrawn.has(String(r.trackingId)));
  const withdrawnRows = doc.reports.length - kept.length;
  if (withdrawnRows === 0) return stored;
  const bytes = Buffer.from(JSON.stringify({ ...doc, reports: kept, withdrawnRows }));
  return {
    kind: 'withdrawn',
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    withdrawnRows,
  };
}
