/**
 * Pending staff invitations for the users page (`/kantor/admin/pengguna`): not accepted, not cancelled (expired ones
 * included, marked, so they can be sent again), on agencies in the caller's `manage_users` scope; national admins also
 * see the operator's invitations without an agency (a coordinator does not see those on an Ombudsman office or in a
 * kementerian/lembaga branch of its region: `canManageAgencyBranch`). Accepted invitations leave the list: the person is then listed
 * under the users, by their grant. Nothing here reads `users`, so the list is the same whether or not an invited
 * address had an account.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { agencies, staffInvitations } from '../db/schema.ts';
import { pathIds } from '../db/repositories/agencies.ts';
import { canStaff, type Actor } from '../policies/can.ts';
import { canManageAgencyBranch } from '../policies/agency-branch.ts';
import type { Services } from '../app/context.ts';

/** One pending invitation as the admin list shows it. */
export interface PendingInvitation {
  id: string;
  email: string;
  name: string;
  role: string;
  agencyId: string | null;
  agencyName: string | null;
  /** The agency's materialised path (for the caller's grant rules), null without an agency. */
  agencyPath: string | null;
  agencyRegionCode: string | null;
  /** Kinds of the agency and its ancestors (`grantableRoles`), empty without an agency. */
  agencyBranchKinds: string[];
  sentAt: Date;
  expiresAt: Date;
  expired: boolean;
}

/** Pending invitations in the actor's `manage_users` scope, the most recently sent first. */
export async function pendingInvitations(svc: Services, actor: Actor): Promise<PendingInvitation[]> {
  const rows = await svc.db
    .select({
      id: staffInvitations.id,
      email: staffInvitations.email,
      name: staffInvitations.name,
      role: staffInvitations.role,
      agencyId: staffInvitations.agencyId,
      agencyName: agencies.name,
      agencyPath: agencies.path,
      agencyRegionCode: agencies.regionCode,
      sentAt: staffInvitations.sentAt,
      expiresAt: staffInvitations.expiresAt,
    })
    .from(staffInvitations)
    .leftJoin(agencies, eq(agencies.id, staffInvitations.agencyId))
    .where(and(isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt)))
    .orderBy(desc(staffInvitations.sentAt), desc(staffInvitations.id));
  const now = svc.now();
  const kindOf = new Map(
    (await svc.db.select({ id: agencies.id, kind: agencies.kind }).from(agencies)).map((a) => [a.id, a.kind]),
  );
  return rows
    .map((r) => {
      const path = r.agencyPath === null ? [] : pathIds({ path: r.agencyPath });
      return { ...r, agencyBranchKinds: path.map((id) => kindOf.get(id) ?? ''), path };
    })
    .filter((r) =>
      r.agencyId === null || r.agencyPath === null
        ? canStaff(actor, 'manage_users')
        : canManageAgencyBranch(
            actor,
            { id: r.agencyId, regionCode: r.agencyRegionCode },
            r.path,
            r.agencyBranchKinds,
            'manage_users',
          ),
    )
    .map(({ path: _path, ...r }) => ({ ...r, expired: r.expiresAt <= now }));
}
