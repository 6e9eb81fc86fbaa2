/**
 * Auto-dispatch (issue 7, off by default): when the instance or the suggested agency has turned it on,
 * a newly submitted report whose top agency suggestion reaches the threshold is verified and
 * dispatched by the worker through the ordinary `verifyReport` command, as the system actor
 * `system:auto-dispatch`. The verify event says so (`data.autoDispatch`: confidence, threshold,
 * model version; no personal data). It is reversed like any misrouting: the agency returns it as
 * bukan wewenang (`return`, which also teaches the model) and a verifier verifies it again.
 *
 * Settings live in `settings` under `routing.auto_dispatch`:
 * `{ instance?: { enabled, threshold }, agencies?: { [agencyId]: { enabled, threshold } } }`.
 * The setting of the suggested agency wins over the instance setting (an agency may opt in alone,
 * or opt out of an instance-wide default).
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import { systemCaller, type Caller, type Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { query } from '../db/client.ts';
import { routingSuggestions, settings } from '../db/schema.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { suggest } from '../domain/routing/ensemble.ts';
import { canStaff } from '../policies/can.ts';
import { branchKinds, canManageAgency } from './manage-agencies.ts';
import { requireAgency } from './lookups.ts';
import { loadActiveModel, modelInput } from './routing-models.ts';
import { verifyReport } from './verify-report.ts';

/** The `settings` key of the auto-dispatch configuration. */
export const AUTO_DISPATCH_KEY = 'routing.auto_dispatch';
/** Default threshold when one is turned on without a threshold. */
export const DEFAULT_AUTO_DISPATCH_THRESHOLD = 0.9;
/** Only reports submitted within this many hours are considered (no sweeping of an old backlog). */
export const AUTO_DISPATCH_MAX_AGE_HOURS = 48;
/** `routing_suggestions.kind` of the record that the auto-dispatcher evaluated a report. */
export const AUTO_DISPATCH_KIND = 'auto_dispatch';

/** One scope's setting. */
export interface AutoDispatchRule {
  enabled: boolean;
  threshold: number;
}

/** The whole configuration (both parts optional: absent = off). */
export interface AutoDispatchSettings {
  instance?: AutoDispatchRule;
  agencies?: Record<string, AutoDispatchRule>;
}

/** Read the configuration (empty = off everywhere). */
export async function autoDispatchSettings(svc: Pick<Services, 'db'>): Promise<AutoDispatchSettings> {
  const [row] = await svc.db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, AUTO_DISPATCH_KEY))
    .limit(1);
  return (row?.value as AutoDispatchSettings | undefined) ?? {};
}

/** The rule that applies to a report whose top suggestion is `agencyId`, or null when off. */
export function ruleFor(config: AutoDispatchSettings, agencyId: string): AutoDispatchRule | null {
  const rule = config.agencies?.[agencyId] ?? config.instance;
  return rule?.enabled ? rule : null;
}

/** Input of {@link setAutoDispatch}. */
export interface SetAutoDispatchInput {
  enabled: boolean;
  /** In [0.5, 1]; defaults to the scope's current threshold, else 0.9. */
  threshold?: number | undefined;
  /** Set the rule of this agency; absent = the instance rule. */
  agencyId?: string | undefined;
}

/**
 * Turn auto-dispatch on or off for the instance (national admins) or for one agency (whoever may
 * manage that agency: national admin, the region's coordinator, the agency's admin; not the region's coordinator in a
 * kementerian/lembaga branch, `canManageAgency`). Returns the
 * new configuration.
 */
export async function setAutoDispatch(
  svc: Services,
  caller: Caller,
  input: SetAutoDispatchInput,
): Promise<AutoDispatchSettings> {
  if (!caller.system && caller.actor.userId === null) throw new AppError('UNAUTHENTICATED');
  return svc.db.transaction(async (tx) => {
    if (input.agencyId !== undefined) {
      const agency = await requireAgency(tx, input.agencyId, 'agencyId');
      if (!caller.system && !canManageAgency(caller.actor, agency, await branchKinds(tx, agency)))
        throw new AppError('FORBIDDEN');
    } else if (!caller.system && !canStaff(caller.actor, 'manage_agencies', {})) {
      throw new AppError('FORBIDDEN');
    }
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${AUTO_DISPATCH_KEY}))`);
    const current = await autoDispatchSettings({ db: tx as unknown as Services['db'] });
    const previous = input.agencyId ? current.agencies?.[input.agencyId] : current.instance;
    const rule: AutoDispatchRule = {
      enabled: input.enabled,
      threshold: input.threshold ?? previous?.threshold ?? DEFAULT_AUTO_DISPATCH_THRESHOLD,
    };
    const next: AutoDispatchSettings = input.agencyId
      ? { ...current, agencies: { ...current.agencies, [input.agencyId]: rule } }
      : { ...current, instance: rule };
    await tx
      .insert(settings)
      .values({ key: AUTO_DISPATCH_KEY, value: next })
      .onConflictDoUpdate({ target: settings.key, set: { value: next } });
    await recordAdminAction(tx, caller, {
      action: 'auto_dispatch.set',
      targetType: 'setting',
      targetId: input.agencyId ?? 'instance',
      agencyId: input.agencyId ?? null,
      details: { agencyId: input.agencyId ?? null, from: previous ?? null, to: rule },
      at: svc.now(),
    });
    return next;
  });
}

/** What one auto-dispatch pass did. */
export interface AutoDispatchResult {
  considered: number;
  dispatched: { trackingId: string; agencyId: string; confidence: number }[];
}

/**
 * One pass of the worker: every report submitted in the last 48 hours, still `submitted` and not yet
 * evaluated, gets the agency model's suggestion; each evaluation is recorded (kind `auto_dispatch`)
 * so a report is considered once. When a rule applies and the top confidence reaches its threshold,
 * and a category is known (the citizen's, else the category model's top suggestion), the report is
 * verified through `verifyReport` as `system:auto-dispatch`. Does nothing while no rule is on.
 */
export async function autoDispatchPending(
  svc: Services,
  opts: { limit?: number } = {},
): Promise<AutoDispatchResult> {
  const result: AutoDispatchResult = { considered: 0, dispatched: [] };
  const config = await autoDispatchSettings(svc);
  const anyOn = config.instance?.enabled || Object.values(config.agencies ?? {}).some((r) => r.enabled);
  if (!anyOn) return result;
  const agencyModel = await loadActiveModel(svc.db, 'agency');
  if (!agencyModel) return result;
  const now = svc.now();
  const since = new Date(now.getTime() - AUTO_DISPATCH_MAX_AGE_HOURS * 3_600_000);
  const pending = await query<{
    id: string;
    tracking_id: string;
    title: string;
    body: string;
    region_code: string | null;
    classification: string;
    category_id: number | null;
  }>(
    svc.db,
    sql`select r.id, r.tracking_id, r.title, r.body, r.region_code, r.classification, r.category_id
          from reports r
         where r.status = 'submitted' and r.created_at >= ${since.toISOString()}
           and not exists (select 1 from routing_suggestions s
                            where s.report_id = r.id and s.kind = ${AUTO_DISPATCH_KIND})
         order by r.created_at
         limit ${opts.limit ?? 50}`,
  );
  if (pending.length === 0) return result;
  const categoryModel = await loadActiveModel(svc.db, 'category');
  const caller = systemCaller('auto-dispatch');
  for (const r of pending) {
    result.considered++;
    const input = {
      title: r.title,
      body: r.body,
      regionCode: r.region_code,
      classification: r.classification,
    };
    const preds = suggest(agencyModel.ensemble, modelInput('agency', input), 3);
    const top = preds[0];
    const rule = top ? ruleFor(config, top.label) : null;
    let categoryId = r.category_id;
    if (categoryId === null && categoryModel) {
      const c = Number(suggest(categoryModel.ensemble, modelInput('category', input), 1)[0]?.label);
      if (Number.isInteger(c)) categoryId = c;
    }
    const go = !!(top && rule && top.confidence >= rule.threshold && categoryId !== null);
    await svc.db.insert(routingSuggestions).values({
      reportId: r.id,
      modelId: agencyModel.id,
      kind: AUTO_DISPATCH_KIND,
      suggestions: preds.map((p) => ({ label: p.label, confidence: Math.round(p.confidence * 1000) / 1000 })),
      topLabel: top?.label ?? null,
      topConfidence: top?.confidence ?? null,
      shownTo: null,
      shownAt: now,
      ...(go ? { chosenLabel: top!.label, accepted: true, inTop3: true, decidedAt: now } : {}),
    });
    if (!go) continue;
    try {
      await verifyReport(svc, caller, r.tracking_id, {
        agencyId: top!.label,
        categoryId: categoryId!,
        autoDispatch: {
          confidence: Math.round(top!.confidence * 1000) / 1000,
          threshold: rule!.threshold,
          modelVersion: agencyModel.version,
        },
      });
      result.dispatched.push({
        trackingId: r.tracking_id,
        agencyId: top!.label,
        confidence: top!.confidence,
      });
    } catch (e) {
      // Another worker or a verifier got there first (409), or the agency/category is no longer
      // active (422): leave the report to the verifiers.
      if (!(e instanceof AppError)) throw e;
      await svc.db
        .update(routingSuggestions)
        .set({ chosenLabel: null, accepted: null, inTop3: null, decidedAt: null })
        .where(and(eq(routingSuggestions.reportId, r.id), eq(routingSuggestions.kind, AUTO_DISPATCH_KIND)));
    }
  }
  return result;
}

/** Reports auto-dispatched since `since` (for the admin page). */
export async function autoDispatchCount(svc: Services, since: Date): Promise<number> {
  const [row] = await svc.db
    .select({ n: sql<number>`count(*)::int` })
    .from(routingSuggestions)
    .where(
      and(
        eq(routingSuggestions.kind, AUTO_DISPATCH_KIND),
        eq(routingSuggestions.accepted, true),
        gte(routingSuggestions.shownAt, since),
      ),
    );
  return row?.n ?? 0;
}
