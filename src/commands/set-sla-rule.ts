/**
 * Adds a new version of an SLA rule (`aduan sla set`, the SLA admin page). Reports whose clock already runs
 * keep the rule version stored in report_deadlines; clocks started on or after `validFrom` use the new
 * version. A version counts working days unless it says calendar days (`dayUnit`).
 */
import { and, eq, sql } from 'drizzle-orm';
import { slaRules } from '../db/schema.ts';
import { invalidateCalendarCache } from '../db/repositories/calendar.ts';
import { isIsoDate, localDate } from '../domain/deadline/calendar.ts';
import { DAY_UNITS, SLA_CLOCKS, type DayUnit, type SlaClock } from '../domain/deadline/sla.ts';
import { CLASSIFICATIONS, type Classification } from '../domain/report/report.ts';
import type { Caller, Services } from '../app/context.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { invalid, type FieldIssue } from '../app/errors.ts';

/** A new rule version. `ruleId` defaults to the clock (plus `.classification` when given). */
export interface SetSlaRuleInput {
  clock: string;
  /** The length of the limit, in `dayUnit` days. */
  workingDays: number;
  /** `working` (default) or `calendar` days. */
  dayUnit?: string | undefined;
  basis: string;
  validFrom: string;
  classification?: string | undefined;
  supervisory?: boolean | undefined;
  ruleId?: string | undefined;
  /**
   * A `validFrom` before today (WIB) is refused unless this is set: a version that starts in the past changes the
   * deadlines of clocks that started since then (regulations rarely apply retroactively).
   */
  retroactive?: boolean | undefined;
}

/** Inserts the next version of the rule and returns it. `caller` null: the operator's CLI (for the admin log). */
export async function setSlaRule(svc: Services, input: SetSlaRuleInput, caller: Caller | null = null) {
  const fields: Record<string, FieldIssue> = {};
  if (!(SLA_CLOCKS as readonly string[]).includes(input.clock)) fields.clock = { key: 'invalid_format' };
  if (!Number.isInteger(input.workingDays) || input.workingDays < 1 || input.workingDays > 365)
    fields.workingDays = { key: 'between', params: { min: 1, max: 365 } };
  if (input.dayUnit !== undefined && !(DAY_UNITS as readonly string[]).includes(input.dayUnit))
    fields.dayUnit = { key: 'invalid_format' };
  if (!input.basis?.trim()) fields.basis = { key: 'required' };
  if (!isIsoDate(input.validFrom)) fields.validFrom = { key: 'invalid_date' };
  else if (!input.retroactive && input.validFrom < localDate(svc.now(), 'WIB'))
    fields.validFrom = { key: 'sla_retroactive' };
  if (input.classification && !(CLASSIFICATIONS as readonly string[]).includes(input.classification))
    fields.classification = { key: 'invalid_format' };
  if (Object.keys(fields).length) throw invalid(fields);
  const id =
    input.ruleId ??
    [input.clock, input.classification, input.supervisory ? 'pengawasan' : null].filter(Boolean).join('.');
  const row = await svc.db.transaction(async (tx) => {
    await tx.execute(sql`lock table sla_rules in share row exclusive mode`);
    const [{ v } = { v: 0 }] = await tx
      .select({ v: sql<number>`coalesce(max(${slaRules.version}), 0)::int` })
      .from(slaRules)
      .where(and(eq(slaRules.id, id)));
    const [inserted] = await tx
      .insert(slaRules)
      .values({
        id,
        version: Number(v) + 1,
        clock: input.clock as SlaClock,
        classification: (input.classification as Classification | undefined) ?? null,
        supervisory: input.supervisory ?? null,
        workingDays: input.workingDays,
        dayUnit: (input.dayUnit as DayUnit | undefined) ?? 'working',
        basis: input.basis.trim(),
        validFrom: input.validFrom,
        createdAt: svc.now(),
      })
      .returning();
    await recordAdminAction(tx, caller, {
      action: 'sla.add',
      targetType: 'sla_rule',
      targetId: `${id}@${inserted!.version}`,
      details: {
        ruleId: id,
        version: inserted!.version,
        workingDays: inserted!.workingDays,
        dayUnit: inserted!.dayUnit,
        validFrom: inserted!.validFrom,
      },
      at: svc.now(),
    });
    return inserted!;
  });
  invalidateCalendarCache();
  return row;
}
