/**
 * Reads for the administration screens (`/kantor/admin`): the agency tree, staff users with their grants, holidays
 * of a year and SLA rule versions, each limited to what the caller may manage (`canStaff`), so a page never lists
 * rows its forms could not change. The category list is searched in src/queries/category-search.ts.
 */
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { agencies, holidays, roleGrants, slaRules, users } from '../db/schema.ts';
import { pathIds } from '../db/repositories/agencies.ts';
import { slaRuleOf } from '../db/repositories/calendar.ts';
import { rulesCappedBy, widerRuleInForce } from '../domain/deadline/sla.ts';
import { canStaff, type Actor, type StaffPermission } from '../policies/can.ts';
import { canManageAgencyBranch } from '../policies/agency-branch.ts';
import type { Services } from '../app/context.ts';

/** One agency row of the admin tree. */
export interface AdminAgency {
  id: string;
  name: string;
  shortName: string | null;
  kind: string;
  parentId: string | null;
  regionCode: string | null;
  active: boolean;
  depth: number;
  /** The actor may change it (false: listed read-only, e.g. an Ombudsman or kementerian/lembaga office). */
  manageable: boolean;
  /** Kinds of the agency and its ancestors, root first. */
  branchKinds: string[];
  /** Flagged as its region's complaint coordinator (`is_coordinator`). */
  isCoordinator: boolean;
}

/** True when the actor may use any admin screen at all. */
export function isAdminActor(actor: Actor): boolean {
  return actor.grants.some((g) => ['national_admin', 'coordinator', 'agency_admin'].includes(g.role));
}

/**
 * Agencies (active and inactive) the actor may see on the admin screens for `permission`, depth-first.
 * - `manage_agencies`: every agency in the actor's scope, each with `manageable` (`canManageAgencyBranch`): an
 *   Ombudsman office or a kementerian/lembaga office in a coordinator's region is listed (its page shows why it is
 *   read-only) but not manageable.
 * - `manage_users` and `manage_api_keys`: only agencies whose people, or whose keys, tokens and webhooks, the actor
 *   manages (`canManageAgencyBranch`): a regional coordinator neither lists, invites nor grants the people of an
 *   Ombudsman office (Ombudsman RI is independent of the pemda) nor those of a ministry's or lembaga's office in its
 *   region (instansi vertikal), nor issues their API keys.
 */
export async function agenciesInScope(
  svc: Services,
  actor: Actor,
  permission: StaffPermission = 'manage_agencies',
): Promise<AdminAgency[]> {
  const rows = await svc.db.select().from(agencies).orderBy(asc(agencies.path));
  const kindOf = new Map(rows.map((a) => [a.id, a.kind]));
  const kindsOf = (path: string[]) => path.map((id) => kindOf.get(id) ?? '');
  return rows
    .map((a) => {
      const path = pathIds(a);
      const seen = canStaff(actor, permission, {
        agencyId: a.id,
        agencyPath: path,
        regionCode: a.regionCode,
      });
      const manageable =
        permission === 'manage_agencies' || permission === 'manage_users' || permission === 'manage_api_keys'
          ? canManageAgencyBranch(actor, a, path, kindsOf(path), permission)
          : seen;
      const branchAware = permission === 'manage_users' || permission === 'manage_api_keys';
      return { a, path, listed: branchAware ? manageable : seen, manageable };
    })
    .filter((r) => r.listed)
    .map(({ a, path, manageable }) => ({
      id: a.id,
      name: a.name,
      shortName: a.shortName,
      kind: a.kind,
      parentId: a.parentId,
      regionCode: a.regionCode,
      active: a.active,
      depth: path.length - 1,
      manageable,
      branchKinds: kindsOf(path),
      isCoordinator: a.isCoordinator,
    }));
}

/** A staff user with the grants the caller can see. */
export interface AdminUser {
  id: string;
  name: string;
  email: string;
  locked: boolean;
  /** The account was deactivated (`users.disabled_at`): no sign-in, no session. */
  disabled: boolean;
  grants: Array<{ id: number; role: string; agencyId: string | null; agencyName: string | null }>;
}

/**
 * Staff users holding at least one grant on an agency in the caller's `manage_users` scope (national admins
 * also see grants without an agency). Citizens are not listed: their accounts are not staff business.
 */
export async function usersInScope(svc: Services, actor: Actor): Promise<AdminUser[]> {
  const scope = await agenciesInScope(svc, actor, 'manage_users');
  const ids = scope.map((a) => a.id);
  const national = canStaff(actor, 'manage_users');
  if (ids.length === 0 && !national) return [];
  const rows = await svc.db
    .select({
      grantId: roleGrants.id,
      role: roleGrants.role,
      agencyId: roleGrants.agencyId,
      agencyName: agencies.name,
      userId: users.id,
      name: users.name,
      email: users.email,
      lockedUntil: users.lockedUntil,
      disabledAt: users.disabledAt,
    })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .leftJoin(agencies, eq(agencies.id, roleGrants.agencyId))
    .where(
      and(
        sql`${roleGrants.role} <> 'citizen'`,
        national ? undefined : and(isNotNull(roleGrants.agencyId), inArray(roleGrants.agencyId, ids)),
      ),
    )
    .orderBy(asc(users.name), asc(roleGrants.id));
  const byUser = new Map<string, AdminUser>();
  const now = svc.now();
  for (const r of rows) {
    let u = byUser.get(r.userId);
    if (!u) {
      u = {
        id: r.userId,
        name: r.name,
        email: r.email,
        locked: !!r.lockedUntil && r.lockedUntil > now,
        disabled: r.disabledAt !== null,
        grants: [],
      };
      byUser.set(r.userId, u);
    }
    u.grants.push({ id: r.grantId, role: r.role, agencyId: r.agencyId, agencyName: r.agencyName });
  }
  return [...byUser.values()];
}

/** Holidays of one year: national ones and the regional ones the caller may see (all for national staff). */
export async function holidaysOfYear(svc: Services, year: number) {
  return svc.db
    .select()
    .from(holidays)
    .where(sql`extract(year from ${holidays.date}) = ${year}`)
    .orderBy(asc(holidays.date), asc(holidays.regionCode));
}

/**
 * Every SLA rule version: national ones first, then by region code; newest version first within each rule. A
 * regional version longer than a wider rule in force at `now` (a later, shorter national version, say) carries that
 * rule in `overriddenBy` (`widerRuleInForce`): reports get the wider one, and the coordinator should update its rule.
 */
export async function slaRuleVersions(svc: Services, now: Date) {
  const rows = await svc.db
    .select()
    .from(slaRules)
    .orderBy(sql`${slaRules.regionCode} asc nulls first`, asc(slaRules.id), desc(slaRules.version));
  const rules = rows.map(slaRuleOf);
  return rows.map((row, i) => ({ ...row, overriddenBy: widerRuleInForce(rules, rules[i]!, now) }));
}

/**
 * The regional rule versions that rule version `id`@`version` caps (`rulesCappedBy`);
 * empty when that version does not exist. The SLA page's confirmation after a save lists them.
 */
export async function slaRulesCappedBy(svc: Services, id: string, version: number, now: Date) {
  const rules = (await svc.db.select().from(slaRules)).map(slaRuleOf);
  const rule = rules.find((r) => r.id === id && r.version === version);
  return rule ? rulesCappedBy(rules, rule, now) : [];
}

/** Regions (provinces and kab/kota) the caller may add regional holidays for. */
export function calendarRegionScopes(actor: Actor): string[] | 'all' {
  if (actor.grants.some((g) => g.role === 'national_admin')) return 'all';
  return actor.grants.filter((g) => g.role === 'coordinator' && g.regionCode).map((g) => g.regionCode!);
}

/** Officers and agency admins of the given agencies: who a report can be assigned to. */
export async function staffOfAgencies(svc: Services, agencyIds: string[]) {
  if (agencyIds.length === 0) return [];
  const rows = await svc.db
    .selectDistinct({
      id: users.id,
      name: users.name,
      role: roleGrants.role,
      agencyId: roleGrants.agencyId,
      // A deactivated account cannot sign in: it is not offered for assignment (its current assignment still shows).
      disabled: sql<boolean>`${users.disabledAt} is not null`,
    })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(
      and(inArray(roleGrants.role, ['officer', 'agency_admin']), inArray(roleGrants.agencyId, agencyIds)),
    )
    .orderBy(asc(users.name));
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}
