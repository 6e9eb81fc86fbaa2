/** Existence checks shared by commands, answering field issues (422) rather than 500s. */
import { and, eq } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { categories, regions } from '../db/schema.ts';
import { findAgency, type AgencyRow } from '../db/repositories/agencies.ts';
import { AppError, invalid, type FieldIssue } from '../app/errors.ts';
import { handlesReports } from '../domain/report/report.ts';

/** The agency with this id, or a 422 on `field`. */
export async function requireAgency(db: AppDb | Tx, id: string, field: string): Promise<AgencyRow> {
  const a = await findAgency(db, id);
  if (!a || !a.active) throw invalid({ [field]: { key: 'agency_unknown' } });
  return a;
}

/**
 * An active agency that handles reports, or a 422 on `field`: the Ombudsman is reached by escalation with the
 * reporter's consent, never addressed or dispatched to (`handlesReports`).
 */
export async function requireHandlingAgency(db: AppDb | Tx, id: string, field: string): Promise<AgencyRow> {
  const a = await requireAgency(db, id, field);
  if (!handlesReports(a.kind)) throw invalid({ [field]: { key: 'agency_not_handling' } });
  return a;
}

/** The largest id a PostgreSQL `integer` column holds. */
const INT4_MAX = 2_147_483_647;

/**
 * Checks a category id, or a 422 on `field`. An id that is no positive `integer` (NaN from a form, 2.5, one beyond
 * the column's range) is unknown too: it is refused here, never sent to the database (which would answer a 500).
 */
export async function requireCategory(db: AppDb | Tx, id: number, field: string): Promise<void> {
  if (!Number.isInteger(id) || id < 1 || id > INT4_MAX)
    throw invalid({ [field]: { key: 'category_unknown' } });
  const [c] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, id), eq(categories.active, true)))
    .limit(1);
  if (!c) throw invalid({ [field]: { key: 'category_unknown' } });
}

/**
 * Region codes found so far, with their level. Regions are national reference data (Kemendagri codes seeded
 * from src/assets, never edited or deleted at runtime), so a code once found stays valid: only hits are
 * cached, and unknown codes are looked up every time. Bounded by the number of regions (~92k).
 */
const knownRegions = new Map<string, number>();

/** Checks a Kemendagri region code, or a 422 on `field`. */
export async function requireRegion(db: AppDb | Tx, code: string, field: string): Promise<{ level: number }> {
  const level = knownRegions.get(code);
  if (level !== undefined) return { level };
  const [r] = await db.select({ level: regions.level }).from(regions).where(eq(regions.code, code)).limit(1);
  if (!r) throw invalid({ [field]: { key: 'region_unknown' } });
  if (knownRegions.size < 200_000) knownRegions.set(code, r.level);
  return r;
}

/**
 * Runs one check that answers field issues (a lookup above, a rule of the command) and collects its issues into
 * `issues` instead of throwing, so a command can check every field and answer them all in one VALIDATION_FAILED
 * (`throwIfInvalid`). Returns the check's result, or undefined when it found a problem; any other error passes.
 * A field that already has an issue keeps it.
 */
export async function collectIssues<T>(
  issues: Record<string, FieldIssue>,
  check: () => Promise<T> | T,
): Promise<T | undefined> {
  try {
    return await check();
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'VALIDATION_FAILED') throw e;
    for (const [field, issue] of Object.entries(e.fields)) issues[field] ??= issue;
    return undefined;
  }
}

/** Guard for code paths that must have loaded a report. */
export function must<T>(v: T | null | undefined, code = 'NOT_FOUND'): T {
  if (v === null || v === undefined) throw new AppError(code);
  return v;
}
