/**
 * Who administers which branch of the agency tree (pure; the commands and queries of the admin screens ask here).
 *
 * A regional coordinator's grant reaches the agencies of its region by region code. Two kinds of branch are not the
 * pemda's business even when they sit in its region:
 * - a `kementerian` or `lembaga` branch (instansi vertikal, such as a ministry's Kantor Wilayah in Samarinda) belongs
 *   to the central government: the national admin and the ministry's own admins (grants on the branch's path) manage
 *   it and its people, the region's coordinator does not;
 * - an `ombudsman` branch is the national admin's alone (Ombudsman RI is independent of the governments it oversees).
 * Only administration stops there: a coordinator still verifies and dispatches reports of its region to such offices
 * (`can()` decides report actions by the report's region, not through this module).
 */
import { canStaff, type Actor, type StaffPermission, type StaffScope } from './can.ts';

/** Kinds that head a branch of the central government (instansi vertikal). */
export const CENTRAL_BRANCH_KINDS = ['kementerian', 'lembaga'] as const;

/** Whether the agency (given the kinds of itself and its ancestors) lies in a kementerian/lembaga branch. */
export function inCentralBranch(branchKinds: readonly string[]): boolean {
  return branchKinds.some((k) => (CENTRAL_BRANCH_KINDS as readonly string[]).includes(k));
}

/**
 * The region through which region-scoped grants (coordinators) reach the agency for administration: its own region,
 * or none in a kementerian/lembaga branch (so only the national admin and grants on the branch's path reach it).
 */
export function adminRegion(regionCode: string | null, branchKinds: readonly string[]): string | null {
  return inCentralBranch(branchKinds) ? null : regionCode;
}

/** The staff scope of an agency for administration (`manage_agencies`, `manage_users`): see `adminRegion`. */
export function adminScope(
  agency: { id: string; regionCode: string | null },
  agencyPath: readonly string[],
  branchKinds: readonly string[],
): StaffScope {
  return { agencyId: agency.id, agencyPath, regionCode: adminRegion(agency.regionCode, branchKinds) };
}

/**
 * Whether the actor may manage the agency (and so everything below it) from the agency screens: `manage_agencies`
 * on its admin scope, and an Ombudsman branch only with the national scope (the national admin).
 */
export function canManageAgencyBranch(
  actor: Actor,
  agency: { id: string; regionCode: string | null },
  agencyPath: readonly string[],
  branchKinds: readonly string[],
  permission: StaffPermission = 'manage_agencies',
): boolean {
  if (branchKinds.includes('ombudsman')) return canStaff(actor, permission);
  return canStaff(actor, permission, adminScope(agency, agencyPath, branchKinds));
}
