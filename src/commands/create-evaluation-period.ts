/**
 * Creates (or replaces) an evaluation period with its participant groups, versioned weights,
 * predikat thresholds and minimum volume. National admin only. Changing weights bumps the version.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { evaluationGroups, evaluationParticipants, evaluationPeriods } from '../db/schema.ts';
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

/** Creates or replaces the period; returns its weights version. */
export async function createEvaluationPeriod(
  svc: Services,
  caller: Caller,
  input: PeriodInput,
): Promise<{ weightsVersion: number }> {
  if (!caller.system && !caller.actor.grants.some((g) => g.role === 'national_admin'))
    throw new AppError('FORBIDDEN');
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
