/**
 * Builds the open-data snapshot document (public reports, agency tree with admin-activity counts,
 * population per region) and reads the snapshot index. Counts only: no user is named.
 * Why: `aduan evaluate` recomputes every data indicator from this document alone.
 */
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import { OPEN_DATA_COLUMNS, type OpenDataRow } from '../domain/stats/open-data.ts';
import { openDataRows } from './open-data.ts';

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
