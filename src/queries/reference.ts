/** Reference data reads: agencies, categories, regions and holidays. */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { agencies, categories, holidays, regions } from '../db/schema.ts';

/** The agency tree as a flat list ordered depth-first. */
export function listAgencyTree(db: AppDb) {
  return db
    .select({
      id: agencies.id,
      name: agencies.name,
      shortName: agencies.shortName,
      kind: agencies.kind,
      parentId: agencies.parentId,
      regionCode: agencies.regionCode,
      zone: agencies.zone,
      isCoordinator: agencies.isCoordinator,
    })
    .from(agencies)
    .where(eq(agencies.active, true))
    .orderBy(asc(agencies.path));
}

/** Categories with their parent (subcategories have parentId). */
export function listCategories(db: AppDb) {
  return db
    .select({ id: categories.id, name: categories.name, parentId: categories.parentId })
    .from(categories)
    .where(eq(categories.active, true))
    .orderBy(asc(categories.parentId), asc(categories.name));
}

/** Regions under a parent code (provinces when parent is absent). */
export function listRegions(db: AppDb, parent?: string) {
  return db
    .select({ code: regions.code, name: regions.name, level: regions.level, parentCode: regions.parentCode })
    .from(regions)
    .where(parent ? eq(regions.parentCode, parent) : isNull(regions.parentCode))
    .orderBy(asc(regions.code));
}

/** One region by code. */
export async function findRegion(db: AppDb, code: string) {
  const [r] = await db.select().from(regions).where(eq(regions.code, code)).limit(1);
  return r ?? null;
}

/**
 * The names of a region and the regions above it, most specific first ("Samarinda Seberang", "Kota Samarinda",
 * "Kalimantan Timur"); unknown codes are left out.
 */
export async function regionTrail(db: AppDb, code: string): Promise<string[]> {
  const parts = code.split('.');
  const codes = parts.map((_, i) => parts.slice(0, i + 1).join('.'));
  const rows = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(inArray(regions.code, codes));
  const byCode = new Map(rows.map((r) => [r.code, r.name]));
  return codes
    .reverse()
    .map((c) => byCode.get(c))
    .filter((n): n is string => !!n);
}

/** Holidays of a year (national and, with `regionCode`, that region's). */
export function listHolidays(db: AppDb, year: number) {
  return db
    .select({
      date: holidays.date,
      name: holidays.name,
      kind: holidays.kind,
      regionCode: holidays.regionCode,
      tentative: holidays.tentative,
    })
    .from(holidays)
    .where(and(sql`extract(year from ${holidays.date}) = ${year}`))
    .orderBy(asc(holidays.date));
}
