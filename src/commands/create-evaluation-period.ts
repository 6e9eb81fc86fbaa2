/**
 * Creates (or replaces) an evaluation period with its participant groups, versioned weights,
 * predikat thresholds and minimum volume. National admins everywhere; coordinators when every
 * participant (of the new and of the replaced definition) is in their region (`manage_evaluation`).
 * Changing weights bumps the version. A published period is final (409 PERIOD_PUBLISHED): its public
 * page, certificates and `aduan evaluate` read the definition the result was computed from.
 * Bad definitions are refused as a whole (422) before anything is written, including participant URLs the
 * site audit may not open (`participantUrlIssues`: the outbound SSRF rule of webhooks and federation peers).
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { AppError, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { query } from '../db/client.ts';
import {
  evaluationGroups,
  evaluationParticipants,
  evaluationPeriods,
  evaluationResults,
} from '../db/schema.ts';
import { canStaff } from '../policies/can.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { isPublished } from '../queries/evaluation.ts';
import {
  checkOutboundHost,
  hostOf,
  outboundUrlSyntax,
  type OutboundProblem,
} from '../integrations/outbound-guard.ts';
import {
  canonicalJson,
  DEFAULT_THRESHOLDS,
  DEFAULT_WEIGHTS,
  type Threshold,
  type Weights,
} from '../domain/evaluation/scoring.ts';

/** At most this many participant groups per period (API and form). */
export const MAX_GROUPS = 100;
/** At most this many predikat thresholds per period (API and form). */
export const MAX_THRESHOLDS = 20;

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

/** Group ids of `ids` already used by another period, with that period. */
async function groupsOfOtherPeriods(
  svc: Services,
  periodId: string,
  ids: string[],
): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await query<{ id: string; period_id: string }>(
    svc.db,
    sql`select id, period_id from evaluation_groups where period_id <> ${periodId} and id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  return new Map(rows.map((r) => [r.id, r.period_id]));
}

/** Weights without the unused (zero) ones: what the weights version compares. */
function effectiveWeights(w: Weights): Weights {
  return Object.fromEntries(Object.entries(w).filter(([, v]) => typeof v === 'number' && v > 0));
}

/**
 * Field issues of a definition that do not need the database: thresholds with a 0 floor and distinct
 * minimums, at least one weight above 0, distinct group ids, at least one participant per group and no
 * participant twice in a group. Keys are the JSON paths (`groups.1.id`, `thresholds.2.min`, …).
 */
export function definitionIssues(input: PeriodInput): Record<string, FieldIssue> {
  const f: Record<string, FieldIssue> = {};
  if (input.thresholds) {
    if (input.thresholds.length > MAX_THRESHOLDS)
      f.thresholds = { key: 'too_many', params: { max: MAX_THRESHOLDS } };
    else if (!input.thresholds.some((t) => t.min === 0)) f.thresholds = { key: 'thresholds_floor' };
    const seen = new Set<number>();
    input.thresholds.forEach((t, i) => {
      if (seen.has(t.min))
        f[`thresholds.${i}.min`] ??= { key: 'thresholds_duplicate', params: { min: t.min } };
      seen.add(t.min);
    });
  }
  if (input.weights && !Object.values(input.weights).some((w) => typeof w === 'number' && w > 0))
    f.weights = { key: 'weights_empty' };
  if (input.groups.length > MAX_GROUPS) f.groups = { key: 'too_many', params: { max: MAX_GROUPS } };
  const groupIds = new Set<string>();
  input.groups.forEach((g, i) => {
    if (groupIds.has(g.id)) f[`groups.${i}.id`] = { key: 'group_duplicate' };
    groupIds.add(g.id);
    if (!g.participants.length) f[`groups.${i}.participants`] = { key: 'participants_empty' };
    const agencies = new Set<string>();
    g.participants.forEach((p, j) => {
      if (agencies.has(p.agencyId))
        f[`groups.${i}.participants.${j}.agencyId`] ??= {
          key: 'participant_duplicate',
          params: { agency: p.agencyId },
        };
      agencies.add(p.agencyId);
    });
  });
  return f;
}

/** Longest participant website / social-media URL (as for webhook receivers). */
export const MAX_PARTICIPANT_URL = 2000;
/** How long the check waits for DNS before it accepts a name (the audit checks again at every request). */
const URL_DNS_TIMEOUT_MS = 5000;

/**
 * Field issues of the participant URLs, which the worker's site audit opens in a browser: the rule of
 * src/integrations/outbound-guard.ts, as for webhooks and federation peers. An absolute http(s) URL without
 * credentials (`url_scheme`, `invalid_format`), at most MAX_PARTICIPANT_URL characters, whose host is neither a
 * private, loopback, link-local or reserved address nor a name resolving to one (`url_blocked_address`), unless
 * the host is in ADUAN_OUTBOUND_ALLOW_HOSTS. Unlike a webhook, a name that does not resolve is accepted: a
 * participant's site may be down on the day, and the audit records it as not loading. Keys are the JSON paths
 * (`groups.0.participants.1.websiteUrl`); `params.url` names the URL (the form shows many in one box).
 */
export async function participantUrlIssues(
  svc: Pick<Services, 'outboundAllowHosts'>,
  input: Pick<PeriodInput, 'groups'>,
): Promise<Record<string, FieldIssue>> {
  const allowHosts = svc.outboundAllowHosts ?? [];
  const byHost = new Map<string, Promise<OutboundProblem | null>>();
  // One entry per URL, in the order of the definition; a host is resolved once however often it occurs.
  const checks: { key: string; url: string; issue: FieldIssue | Promise<OutboundProblem | null> }[] = [];
  input.groups.forEach((g, i) =>
    g.participants.forEach((p, j) => {
      for (const kind of ['websiteUrl', 'socialUrl'] as const) {
        const url = p[kind];
        if (url === undefined) continue;
        const key = `groups.${i}.participants.${j}.${kind}`;
        const syntax = outboundUrlSyntax(url);
        if (url.length > MAX_PARTICIPANT_URL)
          checks.push({ key, url, issue: { key: 'too_long', params: { max: MAX_PARTICIPANT_URL } } });
        else if ('problem' in syntax)
          checks.push({ key, url, issue: { key: syntax.problem, params: { url } } });
        else {
          const host = hostOf(syntax.url);
          let check = byHost.get(host);
          if (!check) {
            check = checkOutboundHost(host, { allowHosts, timeoutMs: URL_DNS_TIMEOUT_MS });
            byHost.set(host, check);
          }
          checks.push({ key, url, issue: check });
        }
      }
    }),
  );
  const f: Record<string, FieldIssue> = {};
  for (const c of checks) {
    const issue = await c.issue;
    if (issue && typeof issue === 'object') f[c.key] = issue;
    else if (issue === 'url_blocked_address') f[c.key] = { key: issue, params: { url: c.url } };
  }
  return f;
}

/** Creates or replaces the period; returns its weights version. */
export async function createEvaluationPeriod(
  svc: Services,
  caller: Caller,
  input: PeriodInput,
): Promise<{ weightsVersion: number }> {
  if (!caller.system && !mayManageEvaluations(caller)) throw new AppError('FORBIDDEN');
  // Whether a period is published is public (its results page), so this may come before the scope check.
  if (await isPublished(svc.db, input.id)) throw new AppError('PERIOD_PUBLISHED');
  const fields = definitionIssues(input);
  const ids = [...new Set(input.groups.flatMap((g) => g.participants.map((p) => p.agencyId)))];
  const unknown = new Set(await unknownAgencies(svc, ids));
  input.groups.forEach((g, i) => {
    const list = [...new Set(g.participants.map((p) => p.agencyId).filter((a) => unknown.has(a)))];
    if (list.length)
      fields[`groups.${i}.participants`] = { key: 'agency_unknown', params: { list: list.join(', ') } };
  });
  const taken = await groupsOfOtherPeriods(svc, input.id, [...new Set(input.groups.map((g) => g.id))]);
  input.groups.forEach((g, i) => {
    const other = taken.get(g.id);
    if (other && !fields[`groups.${i}.id`])
      fields[`groups.${i}.id`] = { key: 'group_taken', params: { period: other } };
  });
  for (const [k, issue] of Object.entries(await participantUrlIssues(svc, input))) fields[k] ??= issue;
  throwIfInvalid(fields);
  await assertCanManageEvaluation(svc, caller, [...ids, ...(await periodAgencies(svc, input.id))]);
  const weights = input.weights ?? DEFAULT_WEIGHTS;
  return svc.db.transaction(async (tx) => {
    // The period row is locked so that a concurrent publish or change waits for this one.
    const [old] = await tx
      .select()
      .from(evaluationPeriods)
      .where(eq(evaluationPeriods.id, input.id))
      .for('update');
    if (old) {
      const [done] = await tx
        .select({ id: evaluationResults.id })
        .from(evaluationResults)
        .where(eq(evaluationResults.periodId, input.id))
        .limit(1);
      if (done) throw new AppError('PERIOD_PUBLISHED');
    }
    const sameWeights =
      old &&
      canonicalJson(effectiveWeights(old.weights as Weights)) === canonicalJson(effectiveWeights(weights));
    const weightsVersion = !old ? 1 : sameWeights ? old.weightsVersion : old.weightsVersion + 1;
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
    await recordAdminAction(tx, caller, {
      action: 'evaluation.period',
      targetType: 'evaluation_period',
      targetId: input.id,
      details: {
        periodId: input.id,
        name: input.name,
        from: input.from,
        to: input.to,
        created: !old,
        weightsVersion,
        participants: ids,
      },
      at: svc.now(),
    });
    return { weightsVersion };
  });
}
