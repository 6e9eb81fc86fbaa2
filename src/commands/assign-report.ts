/**
 * Assigns a dispatched report to one officer (or agency admin) of the handling unit or agency: the agency
 * admin's "who works on this". No status change and no deadline change; an internal timeline event records
 * it (staff in scope only), so the hash chain shows every reassignment.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { reports, roleGrants, users } from '../db/schema.ts';
import { appendEvent } from '../db/repositories/events.ts';
import { agencyPaths, loadReport } from '../db/repositories/reports.ts';
import { authorisingGrant, authorize } from '../queries/access.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';

/** Statuses in which a report is being handled and can be assigned. */
export const ASSIGNABLE_STATUSES = ['dispatched', 'in_progress', 'responded'] as const;

/** The officer to assign (a user id), or null to clear the assignment. */
export interface AssignReportInput {
  assigneeUserId: string | null;
}

/**
 * The agencies whose staff may be assigned: the handling unit and its ancestors inside the dispatched
 * agency's tree (a unit's officer, or the perangkat daerah's own staff).
 */
export function assignableAgencyIds(path: readonly string[], dispatchedAgencyId: string | null): string[] {
  const start = dispatchedAgencyId ? path.indexOf(dispatchedAgencyId) : -1;
  return start >= 0 ? path.slice(start) : path.slice(-1);
}

/** Assigns (or unassigns) the report; authorised like a disposition (the handling agency's admin). */
export async function assignReport(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: AssignReportInput,
): Promise<void> {
  await svc.db.transaction(async (tx) => {
    const report = await loadReport(tx, trackingId, { forUpdate: true });
    const subject = authorize(report, caller, 'dispose');
    const row = report!.row;
    if (!(ASSIGNABLE_STATUSES as readonly string[]).includes(row.status))
      throw new AppError('ILLEGAL_TRANSITION', {}, { action: 'assign', status: row.status });
    const agencyIds = assignableAgencyIds(agencyPaths(report!).agencyPath, row.dispatchedAgencyId);
    let assigneeName: string | null = null;
    if (input.assigneeUserId !== null) {
      const [hit] = await tx
        .select({ name: users.name, disabledAt: users.disabledAt })
        .from(roleGrants)
        .innerJoin(users, eq(users.id, roleGrants.userId))
        .where(
          and(
            eq(roleGrants.userId, input.assigneeUserId),
            inArray(roleGrants.role, ['officer', 'agency_admin']),
            inArray(roleGrants.agencyId, agencyIds),
          ),
        )
        .limit(1);
      if (!hit) throw invalid({ assignee: { key: 'assignee_not_handling' } });
      // A deactivated account cannot sign in to work on the report (manage-staff-users.ts `setAccountDisabled`).
      if (hit.disabledAt) throw invalid({ assignee: { key: 'assignee_disabled' } });
      assigneeName = hit.name;
    }
    if (row.assigneeUserId === input.assigneeUserId) return;
    const now = svc.now();
    const grant = authorisingGrant(caller, 'dispose', subject);
    const [updated] = await tx
      .update(reports)
      .set({ assigneeUserId: input.assigneeUserId, updatedAt: now })
      .where(eq(reports.id, row.id))
      .returning();
    await appendEvent(tx, updated!, {
      type: 'assign',
      visibility: 'internal',
      body: assigneeName,
      data: { assigneeUserId: input.assigneeUserId, previousUserId: row.assigneeUserId },
      createdAt: now,
      fromStatus: row.status,
      toStatus: row.status,
      actorUserId: caller.actor.userId,
      actorRole: caller.system ? `system:${caller.system}` : (grant?.role ?? null),
      actorAgencyId: grant?.agencyId ?? null,
    });
  });
}
