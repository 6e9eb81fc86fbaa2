/**
 * Keeping the agency tree current from the admin screens: add a perangkat daerah or unit under an agency,
 * rename one, deactivate or reactivate it. Authorised with `canStaff('manage_agencies')` on the agency's
 * scope (national admin everywhere, coordinator in its region, agency admin in its subtree). Ids are
 * stable slugs: renaming never changes the id or path, so reports and grants keep pointing at it.
 */
import { and, eq, inArray, like, ne } from 'drizzle-orm';
import { agencies, reports } from '../db/schema.ts';
import { childPath, findAgency, pathIds, type AgencyRow } from '../db/repositories/agencies.ts';
import { OPEN_STATUSES } from '../domain/report/report.ts';
import { canStaff, type Actor } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { requireAgency } from './lookups.ts';

/** Kinds an admin may add under an existing agency. */
export const CHILD_AGENCY_KINDS = ['perangkat_daerah', 'unit'] as const;

/** A new child agency. */
export interface AddAgencyInput {
  parentId: string;
  name: string;
  shortName?: string | undefined;
  kind: (typeof CHILD_AGENCY_KINDS)[number];
}

/** Whether the actor may manage this agency (and so everything below it). */
export function canManageAgency(
  actor: Actor,
  agency: Pick<AgencyRow, 'id' | 'path' | 'regionCode'>,
): boolean {
  return canStaff(actor, 'manage_agencies', {
    agencyId: agency.id,
    agencyPath: pathIds(agency),
    regionCode: agency.regionCode,
  });
}

/** `Dinas Perhubungan` → `dinas-perhubungan` (ASCII, at most 40 characters). */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '-')
      .slice(0, 40)
      .replace(/-+$/, '') || 'unit'
  );
}

function checkName(name: string, field = 'name'): string {
  const n = name.trim();
  if (n.length < 3) throw invalid({ [field]: { key: 'too_short', params: { min: 3 } } });
  if (n.length > 200) throw invalid({ [field]: { key: 'too_long', params: { max: 200 } } });
  return n;
}

/** Adds a child agency (inherits region and time zone from its parent) and returns its id. */
export async function addAgency(svc: Services, caller: Caller, input: AddAgencyInput): Promise<string> {
  const name = checkName(input.name);
  if (!(CHILD_AGENCY_KINDS as readonly string[]).includes(input.kind))
    throw invalid({ kind: { key: 'one_of', params: { options: CHILD_AGENCY_KINDS.join(', ') } } });
  const parent = await requireAgency(svc.db, input.parentId, 'parentId');
  if (!canManageAgency(caller.actor, parent)) throw new AppError('FORBIDDEN');
  return svc.db.transaction(async (tx) => {
    const base = `${parent.id}-${slugify(name)}`.slice(0, 70);
    let id = base;
    for (let i = 2; await findAgency(tx, id); i++) id = `${base}-${i}`;
    await tx.insert(agencies).values({
      id,
      name,
      shortName: input.shortName?.trim() || null,
      kind: input.kind,
      parentId: parent.id,
      path: childPath(parent, id),
      regionCode: parent.regionCode,
      zone: parent.zone,
      createdAt: svc.now(),
    });
    return id;
  });
}

async function managed(svc: Services, caller: Caller, id: string): Promise<AgencyRow> {
  const agency = await findAgency(svc.db, id);
  if (!agency) throw new AppError('NOT_FOUND');
  if (!canManageAgency(caller.actor, agency)) throw new AppError('FORBIDDEN');
  return agency;
}

/** Renames an agency (name and short name). */
export async function renameAgency(
  svc: Services,
  caller: Caller,
  id: string,
  input: { name: string; shortName?: string | undefined },
): Promise<void> {
  const name = checkName(input.name);
  await managed(svc, caller, id);
  await svc.db
    .update(agencies)
    .set({ name, shortName: input.shortName?.trim() || null })
    .where(eq(agencies.id, id));
}

/**
 * Deactivates (hides from pickers and dispositions) or reactivates an agency. An agency still handling open
 * reports, or with active children, cannot be deactivated; nobody may deactivate the agency their own grant
 * is held in (that would lock them out of managing it).
 */
export async function setAgencyActive(
  svc: Services,
  caller: Caller,
  id: string,
  active: boolean,
): Promise<void> {
  const agency = await managed(svc, caller, id);
  if (!active) {
    if (caller.actor.grants.some((g) => g.agencyId === id && g.role !== 'national_admin'))
      throw invalid({ agency: { key: 'agency_own_grant' } });
    const [child] = await svc.db
      .select({ id: agencies.id })
      .from(agencies)
      .where(and(like(agencies.path, `${agency.path}%`), ne(agencies.id, id), eq(agencies.active, true)))
      .limit(1);
    if (child) throw invalid({ agency: { key: 'agency_has_children' } });
    const [open] = await svc.db
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.agencyId, id), inArray(reports.status, [...OPEN_STATUSES])))
      .limit(1);
    if (open) throw invalid({ agency: { key: 'agency_has_reports' } });
  }
  await svc.db.update(agencies).set({ active }).where(eq(agencies.id, id));
}
