/**
 * Routine database maintenance for the embedded PGlite: `VACUUM ANALYZE` of every table. PGlite runs PostgreSQL in
 * single-user mode, without the autovacuum launcher (`show autovacuum` says on, but nothing runs): without this its
 * planner statistics are never gathered (the similar-report lookup's word statistics included, docs/routing.md) and
 * the space of updated and deleted rows is never reclaimed. A PostgreSQL server does this itself.
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';

/** Vacuums and analyses the whole database; returns the milliseconds it took. */
export async function maintainDatabase(svc: Services): Promise<number> {
  const started = performance.now();
  await svc.db.execute(sql`vacuum analyze`);
  return Math.round(performance.now() - started);
}
