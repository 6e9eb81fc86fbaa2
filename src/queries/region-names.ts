/** Region names for pages that list region codes (the holiday calendar's regional holidays). */
import { inArray } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { regions } from '../db/schema.ts';

/** The names of the given region codes ("64.71" → "Kota Balikpapan"), in one query; unknown codes are left out. */
export async function regionNamesByCode(db: AppDb, codes: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(inArray(regions.code, wanted));
  return new Map(rows.map((r) => [r.code, r.name]));
}
