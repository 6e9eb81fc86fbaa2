/** Display names of a statistics scope (agency or region name) for dashboard headings. */
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import type { StatsScope } from './stats-scope.ts';

/** The agency's or region's name; the id/code when unknown. */
export async function scopeName(db: AppDb, scope: StatsScope): Promise<string> {
  if (scope.kind === 'agency') {
    const [a] = await query<{ name: string }>(
      db,
      sql`select name from agencies where id = ${scope.agencyId}`,
    );
    return a?.name ?? scope.agencyId;
  }
  if (scope.kind === 'region') {
    const [r] = await query<{ name: string }>(
      db,
      sql`select name from regions where code = ${scope.regionCode}`,
    );
    return r?.name ?? scope.regionCode;
  }
  return 'national';
}
