/** Report rows: loading with a row lock, and the facts authorization needs. */
import { eq, inArray } from 'drizzle-orm';
import type { AppDb, Tx } from '../client.ts';
import { agencies, reports } from '../schema.ts';
import { pathIds, type AgencyRow } from './agencies.ts';

export type ReportRow = typeof reports.$inferSelect;
export type ReportInsert = typeof reports.$inferInsert;

/** A report with the agencies it points at, loaded once per request. */
export interface LoadedReport {
  row: ReportRow;
  agency: AgencyRow | null;
  target: AgencyRow | null;
}

/** Loads a report by tracking number, locking the row when `forUpdate` (inside a transaction). */
export async function loadReport(
  db: AppDb | Tx,
  trackingId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedReport | null> {
  const q = db.select().from(reports).where(eq(reports.trackingId, trackingId)).limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) return null;
  return withAgencies(db, row);
}

/** Attaches the handling and target agencies to a row. */
export async function withAgencies(db: AppDb | Tx, row: ReportRow): Promise<LoadedReport> {
  const ids = [row.agencyId, row.targetAgencyId].filter((x): x is string => !!x);
  const found = ids.length ? await db.select().from(agencies).where(inArray(agencies.id, ids)) : [];
  const byId = new Map(found.map((a) => [a.id, a]));
  return {
    row,
    agency: row.agencyId ? (byId.get(row.agencyId) ?? null) : null,
    target: row.targetAgencyId ? (byId.get(row.targetAgencyId) ?? null) : null,
  };
}

/** Attaches agencies to many rows with one query (lists). */
export async function withAgenciesMany(db: AppDb | Tx, rows: ReportRow[]): Promise<LoadedReport[]> {
  const ids = [
    ...new Set(rows.flatMap((r) => [r.agencyId, r.targetAgencyId]).filter((x): x is string => !!x)),
  ];
  const found = ids.length ? await db.select().from(agencies).where(inArray(agencies.id, ids)) : [];
  const byId = new Map(found.map((a) => [a.id, a]));
  return rows.map((row) => ({
    row,
    agency: row.agencyId ? (byId.get(row.agencyId) ?? null) : null,
    target: row.targetAgencyId ? (byId.get(row.targetAgencyId) ?? null) : null,
  }));
}

/** Paths used by the policy. */
export function agencyPaths(r: LoadedReport): { agencyPath: string[]; targetAgencyPath: string[] } {
  return { agencyPath: pathIds(r.agency), targetAgencyPath: pathIds(r.target) };
}

/** True when a tracking number is already taken. */
export async function trackingIdExists(db: AppDb | Tx, trackingId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(eq(reports.trackingId, trackingId))
    .limit(1);
  return !!row;
}
