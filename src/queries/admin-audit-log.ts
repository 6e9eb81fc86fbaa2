/**
 * The administration log page's read model (`/kantor/admin/log`, docs/back-office.md "Administration log"): entries of
 * `admin_audit_log`, newest first, 50 a page, filtered by action group and agency.
 *
 * Who reads what: the national admin every entry; a coordinator only the entries whose agency it manages
 * (`agenciesInScope`, manageable: its region's agencies, without the Ombudsman offices and the ministries' and
 * lembaga's offices there, which are not its to administer; also as one of the agencies a queue download spans,
 * `details.grantAgencies`), the regional holidays, regional SLA rules and statistics downloads of its region
 * (their `details.regionCode`, in SQL), and the entries of the evaluation periods
 * it owns (every participant in its region, `ownEvaluationPeriods`); national entries (no agency: categories, national
 * SLA rules, national holidays, national keys, evaluation periods with a participant elsewhere, federation, key
 * reseals) are the national admin's alone.
 * Anyone else: 403.
 */
import { and, asc, count, desc, eq, gte, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { adminAuditLog, agencies, categories, staffInvitations, users } from '../db/schema.ts';
import {
  ADMIN_ACTION_GROUPS,
  auditEntryRefs,
  type AdminActionGroup,
  type AuditRefSource,
} from '../domain/admin/audit-actions.ts';
import type { AppDb } from '../db/client.ts';
import type { Actor } from '../policies/can.ts';
import type { Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { agenciesInScope } from './admin.ts';
import { regionNamesByCode } from './region-names.ts';

/** Entries per page. */
export const AUDIT_PAGE_SIZE = 50;

/** The page's filters (from the query string). */
export interface AuditLogFilter {
  group: AdminActionGroup | '';
  agencyId: string;
  page: number;
}

/** One entry as the page shows it: the CLI's entry (`AuditLogEntry`) with the current names of its target and agency. */
export interface AuditLogRow extends AuditLogEntry {
  /** The target's current name: a staff member, an invitee, an agency or a category (null otherwise). */
  targetName: string | null;
  agencyName: string | null;
}

/** One page of the log, and the agencies the filter offers. */
export interface AuditLogPage {
  items: AuditLogRow[];
  total: number;
  page: number;
  pageSize: number;
  agencies: Array<{ id: string; name: string }>;
  /** The names of the agencies, categories and regions the entries mention. */
  names: AuditNames;
}

/**
 * The current names of the agencies, categories and regions some entries mention (`auditEntryRefs`), by id or code.
 * An id missing here no longer resolves (a removed row): the log shows the id with a note, never an error.
 */
export interface AuditNames {
  agencies: Readonly<Record<string, string>>;
  categories: Readonly<Record<string, string>>;
  regions: Readonly<Record<string, string>>;
}

/** Looks up the names `entries` mention, in at most three queries. */
export async function auditLogNames(db: AppDb, entries: readonly AuditRefSource[]): Promise<AuditNames> {
  const agencyIds = new Set<string>();
  const categoryIds = new Set<number>();
  const regionCodes = new Set<string>();
  for (const e of entries) {
    const refs = auditEntryRefs(e);
    for (const a of refs.agencies) agencyIds.add(a);
    for (const c of refs.categories) if (/^\d{1,9}$/.test(c)) categoryIds.add(Number(c));
    for (const r of refs.regions) regionCodes.add(r);
  }
  // One after the other: a pg client (and PGlite) runs one query at a time.
  const agencyRows = agencyIds.size
    ? await db
        .select({ id: agencies.id, name: agencies.name })
        .from(agencies)
        .where(inArray(agencies.id, [...agencyIds]))
    : [];
  const categoryRows = categoryIds.size
    ? await db
        .select({ id: categories.id, name: categories.name })
        .from(categories)
        .where(inArray(categories.id, [...categoryIds]))
    : [];
  const regionMap = await regionNamesByCode(db, regionCodes);
  return {
    agencies: Object.fromEntries(agencyRows.map((a) => [a.id, a.name])),
    categories: Object.fromEntries(categoryRows.map((c) => [String(c.id), c.name])),
    regions: Object.fromEntries(regionMap),
  };
}

/** Whether the actor may read the log at all: the national admin and coordinators. */
export function mayReadAdminLog(actor: Actor): boolean {
  return !!actor.userId && actor.grants.some((g) => g.role === 'national_admin' || g.role === 'coordinator');
}

/** The filters of a query string (unknown values are dropped, the page clamped to 1..). */
export function auditLogFilter(q: Record<string, string | undefined>): AuditLogFilter {
  const group = (ADMIN_ACTION_GROUPS as readonly string[]).includes(q.kelompok ?? '')
    ? (q.kelompok as AdminActionGroup)
    : '';
  const agencyId = /^[a-z0-9-]{1,80}$/.test(q.instansi ?? '') ? q.instansi! : '';
  const page = /^\d{1,6}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
  return { group, agencyId, page };
}

/** One entry as the operator's CLI prints it (`aduan audit admin`). */
export interface AuditLogEntry {
  id: number;
  at: Date;
  actorUserId: string | null;
  actorName: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: string;
  agencyId: string | null;
  details: Record<string, unknown>;
}

/** Every entry from `since` on, oldest first (the operator's shell: trusted, unscoped). */
export async function adminAuditEntries(
  svc: Services,
  opts: { since?: Date | undefined },
): Promise<AuditLogEntry[]> {
  const rows = await svc.db
    .select({
      id: adminAuditLog.id,
      at: adminAuditLog.createdAt,
      actorUserId: adminAuditLog.actorUserId,
      actorName: users.name,
      actorLabel: adminAuditLog.actorLabel,
      action: adminAuditLog.action,
      targetType: adminAuditLog.targetType,
      targetId: adminAuditLog.targetId,
      agencyId: adminAuditLog.agencyId,
      details: adminAuditLog.details,
    })
    .from(adminAuditLog)
    .leftJoin(users, eq(users.id, adminAuditLog.actorUserId))
    .where(opts.since ? gte(adminAuditLog.createdAt, opts.since) : undefined)
    .orderBy(asc(adminAuditLog.createdAt), asc(adminAuditLog.id));
  return rows.map((r) => ({ ...r, details: (r.details ?? {}) as Record<string, unknown> }));
}

/**
 * The evaluation-period entries (`evaluation.period`, `evaluation.publish`: they have no agency) a coordinator reads:
 * those of the periods it owns, i.e. whose participants all lie where it manages evaluations (its region,
 * `manage_evaluation`), and whose own recorded participants (`details.participants`, an earlier definition) do too.
 * A period with a participant elsewhere stays the national admin's. Undefined when the actor manages none.
 */
async function ownEvaluationPeriods(svc: Services, actor: Actor): Promise<SQL | undefined> {
  const ids = (await agenciesInScope(svc, actor, 'manage_evaluation')).map((a) => a.id);
  if (!ids.length) return undefined;
  const inScope = (column: SQL) =>
    sql`${column} in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`;
  const participants = sql`from evaluation_participants p join evaluation_groups g on g.id = p.group_id
    where g.period_id = ${adminAuditLog.targetId}`;
  return and(
    eq(adminAuditLog.targetType, 'evaluation_period'),
    sql`exists (select 1 ${participants})`,
    sql`not exists (select 1 ${participants} and not ${inScope(sql`p.agency_id`)})`,
    sql`not exists (select 1 from jsonb_array_elements_text(
      case when jsonb_typeof(${adminAuditLog.details} -> 'participants') = 'array'
        then ${adminAuditLog.details} -> 'participants' else '[]'::jsonb end) as x(agency_id)
      where not ${inScope(sql`x.agency_id`)})`,
  );
}

/**
 * Entries that also name one of `ids` among their `details.grantAgencies`: a queue download over reports of several
 * of the exporter's grants (commands/record-queue-export.ts), which each of those grants' readers may read.
 */
function grantAgenciesAmong(ids: readonly string[]): SQL {
  return sql`exists (select 1 from jsonb_array_elements_text(
    case when jsonb_typeof(${adminAuditLog.details} -> 'grantAgencies') = 'array'
      then ${adminAuditLog.details} -> 'grantAgencies' else '[]'::jsonb end) as g(agency_id)
    where g.agency_id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}))`;
}

/** One page of the administration log the actor may read (403 for anyone else). */
export async function adminAuditLogPage(
  svc: Services,
  actor: Actor,
  filter: AuditLogFilter,
): Promise<AuditLogPage> {
  if (!mayReadAdminLog(actor)) throw new AppError('FORBIDDEN');
  const national = actor.grants.some((g) => g.role === 'national_admin');
  const scoped = (await agenciesInScope(svc, actor)).filter((a) => national || a.manageable);
  const conds: SQL[] = [];
  if (!national) {
    const ids = scoped.map((a) => a.id);
    // Holiday and SLA rule entries have no agency: a coordinator sees those whose region (details.regionCode) lies in
    // its own; so too the downloads of a statistics table of a region in its own.
    const regions = [
      ...new Set(
        actor.grants.flatMap((g) => (g.role === 'coordinator' && g.regionCode ? [g.regionCode] : [])),
      ),
    ];
    const region = sql`(${adminAuditLog.details} ->> 'regionCode')`;
    const regional = regions.length
      ? and(
          inArray(adminAuditLog.targetType, ['holiday', 'sla_rule', 'stats']),
          or(...regions.map((r) => sql`(${region} = ${r} or starts_with(${region}, ${`${r}.`}))`)),
        )
      : undefined;
    const agencyScope = ids.length
      ? or(inArray(adminAuditLog.agencyId, ids), grantAgenciesAmong(ids))
      : undefined;
    conds.push(or(agencyScope, regional, await ownEvaluationPeriods(svc, actor)) ?? sql`false`);
  }
  if (filter.group) conds.push(like(adminAuditLog.action, `${filter.group}.%`));
  if (filter.agencyId)
    conds.push(or(eq(adminAuditLog.agencyId, filter.agencyId), grantAgenciesAmong([filter.agencyId]))!);
  const where = conds.length ? and(...conds) : undefined;

  const [{ n } = { n: 0 }] = await svc.db.select({ n: count() }).from(adminAuditLog).where(where);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(filter.page, pages);

  const actorUser = alias(users, 'actor_user');
  const targetUser = alias(users, 'target_user');
  const targetAgency = alias(agencies, 'target_agency');
  const rows = await svc.db
    .select({
      id: adminAuditLog.id,
      at: adminAuditLog.createdAt,
      actorUserId: adminAuditLog.actorUserId,
      actorName: actorUser.name,
      actorLabel: adminAuditLog.actorLabel,
      action: adminAuditLog.action,
      targetType: adminAuditLog.targetType,
      targetId: adminAuditLog.targetId,
      targetUserName: targetUser.name,
      targetAgencyName: targetAgency.name,
      targetCategoryName: categories.name,
      targetInviteeName: staffInvitations.name,
      agencyId: adminAuditLog.agencyId,
      agencyName: agencies.name,
      details: adminAuditLog.details,
    })
    .from(adminAuditLog)
    .leftJoin(actorUser, eq(actorUser.id, adminAuditLog.actorUserId))
    .leftJoin(
      targetUser,
      and(eq(adminAuditLog.targetType, 'user'), sql`${targetUser.id}::text = ${adminAuditLog.targetId}`),
    )
    .leftJoin(
      targetAgency,
      and(eq(adminAuditLog.targetType, 'agency'), eq(targetAgency.id, adminAuditLog.targetId)),
    )
    .leftJoin(
      categories,
      and(eq(adminAuditLog.targetType, 'category'), sql`${categories.id}::text = ${adminAuditLog.targetId}`),
    )
    .leftJoin(
      staffInvitations,
      and(
        eq(adminAuditLog.targetType, 'invitation'),
        sql`${staffInvitations.id}::text = ${adminAuditLog.targetId}`,
      ),
    )
    .leftJoin(agencies, eq(agencies.id, adminAuditLog.agencyId))
    .where(where)
    .orderBy(desc(adminAuditLog.createdAt), desc(adminAuditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE);

  const items: AuditLogRow[] = rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorUserId: r.actorUserId,
    actorName: r.actorName,
    actorLabel: r.actorLabel,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    targetName: r.targetUserName ?? r.targetAgencyName ?? r.targetCategoryName ?? r.targetInviteeName ?? null,
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    details: (r.details ?? {}) as Record<string, unknown>,
  }));
  return {
    items,
    total,
    page,
    pageSize: AUDIT_PAGE_SIZE,
    agencies: scoped.map((a) => ({ id: a.id, name: a.name })),
    names: await auditLogNames(svc.db, items),
  };
}
