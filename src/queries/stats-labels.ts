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

/**
 * Why a statistics `parent` is refused: the field issue key when no agency (groupBy agency), category (category) or
 * region (region) has that id or code, else null. Other groupings filter on the key itself and keep any value.
 * An unknown parent would otherwise answer an empty table, as if the place or agency had no reports.
 */
export async function unknownStatsParent(
  db: AppDb,
  groupBy: string,
  parent: string,
): Promise<'agency_unknown' | 'category_unknown' | 'region_unknown' | null> {
  const probe = {
    agency: { key: 'agency_unknown', q: sql`select 1 from agencies where id = ${parent}` },
    category: { key: 'category_unknown', q: sql`select 1 from categories where id::text = ${parent}` },
    region: { key: 'region_unknown', q: sql`select 1 from regions where code = ${parent}` },
  } as const;
  const p = probe[groupBy as keyof typeof probe];
  if (!p) return null;
  const rows = await query(db, p.q);
  return rows.length > 0 ? null : p.key;
}
