/**
 * Staff accounts and their roles from the admin screens: create a staff user with a temporary password (shown
 * once to the admin, stored only as an argon2id hash), grant a role on an agency, revoke a grant.
 *
 * Scope: `canStaff('manage_users')` on the target agency (national admin everywhere, coordinator in its
 * region, agency admin in its subtree), AND nobody grants more than they hold (`grantableRoles`): agency
 * admins grant agency admin and officer, coordinators also coordinator, only the national admin grants
 * national admin, Ombudsman and assessor roles.
 */
import { and, eq } from 'drizzle-orm';
import { roleGrants, users } from '../db/schema.ts';
import { findUserByEmail } from '../db/repositories/users.ts';
import { usersInScope } from '../queries/admin.ts';
import { findAgency, pathIds } from '../db/repositories/agencies.ts';
import { randomToken } from '../integrations/crypto.ts';
import { hashPassword } from '../integrations/passwords.ts';
import type { Role } from '../domain/report/report.ts';
import { canStaff, regionCovers, type Actor } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { requireAgency } from './lookups.ts';

/** Roles that can be granted from the admin screens (citizen is granted by email verification). */
export const STAFF_ROLES = [
  'national_admin',
  'coordinator',
  'agency_admin',
  'officer',
  'ombudsman',
  'assessor',
] as const;
/** One grantable role. */
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The roles the actor may grant on an agency (by path and region), never more than they hold there. */
export function grantableRoles(
  actor: Actor,
  agency: { id: string; path: string; regionCode: string | null },
): StaffRole[] {
  const path = pathIds(agency);
  const out = new Set<StaffRole>();
  for (const g of actor.grants) {
    if (g.role === 'national_admin') return [...STAFF_ROLES];
    if (g.role === 'coordinator' && regionCovers(g.regionCode, agency.regionCode))
      ['coordinator', 'agency_admin', 'officer'].forEach((r) => out.add(r as StaffRole));
    if (g.role === 'agency_admin' && g.agencyId && path.includes(g.agencyId))
      ['agency_admin', 'officer'].forEach((r) => out.add(r as StaffRole));
  }
  return STAFF_ROLES.filter((r) => out.has(r));
}

async function authorizeGrant(svc: Services, caller: Caller, role: string, agencyId: string) {
  if (!(STAFF_ROLES as readonly string[]).includes(role))
    throw invalid({ role: { key: 'one_of', params: { options: STAFF_ROLES.join(', ') } } });
  const agency = await requireAgency(svc.db, agencyId, 'agencyId');
  const scope = { agencyId: agency.id, agencyPath: pathIds(agency), regionCode: agency.regionCode };
  if (!canStaff(caller.actor, 'manage_users', scope)) throw new AppError('FORBIDDEN');
  if (!grantableRoles(caller.actor, agency).includes(role as StaffRole)) throw new AppError('FORBIDDEN');
  return agency;
}

/** A new staff account. */
export interface CreateStaffUserInput {
  email: string;
  name: string;
  role: string;
  agencyId: string;
}

/** Creates a staff user with one role and returns the temporary password to hand over (once). */
export async function createStaffUser(
  svc: Services,
  caller: Caller,
  input: CreateStaffUserInput,
): Promise<{ userId: string; temporaryPassword: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid({ email: { key: 'invalid_email' } });
  const name = input.name.trim();
  if (name.length < 3) throw invalid({ name: { key: 'too_short', params: { min: 3 } } });
  await authorizeGrant(svc, caller, input.role, input.agencyId);
  if (await findUserByEmail(svc.db, email)) throw invalid({ email: { key: 'email_taken' } });
  const temporaryPassword = `${randomToken(12)}`;
  const passwordHash = await hashPassword(temporaryPassword);
  const userId = await svc.db.transaction(async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email, name, passwordHash, mustChangePassword: true, createdAt: svc.now() })
      .returning({ id: users.id });
    await tx.insert(roleGrants).values({ userId: u!.id, role: input.role, agencyId: input.agencyId });
    return u!.id;
  });
  return { userId, temporaryPassword };
}

/**
 * Grants a role on an agency to an existing staff user in the caller's scope (`usersInScope`: 404 otherwise, as the
 * user page), never to oneself (no duplicate grants). A citizen account is not staff: create a staff account instead.
 */
export async function grantRole(
  svc: Services,
  caller: Caller,
  input: { userId: string; role: string; agencyId: string },
): Promise<void> {
  if (input.userId === caller.actor.userId) throw invalid({ role: { key: 'grant_self' } });
  await authorizeGrant(svc, caller, input.role, input.agencyId);
  // Only staff the caller may already see: the user page is a 404 for anyone else, and so is this.
  if (!(await usersInScope(svc, caller.actor)).some((u) => u.id === input.userId))
    throw new AppError('NOT_FOUND');
  const [dup] = await svc.db
    .select({ id: roleGrants.id })
    .from(roleGrants)
    .where(
      and(
        eq(roleGrants.userId, input.userId),
        eq(roleGrants.role, input.role),
        eq(roleGrants.agencyId, input.agencyId),
      ),
    )
    .limit(1);
  if (dup) return;
  await svc.db.insert(roleGrants).values(input);
}

/** Revokes one grant of `userId`; nobody revokes their own grants (ask another admin). */
export async function revokeRole(
  svc: Services,
  caller: Caller,
  userId: string,
  grantId: number,
): Promise<void> {
  const [g] = await svc.db.select().from(roleGrants).where(eq(roleGrants.id, grantId)).limit(1);
  if (!g || g.userId !== userId) throw new AppError('NOT_FOUND');
  if (g.userId === caller.actor.userId) throw invalid({ grant: { key: 'grant_own' } });
  if (!g.agencyId || !(await findAgency(svc.db, g.agencyId))) {
    if (!caller.actor.grants.some((x) => x.role === 'national_admin')) throw new AppError('FORBIDDEN');
  } else {
    await authorizeGrant(svc, caller, g.role as Role, g.agencyId);
  }
  await svc.db.delete(roleGrants).where(eq(roleGrants.id, grantId));
}
