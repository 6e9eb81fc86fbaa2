/**
 * Staff accounts and their roles: grant a role on an agency, revoke a grant (admin screens); create a staff user with
 * a temporary password (tests and fixtures only: the admin screens invite instead, `staff-invitations.ts`, so no
 * admin learns whether an address has an account); create the first national admin from the operator's CLI
 * (`aduan users create-admin`).
 *
 * Scope: `canStaff('manage_users')` on the target agency (national admin everywhere, coordinator in its
 * region, agency admin in its subtree), AND nobody grants more than they hold (`grantableRoles`): agency
 * admins grant agency admin and officer, coordinators also coordinator, only the national admin grants
 * national admin, Ombudsman and assessor roles.
 */
import { and, eq } from 'drizzle-orm';
import { roleGrants, sessions, users } from '../db/schema.ts';
import { findUserByEmail } from '../db/repositories/users.ts';
import { usersInScope } from '../queries/admin.ts';
import { findAgency, pathIds } from '../db/repositories/agencies.ts';
import { randomToken } from '../integrations/crypto.ts';
import { hashPassword } from '../integrations/passwords.ts';
import type { Role } from '../domain/report/report.ts';
import { canStaff, regionCovers, type Actor } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
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

/** A plausible email address (lower-cased, trimmed), at most 200 characters. */
export function isStaffEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 200;
}

/**
 * The agency for a grant of `role`, when the caller may grant it there: manage_users scope on the agency AND the
 * role among `grantableRoles` (403 otherwise; 422 for an unknown role or agency).
 */
export async function authorizeGrant(svc: Services, caller: Caller, role: string, agencyId: string) {
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

/**
 * Creates a staff user with one role and returns the temporary password to hand over (once). Not used by the admin
 * screens (it answers `email_taken`, which would tell an admin that an address has an account): test fixtures only.
 */
export async function createStaffUser(
  svc: Services,
  caller: Caller,
  input: CreateStaffUserInput,
): Promise<{ userId: string; temporaryPassword: string }> {
  const email = input.email.trim().toLowerCase();
  if (!isStaffEmail(email)) throw invalid({ email: { key: 'invalid_email' } });
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

/** What `aduan users create-admin` did. */
export interface NationalAdminResult {
  userId: string;
  /** A new account row was written (false: an existing account kept its password). */
  created: boolean;
  /** The one-time password to hand over, when the account got one (changed at first sign-in). */
  temporaryPassword?: string;
  /** The account already held national_admin: nothing changed. */
  alreadyAdmin: boolean;
}

/**
 * The operator's bootstrap (`aduan users create-admin`; trusted, so no caller and no scope): a national admin for
 * `email`, whose grant has no agency (national).
 * - No account: a new one with a temporary password (returned once; `mustChangePassword`, so it is changed at the
 *   first sign-in).
 * - An account without any grant (an unverified registration): whoever registered chose its password, and that may
 *   not be the address's owner, so it is treated as new: name and a temporary password replace the old ones and its
 *   sessions end.
 * - An account with grants (a verified citizen, staff): the grant is added and its password kept.
 */
export async function createNationalAdmin(
  svc: Services,
  input: { email: string; name: string },
): Promise<NationalAdminResult> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const fields: Record<string, FieldIssue> = {};
  if (!isStaffEmail(email)) fields.email = { key: 'invalid_email' };
  if (name.length < 3) fields.name = { key: 'too_short', params: { min: 3 } };
  throwIfInvalid(fields);
  const temporaryPassword = randomToken(12);
  const passwordHash = await hashPassword(temporaryPassword);
  return svc.db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, email);
    const held = existing
      ? await tx.select({ role: roleGrants.role }).from(roleGrants).where(eq(roleGrants.userId, existing.id))
      : [];
    if (existing && held.length > 0) {
      const alreadyAdmin = held.some((g) => g.role === 'national_admin');
      if (!alreadyAdmin)
        await tx.insert(roleGrants).values({ userId: existing.id, role: 'national_admin', agencyId: null });
      return { userId: existing.id, created: false, alreadyAdmin };
    }
    let userId: string;
    if (existing) {
      await tx
        .update(users)
        .set({ name, passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null })
        .where(eq(users.id, existing.id));
      await tx.delete(sessions).where(eq(sessions.userId, existing.id));
      userId = existing.id;
    } else {
      const [u] = await tx
        .insert(users)
        .values({ email, name, passwordHash, mustChangePassword: true, createdAt: svc.now() })
        .returning({ id: users.id });
      userId = u!.id;
    }
    await tx.insert(roleGrants).values({ userId, role: 'national_admin', agencyId: null });
    return { userId, created: !existing, temporaryPassword, alreadyAdmin: false };
  });
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
