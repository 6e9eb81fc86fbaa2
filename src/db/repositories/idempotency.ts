/** Idempotency keys of report intake (ADR 0014): the row a retried submission finds, and their expiry. */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { AppDb, Tx } from '../client.ts';
import { reportIdempotencyKeys, reports } from '../schema.ts';

/** A key row with whether the report it names exists. */
export interface IdempotencyRow {
  requestHash: string;
  reportId: string;
  accessKeyEnc: string;
  createdAt: Date;
  trackingId: string | null;
}

/** The row of a key hash, with the tracking number of its report (null when that report was never written). */
export async function findIdempotencyKey(db: AppDb | Tx, keyHash: string): Promise<IdempotencyRow | null> {
  const [row] = await db
    .select({
      requestHash: reportIdempotencyKeys.requestHash,
      reportId: reportIdempotencyKeys.reportId,
      accessKeyEnc: reportIdempotencyKeys.accessKeyEnc,
      createdAt: reportIdempotencyKeys.createdAt,
      trackingId: reports.trackingId,
    })
    .from(reportIdempotencyKeys)
    .leftJoin(reports, eq(reports.id, reportIdempotencyKeys.reportId))
    .where(eq(reportIdempotencyKeys.keyHash, keyHash))
    .limit(1);
  return row ?? null;
}

/** Removes a key row that is expired or names no report, only if it still names that report. */
export async function releaseIdempotencyKey(
  db: AppDb | Tx,
  keyHash: string,
  reportId: string,
): Promise<void> {
  await db
    .delete(reportIdempotencyKeys)
    .where(and(eq(reportIdempotencyKeys.keyHash, keyHash), eq(reportIdempotencyKeys.reportId, reportId)));
}

/** Deletes key rows written before `before`; returns how many. */
export async function purgeIdempotencyKeys(db: AppDb, before: Date): Promise<number> {
  const rows = await db
    .delete(reportIdempotencyKeys)
    .where(lt(reportIdempotencyKeys.createdAt, before))
    .returning({ one: sql<number>`1` });
  return rows.length;
}
