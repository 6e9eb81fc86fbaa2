/**
 * Adds a new version of an SLA rule (`aduan sla set`, the SLA admin page, `POST /api/v1/sla-rules`). Reports whose
 * clock already runs keep the rule version stored in report_deadlines; clocks started on or after `validFrom` use
 * the new version. A version counts working days unless it says calendar days (`dayUnit`).
 *
 * A rule may be regional (`regionCode`, a province or kab/kota: its Pergub/Perwali/Perbup): it applies to reports
 * in that region and below, before national rules, and may only tighten the national (or wider-region) rule it
 * overrides (docs/adr/0013-regional-sla-rules.md). The national admin (and the operator's CLI) set rules for any
 * region; a coordinator for its own region and below; anyone else gets 403.
 */
import { sql } from 'drizzle-orm';
import { slaRules } from '../db/schema.ts';
import { invalidateCalendarCache, slaRuleOf } from '../db/repositories/calendar.ts';
import { isIsoDate, localDate } from '../domain/deadline/calendar.ts';
import {
  DAY_UNITS,
  SLA_CLOCKS,
  rulesCappedBy,
  widerRuleLimit,
  type DayUnit,
  type SlaClock,
} from '../domain/deadline/sla.ts';
import { CLASSIFICATIONS, type Classification } from '../domain/report/report.ts';
import type { Caller, Services } from '../app/context.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { AppError, invalid, type FieldIssue } from '../app/errors.ts';
import { canStaff } from '../policies/can.ts';
import { collectIssues, requireRegion } from './lookups.ts';

/**
 * A new rule version. `ruleId` defaults to the clock (plus `.classification` when given), prefixed with the region
 * and a colon for a regional rule (`64:verification`, `64.71:completion.pengaduan`).
 */
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
  /** A province or kab/kota code (`64`, `64.71`) for a regional rule; absent or empty: national. */
  regionCode?: string | undefined;
  /**
   * A `validFrom` before today (WIB) is refused unless this is set: a version that starts in the past changes the
   * deadlines of clocks that started since then (regulations rarely apply retroactively).
   */
  retroactive?: boolean | undefined;
}

/** Region codes a regional rule may name: a province (`64`) or a kab/kota (`64.71`). */
const RULE_REGION = /^\d{2}(\.\d{2})?$/;

/** The regional prefix of rule ids: `64:verification` is the rule `verification` of region 64. */
export function regionalRuleId(regionCode: string | null, id: string): string {
  return regionCode && !id.startsWith(`${regionCode}:`) ? `${regionCode}:${id}` : id;
}

/**
 * Who may set rules for a region (null: national): the national admin everywhere, a coordinator in its region and
 * below. `caller` null (the operator's CLI) may do anything.
 */
export function maySetSlaRule(caller: Caller | null, regionCode: string | null): boolean {
  if (!caller) return true;
  return regionCode
    ? canStaff(caller.actor, 'manage_sla', { regionCode })
    : canStaff(caller.actor, 'manage_sla');
}

/**
 * Inserts the next version of the rule and returns it, with `caps`: the regional rule versions it now caps
 * (`rulesCappedBy`: a shorter national version overrides longer Pergub/Perwali rules). `caller` null: the operator's CLI (for the admin log).
 * 403 when the caller may not set rules for the region; 422 with field issues otherwise (`workingDays`
 * `sla_looser` when a regional rule would lengthen the limit it overrides).
 */
export async function setSlaRule(svc: Services, input: SetSlaRuleInput, caller: Caller | null = null) {
  const regionCode = input.regionCode?.trim() || null;
  if (regionCode && !RULE_REGION.test(regionCode)) throw invalid({ regionCode: { key: 'sla_region_level' } });
  if (!maySetSlaRule(caller, regionCode)) throw new AppError('FORBIDDEN');
  const fields: Record<string, FieldIssue> = {};
  if (regionCode) await collectIssues(fields, () => requireRegion(svc.db, regionCode, 'regionCode'));
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
  // A given id names the rule without its region (which is added), or with this rule's own region prefix.
  const ownId = input.ruleId?.startsWith(`${regionCode}:`)
    ? input.ruleId.slice(regionCode!.length + 1)
    : input.ruleId;
  if (ownId !== undefined && !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(ownId))
    fields.ruleId = { key: 'invalid_format' };
  if (Object.keys(fields).length) throw invalid(fields);
  const id = regionalRuleId(
    regionCode,
    ownId ??
      [input.clock, input.classification, input.supervisory ? 'pengawasan' : null].filter(Boolean).join('.'),
  );
  const row = await svc.db.transaction(async (tx) => {
    await tx.execute(sql`lock table sla_rules in share row exclusive mode`);
    const all = (await tx.select().from(slaRules)).map(slaRuleOf);
    const same = all.filter((r) => r.id === id);
    // An id names one rule of one region: a new version cannot move it to another region.
    if (same.some((r) => (r.regionCode ?? null) !== regionCode))
      throw invalid({ ruleId: { key: 'sla_rule_region' } });
    const limit = widerRuleLimit(all, {
      clock: input.clock as SlaClock,
      classification: (input.classification as Classification | undefined) ?? null,
      supervisory: input.supervisory ?? null,
      workingDays: input.workingDays,
      dayUnit: (input.dayUnit as DayUnit | undefined) ?? 'working',
      validFrom: input.validFrom,
      regionCode,
    });
    if (limit)
      throw invalid({
        workingDays: { key: 'sla_looser', params: { max: limit.workingDays, basis: limit.basis } },
      });
    const v = same.reduce((m, r) => Math.max(m, r.version), 0);
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
        regionCode,
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
        basis: inserted!.basis,
        regionCode,
      },
      at: svc.now(),
    });
    // The regional rules this version now caps (a later, shorter national or wider-region limit applies instead).
    const caps = rulesCappedBy([...all, slaRuleOf(inserted!)], slaRuleOf(inserted!), svc.now());
    return { ...inserted!, caps };
  });
  invalidateCalendarCache();
  return row;
}
