/** Users and their role grants, resolved into the policy's Actor. */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AppDb, Tx } from '../client.ts';
import { accountTokens, agencies, roleGrants, users } from '../schema.ts';
import { pathIds } from './agencies.ts';
import type { Actor, RoleGrant } from '../../policies/can.ts';
import type { Role } from '../../domain/report/report.ts';

export type UserRow = typeof users.$inferSelect;

/**
 * For a query over `role_grants` left-joined to `agencies`: whether the granted agency is an Ombudsman office or below
 * one (RoleGrant.ombudsmanOffice; `checkAccountSide` in manage-staff-users.ts).
 */
export const grantOnOmbudsmanOffice = sql<boolean>`coalesce((select bool_or(o.kind = 'ombudsman') from ${agencies} o
  where position('/' || o.id || '/' in ${agencies.path}) > 0), false)`;

/**
 * The actor for a user id: grants with the granted agency's region and path (a role other than `ombudsman` held on
 * an Ombudsman office is left out: `RoleGrant.ombudsmanOffice`).
 */
export async function actorFor(db: AppDb | Tx, userId: string): Promise<Actor> {
  const rows = await db
    .select({
      role: roleGrants.role,
      agencyId: roleGrants.agencyId,
      regionCode: agencies.regionCode,
      path: agencies.path,
      ombudsmanOffice: grantOnOmbudsmanOffice,
    })
    .from(roleGrants)
    .leftJoin(agencies, eq(agencies.id, roleGrants.agencyId))
    .where(eq(roleGrants.userId, userId));
  // Ombudsman staff hold nothing else: an account with the `ombudsman` role on an Ombudsman office keeps only its
  // grants on the Ombudsman side (the grant commands refuse mixing, `checkAccountSide`; a mix stored from before never
  // lets the Ombudsman read what was not handed over).
  const ombudsmanStaff = rows.some((r) => r.ombudsmanOffice && r.role === 'ombudsman');
  const grants: RoleGrant[] = rows
    // A role other than `ombudsman` on an Ombudsman office (or below) counts for nothing (RoleGrant.ombudsmanOffice):
    // the grant commands refuse it, and one stored from before is left out here, so no query that reads grants
    // directly (queues, statistics) is widened by it either.
    .filter((r) => !r.ombudsmanOffice || r.role === 'ombudsman')
    .filter((r) => !ombudsmanStaff || r.ombudsmanOffice || r.role === 'citizen')
    .map((r) => ({
      role: r.role as Role,
      agencyId: r.agencyId,
      regionCode: r.regionCode ?? null,
      agencyPath: r.path ? pathIds({ path: r.path }) : [],
      ...(r.ombudsmanOffice ? { ombudsmanOffice: true } : {}),
    }));
  return { userId, grants };
}

/** Finds a user by email (case-insensitive: emails are stored lower-case). */
export async function findUserByEmail(db: AppDb | Tx, email: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row ?? null;
}

/** Finds a user by id. */
export async function findUser(db: AppDb | Tx, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

/**
 * Uses up an emailed account link (`account_tokens`: email verification, password reset): marks the unused, unexpired
 * token of that purpose used and returns its user id; null when there is none (unknown, used, expired or another
 * purpose). Only the token's hash is stored and asked for.
 */
export async function consumeAccountToken(
  tx: Tx,
  tokenHash: string,
  purpose: string,
  now: Date,
): Promise<string | null> {
  const [row] = await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountTokens.id, tokenHash),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    )
    .returning({ userId: accountTokens.userId });
  return row?.userId ?? null;
}
