/** Readiness: the database answers and every migration has been applied. */
import { sql } from 'drizzle-orm';
import { readdirSync } from 'node:fs';
import { query, type AppDb } from '../db/client.ts';
import { MIGRATIONS_FOLDER } from '../db/migrate.ts';

/** True when the database is reachable and migrated. */
export async function isReady(db: AppDb): Promise<boolean> {
  try {
    const expected = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).length;
    const [row] = await query<{ n: number }>(
      db,
      sql`select count(*)::int as n from public.__drizzle_migrations`,
    );
    return Number(row?.n ?? 0) >= expected;
  } catch {
    return false;
  }
}
