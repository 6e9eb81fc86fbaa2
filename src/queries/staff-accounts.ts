/**
 * Former staff for the users page (`/kantor/admin/pengguna?tampil=tanpa-peran`): accounts that hold no staff role any
 * more (their last grant revoked) but accepted a staff invitation on an agency in the caller's `manage_users` scope
 * (national admins: any invitation). This is how an admin finds such a person again, to deactivate the account or
 * grant a role. Accounts never invited (citizens, unverified registrations) are never listed, so the page still tells
 * no admin whether an address has an account (docs/security.md "Accounts").
 */
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { roleGrants, staffInvitations, users } from '../db/schema.ts';
import { canStaff, type Actor } from '../policies/can.ts';
import type { Services } from '../app/context.ts';
import { agenciesInScope, type AdminUser } from './admin.ts';

/** Accounts without a staff role that accepted a staff invitation in the actor's scope, by name. */
export async function formerStaffInScope(svc: Services, actor: Actor): Promise<AdminUser[]> {
  const national = canStaff(actor, 'manage_users');
  const ids = national ? [] : (await agenciesInScope(svc, actor, 'manage_users')).map((a) => a.id);
  if (!national && ids.length === 0) return [];
  const rows = await svc.db
    .selectDistinct({
      id: users.id,
      name: users.name,
      email: users.email,
      lockedUntil: users.lockedUntil,
      disabledAt: users.disabledAt,
    })
    .from(staffInvitations)
    .innerJoin(users, eq(users.id, staffInvitations.acceptedUserId))
    .where(
      and(
        isNotNull(staffInvitations.acceptedAt),
        national ? undefined : inArray(staffInvitations.agencyId, ids),
        sql`not exists (select 1 from ${roleGrants} where ${roleGrants.userId} = ${users.id}
              and ${roleGrants.role} <> 'citizen')`,
      ),
    )
    .orderBy(asc(users.name), asc(users.id));
  const now = svc.now();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    locked: !!r.lockedUntil && r.lockedUntil > now,
    disabled: r.disabledAt !== null,
    grants: [],
  }));
}
