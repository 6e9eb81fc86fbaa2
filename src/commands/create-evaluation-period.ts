/**
 * Creates (or replaces) an evaluation period with its participant groups, versioned weights,
 * predikat thresholds and minimum volume. National admins everywhere; coordinators when every
 * participant (of the new and of the replaced definition) is in their region (`manage_evaluation`).
 * Changing weights bumps the version.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { AppError, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { query } from '../db/client.ts';
import { evaluationGroups, evaluationParticipants, evaluationPeriods } from '../db/schema.ts';
import { canStaff } from '../policies/can.ts';
import {
  canonicalJson,
  DEFAULT_THRESHOLDS,
  DEFAULT_WEIGHTS,
  type Threshold,
  type Weights,
} from '../domain/evaluation/scoring.ts';

/** A period definition. */
export interface PeriodInput {
  id: string;
  name: string;
  from: string;
  to: string;
  weights?: Weights | undefined;
  thresholds?: Threshold[] | undefined;
  minVolume?: number | undefined;
  groups: {
    id: string;
    name: string;
    scope: 'agency' | 'region';
    award?: 'complaint_handling' | 'website' | 'media_sosial' | undefined;
    participants: { agencyId: string; websiteUrl?: string | undefined; socialUrl?: string | undefined }[];
  }[];
}

/** The agencies among `ids` that do not exist. */
async function unknownAgencies(svc: Services, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await query<{ id: string }>(
    svc.db,
    sql`select id from agencies where id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((i) => !known.has(i));
}

/** The participant agencies of an existing period (empty when unknown). */
async function periodAgencies(svc: Services, periodId: string): Promise<string[]> {
  const rows = await query<{ agency_id: string }>(
    svc.db,
    sql`select distinct p.agency_id from evaluation_participants p join evaluation_groups g on g.id = p.group_id
        where g.period_id = ${periodId}`,
  );
  return rows.map((r) => r.agency_id);
}

/**
 * Throws FORBIDDEN unless the caller may manage a period with these participants: national scope,
 * or `manage_evaluation` over every participant agency (a coordinator's region). No participants
 * means national scope.
 */
export async function assertCanManageEvaluation(svc: Services, caller: Caller, agencyIds: string[]) {
  if (caller.system || canStaff(caller.actor, 'manage_evaluation', {})) return;
  if (!agencyIds.length) throw new AppError('FORBIDDEN');
  const rows = await query<{ id: string; path: string; region_code: string | null }>(
    svc.db,
    sql`select id, path, region_code from agencies where id in (${sql.join(
      agencyIds.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  const reach = rows.every((a) =>
    canStaff(caller.actor, 'manage_evaluation', {
      agencyId: a.id,
      agencyPath: a.path.split('/').filter(Boolean),
      regionCode: a.region_code,
    }),
  );
  if (rows.length < new Set(agencyIds).size || !reach) throw new AppError('FORBIDDEN');
}

/** Whether the caller may manage evaluation periods at all (national admin or coordinator). */
export function mayManageEvaluations(caller: Caller): boolean {
  return caller.actor.grants.some((g) => g.role === 'national_admin' || g.role === 'coordinator');
}

/** Creates or replaces the period; returns its weights version. */
export async function createEvaluationPeriod(
  svc: Services,
  caller: Caller,
  input: PeriodInput,
): Promise<{ weightsVersion: number }> {
  if (!caller.system && !mayManageEvaluations(caller)) throw new AppError('FORBIDDEN');
  const ids = [...new Set(input.groups.flatMap((g) => g.participants.map((p) => p.agencyId)))];
  const fields: Record<string, FieldIssue> = {};
  const unknown = await unknownAgencies(svc, ids);
  if (unknown.length) fields.participants = { key: 'agency_unknown', params: { list: unknown.join(', ') } };
  throwIfInvalid(fields);
  await assertCanManageEvaluation(svc, caller, [...ids, ...(await periodAgencies(svc, input.id))]);
  const weights = input.weights ?? DEFAULT_WEIGHTS;
  return svc.db.transaction(async (tx) => {
    const [old] = await tx.select().from(evaluationPeriods).where(eq(evaluationPeriods.id, input.id));
    const weightsVersion = !old
      ? 1
      : canonicalJson(old.weights) === canonicalJson(weights)
        ? old.weightsVersion
        : old.weightsVersion + 1;
    const row = {
      id: input.id,
      name: input.name,
      fromDate: input.from,
      toDate: input.to,
      weightsVersion,
      weights,
      thresholds: input.thresholds ?? DEFAULT_THRESHOLDS,
      minVolume: input.minVolume ?? 10,
    };
    await tx
      .insert(evaluationPeriods)
      .values(row)
      .onConflictDoUpdate({ target: evaluationPeriods.id, set: row });
    const oldGroups = await tx
      .select({ id: evaluationGroups.id })
      .from(evaluationGroups)
      .where(eq(evaluationGroups.periodId, input.id));
    if (oldGroups.length) {
      const ids = oldGroups.map((g) => g.id);
      await tx.delete(evaluationParticipants).where(inArray(evaluationParticipants.groupId, ids));
      await tx.delete(evaluationGroups).where(inArray(evaluationGroups.id, ids));
    }
    for (const g of input.groups) {
      await tx.insert(evaluationGroups).values({
        id: g.id,
        periodId: input.id,
        name: g.name,
        scope: g.scope,
        award: g.award ?? 'complaint_handling',
      });
      if (g.participants.length) {
        await tx.insert(evaluationParticipants).values(
          g.participants.map((p) => ({
            groupId: g.id,
            agencyId: p.agencyId,
            websiteUrl: p.websiteUrl ?? null,
            socialUrl: p.socialUrl ?? null,
          })),
        );
      }
    }
    return { weightsVersion };
  });
}
