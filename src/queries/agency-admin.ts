/**
 * Read side of agency administration: what an admin needs to see before renaming or deactivating an agency (its
 * parent, region, zone, coordinator flag, the people holding roles in it and its open reports), the list of every
 * agency for `aduan agencies list`, and the parents offered by the national admin's "new agency" form.
 */
import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { agencies, reports, roleGrants, users } from '../db/schema.ts';
import { findAgency, pathIds } from '../db/repositories/agencies.ts';
import { OPEN_STATUSES } from '../domain/report/report.ts';

/** One person holding a role in an agency. */
export interface AgencyStaffMember {
  userId: string;
  name: string;
  email: string;
  role: string;
}

/** The facts shown on an agency's admin page beyond its name and kind. */
export interface AgencyDetail {
  parent: { id: string; name: string } | null;
  regionCode: string | null;
  zone: string;
  isCoordinator: boolean;
  smsKeyword: string | null;
  /** Kinds of the agency and its ancestors (an Ombudsman branch is the national admin's alone). */
  branchKinds: string[];
  staff: AgencyStaffMember[];
  openReports: number;
}

/** The detail of one agency, or null when it does not exist. */
export async function agencyDetail(svc: Services, id: string): Promise<AgencyDetail | null> {
  const a = await findAgency(svc.db, id);
  if (!a) return null;
  const ids = pathIds(a);
  const [branch, staff, [open]] = await Promise.all([
    svc.db
      .select({ id: agencies.id, name: agencies.name, kind: agencies.kind })
      .from(agencies)
      .where(inArray(agencies.id, ids.length ? ids : [id])),
    svc.db
      .select({ userId: users.id, name: users.name, email: users.email, role: roleGrants.role })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.agencyId, id), ne(roleGrants.role, 'citizen')))
      .orderBy(asc(users.name), asc(roleGrants.id)),
    svc.db
      .select({ n: sql<number>`count(*)::int` })
      .from(reports)
      .where(
        and(
          // Handled there, or addressed to it and still waiting for verification (target agency).
          or(eq(reports.agencyId, id), eq(reports.targetAgencyId, id)),
          inArray(reports.status, [...OPEN_STATUSES]),
        ),
      ),
  ]);
  const parent = a.parentId ? branch.find((b) => b.id === a.parentId) : undefined;
  return {
    parent: parent ? { id: parent.id, name: parent.name } : null,
    regionCode: a.regionCode,
    zone: a.zone,
    isCoordinator: a.isCoordinator,
    smsKeyword: a.smsKeyword,
    branchKinds: branch.map((b) => b.kind),
    staff,
    openReports: Number(open?.n ?? 0),
  };
}

/** Every agency (active or not), depth-first, with what `aduan agencies list` prints. */
export async function listAllAgencies(svc: Services) {
  const rows = await svc.db.select().from(agencies).orderBy(asc(agencies.path));
  return rows.map((a) => ({
    id: a.id,
    parentId: a.parentId,
    name: a.name,
    shortName: a.shortName,
    kind: a.kind,
    regionCode: a.regionCode,
    zone: a.zone,
    isCoordinator: a.isCoordinator,
    smsKeyword: a.smsKeyword,
    active: a.active,
    depth: pathIds(a).length - 1,
  }));
}
