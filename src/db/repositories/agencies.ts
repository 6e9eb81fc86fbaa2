/** Agency rows and their position in the tree. */
import { asc, eq, inArray, like } from 'drizzle-orm';
import type { AppDb, Tx } from '../client.ts';
import { agencies } from '../schema.ts';

export type AgencyRow = typeof agencies.$inferSelect;

/** Ids from the root down to the agency itself, from its materialised path. */
export function pathIds(agency: Pick<AgencyRow, 'path'> | null | undefined): string[] {
  return agency ? agency.path.split('/').filter(Boolean) : [];
}

/** Kinds of the agency and every ancestor (from its materialised path). */
export async function branchKinds(db: AppDb | Tx, agency: Pick<AgencyRow, 'path'>): Promise<string[]> {
  const ids = pathIds(agency);
  if (ids.length === 0) return [];
  const rows = await db.select({ kind: agencies.kind }).from(agencies).where(inArray(agencies.id, ids));
  return rows.map((r) => r.kind);
}

/** Loads one agency, or null. */
export async function findAgency(db: AppDb | Tx, id: string | null | undefined): Promise<AgencyRow | null> {
  if (!id) return null;
  const [row] = await db.select().from(agencies).where(eq(agencies.id, id)).limit(1);
  return row ?? null;
}

/** Every active agency, ordered by path (a depth-first walk of the tree). */
export async function listAgencies(db: AppDb | Tx): Promise<AgencyRow[]> {
  return db.select().from(agencies).where(eq(agencies.active, true)).orderBy(asc(agencies.path));
}

/** The agency and everything below it. */
export async function subtree(db: AppDb | Tx, agency: AgencyRow): Promise<AgencyRow[]> {
  return db
    .select()
    .from(agencies)
    .where(like(agencies.path, `${agency.path}%`))
    .orderBy(asc(agencies.path));
}

/** Builds the materialised path of a new child. */
export function childPath(parent: Pick<AgencyRow, 'path'> | null, id: string): string {
  return `${parent ? parent.path : '/'}${id}/`;
}
