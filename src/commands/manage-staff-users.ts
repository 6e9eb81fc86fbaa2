/**
 * Staff accounts and their roles: grant a role on an agency, revoke a grant (admin screens); create a staff user with
 * a temporary password (tests and fixtures only: the admin screens invite instead, `staff-invitations.ts`, so no
 * admin learns whether an address has an account); create the first national admin from the operator's CLI
 * (`aduan users create-admin`).
 *
 * Scope: `canStaff('manage_users')` on the target agency (national admin everywhere, coordinator in its
 * region but not in a kementerian/lembaga branch, `adminScope`; agency admin in its subtree), AND nobody grants more than they hold (`grantableRoles`): agency
 * admins grant agency admin and officer, coordinators also coordinator, only the national admin grants
 * national admin, Ombudsman and assessor roles.
 *
 * Which role fits which agency (`checkRoleFitsAgency`, every grant path: web invite and grant, the operator's CLI,
 * accepting an invitation): `ombudsman` only on an Ombudsman office (kind `ombudsman`); no other role on an
 * Ombudsman office or a unit below it (Ombudsman RI is independent of the governments it oversees); `coordinator`
 * only on an agency flagged `is_coordinator` (a province's or kab/kota's Diskominfo). A misfit is a 422 field error.
 *
 * Accounts are deactivated and reactivated (`setAccountDisabled`) by whoever may manage every role the person holds:
 * a deactivated account cannot sign in and its sessions and API tokens stop at once.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { agencies, outbox, roleGrants, sessions, staffInvitations, users } from '../db/schema.ts';
import { findUserByEmail, grantOnOmbudsmanOffice } from '../db/repositories/users.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { usersInScope } from '../queries/admin.ts';
import { findAgency, pathIds, type AgencyRow } from '../db/repositories/agencies.ts';
import { randomToken } from '../integrations/crypto.ts';
import { hashPassword } from '../integrations/passwords.ts';
import type { AppDb, Tx } from '../db/client.ts';
import { AGENCY_KINDS, type AgencyKind, type Role } from '../domain/report/report.ts';
import { canStaff, regionCovers, type Actor } from '../policies/can.ts';
import { adminRegion, adminScope } from '../policies/agency-branch.ts';
import { branchKinds } from './manage-agencies.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { DELIVERY_REASON } from '../domain/integration/delivery-reasons.ts';

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

/**
 * The roles the actor may grant on an agency (by path and region), never more than they hold there. `branchKinds`
 * are the kinds of the agency and its ancestors: a coordinator's region does not reach into a kementerian/lembaga
 * branch (`adminRegion`), whose people are the national admin's and the ministry's own admins'.
 */
export function grantableRoles(
  actor: Actor,
  agency: { id: string; path: string; regionCode: string | null },
  branchKinds: readonly string[],
): StaffRole[] {
  const path = pathIds(agency);
  const region = adminRegion(agency.regionCode, branchKinds);
  const out = new Set<StaffRole>();
  for (const g of actor.grants) {
    // A role other than ombudsman held on an Ombudsman office grants nothing (RoleGrant.ombudsmanOffice).
    if (g.ombudsmanOffice && g.role !== 'ombudsman') continue;
    if (g.role === 'national_admin') return [...STAFF_ROLES];
    if (g.role === 'coordinator' && regionCovers(g.regionCode, region))
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
 * An agency a role may be granted on, or a 422 on `field`: unknown (`agency_unknown`) or existing but deactivated
 * (`agency_inactive`, so an operator typing the id of an inactive agency learns why).
 */
export async function requireGrantAgency(db: AppDb | Tx, id: string, field: string): Promise<AgencyRow> {
  const a = await findAgency(db, id);
  if (!a) throw invalid({ [field]: { key: 'agency_unknown' } });
  if (!a.active) throw invalid({ [field]: { key: 'agency_inactive' } });
  return a;
}

/** An agency as the role/agency rule sees it. */
export interface FitAgency {
  kind: string;
  isCoordinator: boolean;
  /** The agency is an Ombudsman office or lies below one. */
  ombudsmanBranch: boolean;
}

/**
 * Which role may be held on which agency, whoever grants it (pure; `checkRoleFitsAgency` and the grant form's
 * guidance both ask here): the issue key of a misfit, or null when the role fits.
 * - `ombudsman` only on an Ombudsman office (kind `ombudsman`);
 * - no other role on an Ombudsman office or a unit below it;
 * - `coordinator` only on an agency flagged `is_coordinator` (the Diskominfo of a province or kab/kota).
 */
export function roleMisfit(role: string, agency: FitAgency): string | null {
  if (role === 'ombudsman') return agency.kind === 'ombudsman' ? null : 'role_ombudsman_office_only';
  if (agency.ombudsmanBranch || agency.kind === 'ombudsman') return 'role_not_in_ombudsman_office';
  if (role === 'coordinator' && !agency.isCoordinator) return 'role_coordinator_agency_only';
  return null;
}

/** How a role fits the kinds of agency: the kinds it fits, and those it fits only when flagged coordinator. */
export interface RoleKindFit {
  role: StaffRole;
  kinds: AgencyKind[];
  coordinatorFlagKinds: AgencyKind[];
}

/**
 * Which kinds of agency each role fits (`roleMisfit` asked for every kind, an Ombudsman office counting as its own
 * branch), for the grant forms: a select cannot be filtered by the chosen role without JavaScript, so the form says it.
 */
export function roleKindFits(roles: readonly StaffRole[]): RoleKindFit[] {
  return roles.map((role) => {
    const fits = (kind: AgencyKind, isCoordinator: boolean) =>
      roleMisfit(role, { kind, isCoordinator, ombudsmanBranch: kind === 'ombudsman' }) === null;
    return {
      role,
      kinds: AGENCY_KINDS.filter((k) => fits(k, false)),
      coordinatorFlagKinds: AGENCY_KINDS.filter((k) => !fits(k, false) && fits(k, true)),
    };
  });
}

/**
 * Whether `role` may be held on `agency` at all, whoever grants it (the one place every grant path asks; 422 on
 * `agencyId` otherwise; the rule is `roleMisfit`). `agency` null (a national admin's grant without an agency,
 * `aduan users create-admin`) fits only national_admin.
 */
export async function checkRoleFitsAgency(
  db: AppDb | Tx,
  role: string,
  agency: Pick<AgencyRow, 'id' | 'kind' | 'path' | 'isCoordinator'> | null,
): Promise<void> {
  if (!agency) {
    if (role !== 'national_admin') throw invalid({ agencyId: { key: 'required' } });
    return;
  }
  const ombudsmanBranch = agency.kind === 'ombudsman' || (await inOmbudsmanBranch(db, agency));
  const misfit = roleMisfit(role, {
    kind: agency.kind,
    isCoordinator: agency.isCoordinator,
    ombudsmanBranch,
  });
  if (misfit) throw invalid({ agencyId: { key: misfit } });
}

/**
 * Whether each of the user's grants sits on an Ombudsman office (or below one): the two sides of one account. Citizen
 * grants are not staff and are left out.
 */
async function grantSides(db: AppDb | Tx, userId: string): Promise<boolean[]> {
  const rows = await db
    .select({
      ombudsmanOffice: grantOnOmbudsmanOffice,
    })
    .from(roleGrants)
    .leftJoin(agencies, eq(agencies.id, roleGrants.agencyId))
    .where(and(eq(roleGrants.userId, userId), sql`${roleGrants.role} <> 'citizen'`));
  return rows.map((r) => r.ombudsmanOffice === true);
}

/**
 * Ombudsman RI staff and the staff of the governments it oversees are kept apart: an account holding a role on an
 * Ombudsman office gets no role elsewhere, and an account holding roles elsewhere gets none on an Ombudsman office
 * (422 `role_ombudsman_separate` on `role`). Otherwise a pemda role would let Ombudsman staff read reports and
 * reporters that were never handed over, and the national admin could not tell. `agency` is the grant's agency.
 */
export async function checkAccountSide(
  db: AppDb | Tx,
  userId: string,
  agency: Pick<AgencyRow, 'path'> | null,
): Promise<void> {
  const sides = await grantSides(db, userId);
  if (sides.length === 0) return;
  const target = agency ? await inOmbudsmanBranch(db, agency) : false;
  if (sides.some((side) => side !== target)) throw invalid({ role: { key: 'role_ombudsman_separate' } });
}

/** Whether the agency is an Ombudsman office or below one. */
async function inOmbudsmanBranch(db: AppDb | Tx, agency: Pick<AgencyRow, 'path'>): Promise<boolean> {
  const ids = pathIds(agency);
  if (ids.length === 0) return false;
  const [row] = await db
    .select({ id: agencies.id })
    .from(agencies)
    .where(and(inArray(agencies.id, ids), eq(agencies.kind, 'ombudsman')))
    .limit(1);
  return !!row;
}

/**
 * The agency of a grant the caller may manage (grant or revoke): manage_users scope on the agency AND the role among
 * `grantableRoles` (403 otherwise; 422 for an unknown role or agency). Revoking stops here: a grant stored before the
 * role/agency rules must still be removable.
 */
async function authorizeGrantScope(
  svc: Services,
  caller: Caller,
  role: string,
  agencyId: string,
  activeOnly: boolean,
): Promise<AgencyRow> {
  if (!(STAFF_ROLES as readonly string[]).includes(role))
    throw invalid({ role: { key: 'one_of', params: { options: STAFF_ROLES.join(', ') } } });
  const agency = activeOnly
    ? await requireGrantAgency(svc.db, agencyId, 'agencyId')
    : await findAgency(svc.db, agencyId);
  if (!agency) throw invalid({ agencyId: { key: 'agency_unknown' } });
  const kinds = await branchKinds(svc.db, agency);
  if (!canStaff(caller.actor, 'manage_users', adminScope(agency, pathIds(agency), kinds)))
    throw new AppError('FORBIDDEN');
  if (!grantableRoles(caller.actor, agency, kinds).includes(role as StaffRole))
    throw new AppError('FORBIDDEN');
  return agency;
}

/**
 * The agency for a grant of `role`, when the caller may grant it there: manage_users scope on the agency AND the
 * role among `grantableRoles` (403 otherwise), AND the role fits the agency (`checkRoleFitsAgency`; 422 for a misfit,
 * an unknown role or agency). Every grant path goes through here (web invite and grant, accepting an invitation).
 */
export async function authorizeGrant(svc: Services, caller: Caller, role: string, agencyId: string) {
  const agency = await authorizeGrantScope(svc, caller, role, agencyId, true);
  await checkRoleFitsAgency(svc.db, role, agency);
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
      if (!alreadyAdmin) {
        await tx.insert(roleGrants).values({ userId: existing.id, role: 'national_admin', agencyId: null });
        await recordAdminAction(tx, null, {
          action: 'role.grant',
          targetType: 'user',
          targetId: existing.id,
          details: { role: 'national_admin', agencyId: null },
          at: svc.now(),
        });
      }
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
    await recordAdminAction(tx, null, {
      action: 'role.grant',
      targetType: 'user',
      targetId: userId,
      details: { role: 'national_admin', agencyId: null, newAccount: !existing },
      at: svc.now(),
    });
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
  const agency = await authorizeGrant(svc, caller, input.role, input.agencyId);
  // Only staff the caller may already see: the user page is a 404 for anyone else, and so is this.
  if (!(await usersInScope(svc, caller.actor)).some((u) => u.id === input.userId))
    throw new AppError('NOT_FOUND');
  await checkAccountSide(svc.db, input.userId, agency);
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
  await svc.db.transaction(async (tx) => {
    const [g] = await tx.insert(roleGrants).values(input).returning({ id: roleGrants.id });
    await recordAdminAction(tx, caller, {
      action: 'role.grant',
      targetType: 'user',
      targetId: input.userId,
      agencyId: input.agencyId,
      details: { role: input.role, agencyId: input.agencyId, agencyName: agency.name, grantId: g!.id },
      at: svc.now(),
    });
  });
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
    // Scope only: a grant that breaks the role/agency rules (stored before them) must still be removable.
    await authorizeGrantScope(svc, caller, g.role as Role, g.agencyId, false);
  }
  const agencyName = g.agencyId ? ((await findAgency(svc.db, g.agencyId))?.name ?? null) : null;
  await svc.db.transaction(async (tx) => {
    await tx.delete(roleGrants).where(eq(roleGrants.id, grantId));
    await recordAdminAction(tx, caller, {
      action: 'role.revoke',
      targetType: 'user',
      targetId: userId,
      agencyId: g.agencyId,
      details: { role: g.role, agencyId: g.agencyId, agencyName, grantId },
      at: svc.now(),
    });
  });
}

/**
 * Whether the caller may manage `userId`'s account (deactivate, reactivate): never their own; a national admin any
 * staff account; anyone else only an account whose every staff role they may revoke (`authorizeGrantScope`), or,
 * for an account holding no staff role any more, one that accepted a staff invitation on an agency they may grant
 * roles on (how a former staff member is found again: `formerStaffInScope`).
 */
export async function mayManageAccount(svc: Services, caller: Caller, userId: string): Promise<boolean> {
  if (!caller.actor.userId || userId === caller.actor.userId) return false;
  const held = await svc.db
    .select({ role: roleGrants.role, agencyId: roleGrants.agencyId })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, userId), ne(roleGrants.role, 'citizen')));
  const national = caller.actor.grants.some((x) => x.role === 'national_admin');
  if (held.length === 0) {
    const invited = await svc.db
      .select({ agencyId: staffInvitations.agencyId })
      .from(staffInvitations)
      .where(eq(staffInvitations.acceptedUserId, userId));
    if (invited.length === 0) return false;
    if (national) return true;
    for (const i of invited) {
      if (!i.agencyId) continue;
      const a = await findAgency(svc.db, i.agencyId);
      if (
        a &&
        canStaff(caller.actor, 'manage_users', adminScope(a, pathIds(a), await branchKinds(svc.db, a)))
      )
        return true;
    }
    return false;
  }
  if (national) return true;
  for (const g of held) {
    if (!g.agencyId) return false;
    try {
      await authorizeGrantScope(svc, caller, g.role, g.agencyId, false);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Deactivates (`disabled` true) or reactivates an account. Deactivating records when and by whom
 * (`users.disabled_at`, `users.disabled_by`) and ends every session and API token of the account in the same
 * transaction, and cancels the messages still queued for it (`outbox.status` `cancelled`); the sign-in refuses it from
 * then on (`signIn`, `resolveSession`). Reactivating clears both and the
 * lockout; the person signs in again with their password. 404 for an account the caller may not manage (as its user
 * page); 422 `account_self` for one's own.
 */
export async function setAccountDisabled(
  svc: Services,
  caller: Caller,
  userId: string,
  disabled: boolean,
): Promise<void> {
  if (!caller.actor.userId) throw new AppError('UNAUTHENTICATED');
  if (userId === caller.actor.userId) throw invalid({ account: { key: 'account_self' } });
  if (!(await mayManageAccount(svc, caller, userId))) throw new AppError('NOT_FOUND');
  const now = svc.now();
  await svc.db.transaction(async (tx) => {
    if (disabled) {
      await tx
        .update(users)
        .set({ disabledAt: now, disabledBy: caller.actor.userId })
        .where(eq(users.id, userId));
      await tx.delete(sessions).where(eq(sessions.userId, userId));
      // Messages still waiting for this person are not sent (they name reports the account may no longer read).
      await tx
        .update(outbox)
        .set({ status: 'cancelled', lockedUntil: null, lastError: DELIVERY_REASON.recipientDeactivated })
        .where(and(eq(outbox.recipient, `user:${userId}`), eq(outbox.status, 'pending')));
    } else {
      await tx
        .update(users)
        .set({ disabledAt: null, disabledBy: null, failedLogins: 0, lockedUntil: null })
        .where(eq(users.id, userId));
    }
    // The account's agency for the log's scope: the first staff grant's (a coordinator sees its region's people).
    const [held] = await tx
      .select({ agencyId: roleGrants.agencyId })
      .from(roleGrants)
      .where(and(eq(roleGrants.userId, userId), ne(roleGrants.role, 'citizen')))
      .limit(1);
    await recordAdminAction(tx, caller, {
      action: disabled ? 'account.disable' : 'account.enable',
      targetType: 'user',
      targetId: userId,
      agencyId: held?.agencyId ?? null,
      at: now,
    });
  });
}
