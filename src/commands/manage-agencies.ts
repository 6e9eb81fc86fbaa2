/**
 * Keeping the agency tree current from the admin screens and the CLI: add an agency (the national admin: a
 * top-level one of any kind, or a child of any kind anywhere; other managers: a perangkat daerah or unit below an
 * agency they manage), rename one, mark it as its region's coordinator (national admin), deactivate or reactivate
 * it. Authorised with `canStaff('manage_agencies')` on the agency's scope (national admin everywhere, coordinator in
 * its region, agency admin in its subtree), except that an `ombudsman` agency and everything below it is managed by
 * the national admin only (Ombudsman RI is independent of the pemda whose coordinator covers its region), and a
 * `kementerian`/`lembaga` branch (instansi vertikal, e.g. a ministry's Kantor Wilayah) by the national admin and the
 * ministry's own admins, not by the coordinator of the region it sits in. The national admin, and whoever manages
 * an agency, may also correct its region and time zone (`setAgencyRegion`).
 * Ids are stable slugs: renaming never changes the id or path, so reports and grants keep pointing at it.
 */
import { and, eq, inArray, isNull, like, ne, or, sql } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { agencies, reports, roleGrants } from '../db/schema.ts';
import { branchKinds, childPath, findAgency, pathIds, type AgencyRow } from '../db/repositories/agencies.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { AGENCY_KINDS, OPEN_STATUSES, TIME_ZONES, type ZoneName } from '../domain/report/report.ts';
import { regionCovers, zoneForRegion } from '../domain/deadline/calendar.ts';
import { canStaff, type Actor } from '../policies/can.ts';
import { canManageAgencyBranch } from '../policies/agency-branch.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../app/errors.ts';
import { collectIssues, requireRegion } from './lookups.ts';
import { checkSmsKeyword } from './set-sms-keyword.ts';
import { releaseWebhooksOfReactivatedAgency } from './release-held-webhooks.ts';

/** Kinds an agency admin or coordinator may add under an existing agency. */
export const CHILD_AGENCY_KINDS = ['perangkat_daerah', 'unit'] as const;

/** Longest generated or given agency id. */
export const AGENCY_ID_MAX = 70;
const AGENCY_ID_FORMAT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SHORT_NAME_MAX = 60;

/** A new agency. Region, zone and the coordinator flag are the national admin's to set. */
export interface AddAgencyInput {
  /** The parent; empty or null for a top-level agency (national admin only). */
  parentId?: string | null | undefined;
  name: string;
  shortName?: string | undefined;
  kind: string;
  /** Explicit id (import); generated from the parent id and the name when absent. */
  id?: string | undefined;
  /** Kemendagri code; default the parent's. Required for a provincial or kab/kota government. */
  regionCode?: string | undefined;
  /** WIB, WITA or WIT; default derived from the region (else the parent's, else WIB). */
  zone?: string | undefined;
  isCoordinator?: boolean | undefined;
  smsKeyword?: string | undefined;
}

/** The national admin (a grant that reaches the national scope). */
export function isNationalAdmin(actor: Actor): boolean {
  return canStaff(actor, 'manage_agencies');
}

/**
 * Whether the actor may manage this agency (and so everything below it). `branchKinds` are the kinds of the
 * agency and its ancestors (`branchKinds()`). An Ombudsman office, or anything below one, is the national admin's
 * alone; a kementerian/lembaga branch (instansi vertikal) is the national admin's and its own admins', never the
 * region's coordinator's (`policies/agency-branch.ts`).
 */
export function canManageAgency(
  actor: Actor,
  agency: Pick<AgencyRow, 'id' | 'path' | 'regionCode'>,
  branchKinds: readonly string[],
): boolean {
  return canManageAgencyBranch(actor, agency, pathIds(agency), branchKinds);
}

/**
 * Checks a region code given for an agency of `kind` below a parent in `parentRegion`: a known Kemendagri code, of the
 * level a province or kab/kota government needs, inside the parent's region. Records the problem under `regionCode`;
 * true when the code is known (the caller keeps it, so the form shows it back).
 */
async function checkGivenRegion(
  db: AppDb | Tx,
  issues: Record<string, FieldIssue>,
  kind: string,
  given: string,
  parentRegion: string | null | undefined,
): Promise<boolean> {
  const region = await collectIssues(issues, () => requireRegion(db, given, 'regionCode'));
  if (!region) return false;
  if (kind === 'pemerintah_provinsi' && region.level !== 1)
    issues.regionCode = { key: 'region_level_province' };
  else if (kind === 'pemerintah_kabupaten_kota' && region.level !== 2)
    issues.regionCode = { key: 'region_level_kabkota' };
  else if (parentRegion && !regionCovers(parentRegion, given))
    issues.regionCode = { key: 'region_outside_parent', params: { region: parentRegion } };
  return true;
}

/** An agency's zone: the given override, else its region's province's, else the parent's, else WIB. */
function resolveZone(
  issues: Record<string, FieldIssue>,
  given: string | undefined,
  regionCode: string | null,
  parentZone: string | null | undefined,
): ZoneName {
  const override = given?.trim().toUpperCase() ?? '';
  if (override && Object.hasOwn(TIME_ZONES, override)) return override as ZoneName;
  if (override) issues.zone = { key: 'one_of', params: { options: Object.keys(TIME_ZONES).join(', ') } };
  return regionCode ? zoneForRegion(regionCode) : ((parentZone as ZoneName | null | undefined) ?? 'WIB');
}

/** Kinds of the agency and every ancestor (the repository's, re-exported for the commands that import it here). */
export { branchKinds };

/** Whether the actor may manage the agency with this id (false when it does not exist). */
export async function mayManageAgency(svc: Services, actor: Actor, id: string): Promise<boolean> {
  const agency = await findAgency(svc.db, id);
  return !!agency && canManageAgency(actor, agency, await branchKinds(svc.db, agency));
}

/** Cuts a slug to at most `max` characters at a word (hyphen) boundary; never ends with a hyphen. */
export function cutAtWord(slug: string, max: number): string {
  if (slug.length <= max) return slug.replace(/-+$/, '');
  const head = slug.slice(0, max + 1);
  const i = head.lastIndexOf('-');
  return (i > 0 ? head.slice(0, i) : slug.slice(0, max)).replace(/-+$/, '');
}

/** `Dinas Perhubungan` → `dinas-perhubungan` (ASCII, at most `max` characters, cut between words). */
export function slugify(name: string, max = 40): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cutAtWord(slug, max) || 'unit';
}

/**
 * The id of a new agency before uniqueness: `<parent id>-<name slug>` (the parent's id cut to 40 characters), or the
 * name's slug for a top-level agency; at most 70 characters, cut between words.
 */
export function agencyIdBase(parentId: string | null | undefined, name: string): string {
  return parentId
    ? cutAtWord(`${cutAtWord(parentId, 40)}-${slugify(name)}`, AGENCY_ID_MAX)
    : slugify(name, AGENCY_ID_MAX);
}

/** The first free id from `base`: `base`, then `base-2`, `base-3`, … (each at most 70 characters). */
export async function freeAgencyId(base: string, taken: (id: string) => Promise<boolean>): Promise<string> {
  if (!(await taken(base))) return base;
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const id = `${cutAtWord(base, AGENCY_ID_MAX - suffix.length)}${suffix}`;
    if (!(await taken(id))) return id;
  }
}

function checkName(name: string, field = 'name'): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (n.length < 3) throw invalid({ [field]: { key: 'too_short', params: { min: 3 } } });
  if (n.length > 200) throw invalid({ [field]: { key: 'too_long', params: { max: 200 } } });
  return n;
}

function checkShortName(shortName: string | undefined, field = 'shortName'): string | null {
  const s = shortName?.trim().replace(/\s+/g, ' ') ?? '';
  if (s.length > SHORT_NAME_MAX)
    throw invalid({ [field]: { key: 'too_long', params: { max: SHORT_NAME_MAX } } });
  return s || null;
}

/** An agency as the checks see it: stored, or (during an import) defined by an earlier row. */
export type AgencyNode = Pick<
  AgencyRow,
  'id' | 'name' | 'kind' | 'parentId' | 'path' | 'regionCode' | 'zone' | 'active'
>;

/** Where the checks of a new agency look things up: the database, or the database plus an import's earlier rows. */
export interface AgencyResolver {
  agency(id: string): Promise<AgencyNode | null>;
  /** Another agency with this name (case-insensitive) under the same parent (null: top level). */
  nameTaken(parentId: string | null, name: string, exceptId?: string): Promise<boolean>;
  /** The id of the agency with this name (case-insensitive) under the parent, or null. */
  named?(parentId: string | null, name: string): Promise<string | null>;
  /** The agency that owns this SMS keyword, or null. */
  keywordOwner(word: string): Promise<string | null>;
}

/** Looks agencies up in the database. */
export function dbResolver(db: AppDb | Tx): AgencyResolver {
  const named = async (parentId: string | null, name: string, exceptId?: string) => {
    const [row] = await db
      .select({ id: agencies.id })
      .from(agencies)
      .where(
        and(
          parentId === null ? isNull(agencies.parentId) : eq(agencies.parentId, parentId),
          sql`lower(${agencies.name}) = ${name.toLowerCase()}`,
          exceptId ? ne(agencies.id, exceptId) : undefined,
        ),
      )
      .limit(1);
    return row?.id ?? null;
  };
  return {
    agency: (id) => findAgency(db, id),
    nameTaken: async (parentId, name, exceptId) => (await named(parentId, name, exceptId)) !== null,
    named,
    async keywordOwner(word) {
      const [row] = await db
        .select({ id: agencies.id })
        .from(agencies)
        .where(eq(agencies.smsKeyword, word))
        .limit(1);
      return row?.id ?? null;
    },
  };
}

/** A checked new agency, ready to insert. */
export type NewAgencyRow = typeof agencies.$inferInsert & { id: string; path: string; zone: ZoneName };

async function kindsOnPath(r: AgencyResolver, node: AgencyNode): Promise<string[]> {
  const out: string[] = [];
  for (const id of pathIds(node)) {
    const a = await r.agency(id);
    if (a) out.push(a.kind);
  }
  return out;
}

/** Normalises an SMS keyword and checks that nobody else holds it; issues on `field`. */
export async function checkKeyword(
  r: AgencyResolver,
  raw: string,
  ownId: string | null,
  field = 'smsKeyword',
): Promise<string> {
  let word: string;
  try {
    word = checkSmsKeyword(raw);
  } catch (e) {
    if (e instanceof AppError && e.fields.keyword) throw invalid({ [field]: e.fields.keyword });
    throw e;
  }
  const owner = await r.keywordOwner(word);
  if (owner && owner !== ownId)
    throw invalid({ [field]: { key: 'sms_keyword_taken', params: { agency: owner } } });
  return word;
}

/**
 * Checks a new agency against the rules and returns the row to insert, or every field issue found. Throws FORBIDDEN
 * when the actor may not add it at all (a top-level agency, or a child below an agency it does not manage).
 */
export async function checkNewAgency(
  db: AppDb | Tx,
  r: AgencyResolver,
  actor: Actor,
  input: AddAgencyInput,
  now: Date,
): Promise<{ row?: NewAgencyRow; issues: Record<string, FieldIssue> }> {
  const national = isNationalAdmin(actor);
  const issues: Record<string, FieldIssue> = {};
  const parentId = input.parentId?.trim() || null;
  if (!parentId && !national) throw new AppError('FORBIDDEN');
  const nationalOnly =
    !!input.regionCode?.trim() || !!input.zone?.trim() || input.isCoordinator === true || !!input.id;
  if (nationalOnly && !national) throw new AppError('FORBIDDEN');

  const name = await collectIssues(issues, () => checkName(input.name));
  const shortName = await collectIssues(issues, () => checkShortName(input.shortName));
  const kinds: readonly string[] = national ? AGENCY_KINDS : CHILD_AGENCY_KINDS;
  if (!kinds.includes(input.kind)) issues.kind = { key: 'one_of', params: { options: kinds.join(', ') } };

  let parent: AgencyNode | null = null;
  if (parentId) {
    parent = await r.agency(parentId);
    if (!parent || !parent.active) issues.parentId = { key: 'agency_unknown' };
    else if (!canManageAgency(actor, parent, await kindsOnPath(r, parent))) throw new AppError('FORBIDDEN');
  }

  // Region: the national admin's choice (checked against the bundled Kemendagri list), else the parent's.
  let regionCode = parent?.regionCode ?? null;
  const givenRegion = input.regionCode?.trim() ?? '';
  if (givenRegion) {
    if (await checkGivenRegion(db, issues, input.kind, givenRegion, parent?.regionCode))
      regionCode = givenRegion;
  } else if (
    (input.kind === 'pemerintah_provinsi' || input.kind === 'pemerintah_kabupaten_kota') &&
    !parent?.regionCode
  )
    issues.regionCode = { key: 'required' };

  const zone = resolveZone(issues, input.zone, regionCode, parent?.zone);

  if (name && !issues.parentId && (await r.nameTaken(parentId, name)))
    issues.name = { key: 'agency_name_taken' };

  let id = input.id?.trim() ?? '';
  if (id) {
    if (id.length > AGENCY_ID_MAX || !AGENCY_ID_FORMAT.test(id))
      issues.id = { key: 'agency_id_format', params: { max: AGENCY_ID_MAX } };
    else if (await r.agency(id)) issues.id = { key: 'agency_id_taken' };
  }

  const smsKeyword = input.smsKeyword?.trim()
    ? await collectIssues(issues, () => checkKeyword(r, input.smsKeyword!, null))
    : null;

  if (Object.keys(issues).length > 0 || !name) return { issues };
  if (!id) id = await freeAgencyId(agencyIdBase(parentId, name), async (x) => !!(await r.agency(x)));
  return {
    issues,
    row: {
      id,
      name,
      shortName: shortName ?? null,
      kind: input.kind,
      parentId,
      path: childPath(parent, id),
      regionCode,
      zone,
      isCoordinator: input.isCoordinator === true,
      smsKeyword: smsKeyword ?? null,
      createdAt: now,
    },
  };
}

/** Adds an agency and returns its id (rules: `checkNewAgency`). */
export async function addAgency(svc: Services, caller: Caller, input: AddAgencyInput): Promise<string> {
  return svc.db.transaction(async (tx) => {
    const { row, issues } = await checkNewAgency(tx, dbResolver(tx), caller.actor, input, svc.now());
    if (!row) throw invalid(issues);
    await tx.insert(agencies).values(row);
    await recordAdminAction(tx, caller, {
      action: 'agency.create',
      targetType: 'agency',
      targetId: row.id,
      agencyId: row.id,
      details: {
        name: row.name,
        kind: row.kind,
        parentId: row.parentId,
        regionCode: row.regionCode,
        zone: row.zone,
        isCoordinator: row.isCoordinator,
      },
      at: svc.now(),
    });
    return row.id;
  });
}

async function managed(svc: Services, caller: Caller, id: string): Promise<AgencyRow> {
  const agency = await findAgency(svc.db, id);
  if (!agency) throw new AppError('NOT_FOUND');
  if (!canManageAgency(caller.actor, agency, await branchKinds(svc.db, agency)))
    throw new AppError('FORBIDDEN');
  return agency;
}

/** Renames an agency (name and short name); refuses the name of a sibling. */
export async function renameAgency(
  svc: Services,
  caller: Caller,
  id: string,
  input: { name: string; shortName?: string | undefined },
): Promise<void> {
  const issues: Record<string, FieldIssue> = {};
  const name = await collectIssues(issues, () => checkName(input.name));
  const shortName = await collectIssues(issues, () => checkShortName(input.shortName));
  const agency = await managed(svc, caller, id);
  if (name && (await dbResolver(svc.db).nameTaken(agency.parentId, name, id)))
    issues.name = { key: 'agency_name_taken' };
  if (Object.keys(issues).length > 0 || !name) throw invalid(issues);
  if (name === agency.name && (shortName ?? null) === agency.shortName) return; // nothing changes
  await svc.db.transaction(async (tx) => {
    await tx
      .update(agencies)
      .set({ name, shortName: shortName ?? null })
      .where(eq(agencies.id, id));
    await recordAdminAction(tx, caller, {
      action: 'agency.rename',
      targetType: 'agency',
      targetId: id,
      agencyId: id,
      details: {
        from: { name: agency.name, shortName: agency.shortName },
        to: { name, shortName: shortName ?? null },
      },
      at: svc.now(),
    });
  });
}

/** What `setAgencyRegion` changed (for the admin log). */
export interface RegionChange {
  from: { regionCode: string | null; zone: string };
  to: { regionCode: string | null; zone: ZoneName };
}

/**
 * Corrects an agency's region and time zone after creation, with the checks of a new agency:
 * - the region is a known Kemendagri code (`region_unknown`), of the level a provincial or kab/kota government needs
 *   (`region_level_*`), within the parent's region (`region_outside_parent`), and covering the regions of the
 *   agencies below it (`region_children_outside`: change those first); empty means none (a national agency), which
 *   a pemda or an agency whose parent has a region cannot have (`required`);
 * - the zone is WIB, WITA or WIT, or empty for the region's own (without a region: the parent's, else WIB; as when
 *   creating);
 * - whoever is not the national admin must still manage the agency afterwards (a coordinator cannot move it out of
 *   its region: `region_outside_scope`), and may not move an agency in or below which coordinator roles are held (a
 *   coordinator's region is its agency's, so that would move whole coordinators: `region_coordinator_agency`).
 * Only the agency's own fields change: reports keep their own region (the location reported), and deadlines already
 * set keep their due time; reminders, regional holidays and deadlines set from then on follow the new region and zone.
 */
export async function setAgencyRegion(
  svc: Services,
  caller: Caller,
  id: string,
  input: { regionCode?: string | undefined; zone?: string | undefined },
): Promise<RegionChange> {
  const actor = caller.actor;
  const agency = await managed(svc, caller, id);
  const national = isNationalAdmin(actor);
  const issues: Record<string, FieldIssue> = {};
  const parent = agency.parentId ? await findAgency(svc.db, agency.parentId) : null;

  const given = input.regionCode?.trim() ?? '';
  let regionCode: string | null = null;
  if (given) {
    if (await checkGivenRegion(svc.db, issues, agency.kind, given, parent?.regionCode)) regionCode = given;
  } else if (
    agency.kind === 'pemerintah_provinsi' ||
    agency.kind === 'pemerintah_kabupaten_kota' ||
    parent?.regionCode
  )
    issues.regionCode = { key: 'required' };

  const zone = resolveZone(issues, input.zone, regionCode, parent?.zone);

  const moved = regionCode !== agency.regionCode;
  if (moved && !issues.regionCode) {
    if (!national) {
      const kinds = await branchKinds(svc.db, agency);
      const [coordinators] = await svc.db
        .select({ n: sql<number>`count(*)::int` })
        .from(roleGrants)
        .innerJoin(agencies, eq(agencies.id, roleGrants.agencyId))
        .where(and(like(agencies.path, `${agency.path}%`), eq(roleGrants.role, 'coordinator')));
      if (Number(coordinators?.n ?? 0) > 0) issues.regionCode = { key: 'region_coordinator_agency' };
      else if (!canManageAgency(actor, { ...agency, regionCode }, kinds))
        issues.regionCode = { key: 'region_outside_scope' };
    }
    if (!issues.regionCode) {
      const below = await svc.db
        .select({ regionCode: agencies.regionCode })
        .from(agencies)
        .where(and(like(agencies.path, `${agency.path}%`), ne(agencies.id, id)));
      const outside = regionCode
        ? below.filter((b) => b.regionCode && !regionCovers(regionCode, b.regionCode)).length
        : 0;
      if (outside > 0) issues.regionCode = { key: 'region_children_outside', params: { count: outside } };
    }
  }
  if (Object.keys(issues).length > 0) throw invalid(issues);
  const change: RegionChange = {
    from: { regionCode: agency.regionCode, zone: agency.zone },
    to: { regionCode, zone },
  };
  await svc.db.transaction(async (tx) => {
    await tx.update(agencies).set({ regionCode, zone }).where(eq(agencies.id, id));
    await recordAdminAction(tx, caller, {
      action: 'agency.region',
      targetType: 'agency',
      targetId: id,
      agencyId: id,
      details: { name: agency.name, ...change },
      at: svc.now(),
    });
  });
  return change;
}

/**
 * Marks (or unmarks) an agency as the complaint coordinator of its region (`is_coordinator`: new-report
 * notifications and the sweeper's reminders go to coordinators whose grant sits on such an agency). National admin only.
 */
export async function setAgencyCoordinator(
  svc: Services,
  caller: Caller,
  id: string,
  isCoordinator: boolean,
): Promise<void> {
  if (!isNationalAdmin(caller.actor)) throw new AppError('FORBIDDEN');
  const agency = await managed(svc, caller, id);
  if (agency.isCoordinator === isCoordinator) return; // nothing changes, nothing to record
  await svc.db.transaction(async (tx) => {
    await tx.update(agencies).set({ isCoordinator }).where(eq(agencies.id, id));
    await recordAdminAction(tx, caller, {
      action: 'agency.coordinator',
      targetType: 'agency',
      targetId: id,
      agencyId: id,
      details: { name: agency.name, from: agency.isCoordinator, to: isCoordinator },
      at: svc.now(),
    });
  });
}

/** How many staff roles are held in the agency itself (not below it). */
export async function staffRoleCount(db: AppDb | Tx, agencyId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(roleGrants)
    .where(and(eq(roleGrants.agencyId, agencyId), ne(roleGrants.role, 'citizen')));
  return Number(row?.n ?? 0);
}

/**
 * Why the agency cannot be deactivated now, or null: the first of these rules it breaks. An agency still handling
 * open reports, or with active children, cannot be deactivated; nobody may deactivate the agency their own grant
 * is held in (that would lock them out of managing it). When people still hold roles there, deactivation needs
 * `confirmStaff` (the admin has seen who they are and chosen to keep or revoke their roles). `children: false`
 * leaves out the children rule, for a caller that checks it against its own end state (an import deactivating a
 * branch in one file).
 */
export async function deactivationIssue(
  db: AppDb | Tx,
  actor: Actor,
  agency: Pick<AgencyRow, 'id' | 'path'>,
  opts: { confirmStaff?: boolean; children?: boolean } = {},
): Promise<Record<string, FieldIssue> | null> {
  const id = agency.id;
  if (actor.grants.some((g) => g.agencyId === id && g.role !== 'national_admin'))
    return { agency: { key: 'agency_own_grant' } };
  if (opts.children !== false) {
    const [child] = await db
      .select({ id: agencies.id })
      .from(agencies)
      .where(and(like(agencies.path, `${agency.path}%`), ne(agencies.id, id), eq(agencies.active, true)))
      .limit(1);
    if (child) return { agency: { key: 'agency_has_children' } };
  }
  const [open] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(
      and(
        // Handled there, or addressed to it and still waiting for verification (target agency).
        or(eq(reports.agencyId, id), eq(reports.targetAgencyId, id)),
        inArray(reports.status, [...OPEN_STATUSES]),
      ),
    )
    .limit(1);
  if (open) return { agency: { key: 'agency_has_reports' } };
  const staff = await staffRoleCount(db, id);
  if (staff > 0 && !opts.confirmStaff)
    return { confirmStaff: { key: 'agency_has_staff', params: { count: staff } } };
  return null;
}

/** Deactivates (hides from pickers and dispositions) or reactivates an agency; see `deactivationIssue`. */
export async function setAgencyActive(
  svc: Services,
  caller: Caller,
  id: string,
  active: boolean,
  opts: { confirmStaff?: boolean } = {},
): Promise<void> {
  const agency = await managed(svc, caller, id);
  if (!active) {
    const issue = await deactivationIssue(svc.db, caller.actor, agency, opts);
    if (issue) throw invalid(issue);
  }
  if (agency.active === active) return; // nothing changes, nothing to record
  await svc.db.transaction(async (tx) => {
    await tx.update(agencies).set({ active }).where(eq(agencies.id, id));
    // Its webhook deliveries held while it was deactivated go now (docs/integrations.md).
    if (active) await releaseWebhooksOfReactivatedAgency(tx, id, svc.now(), svc.webhookHoldDays);
    await recordAdminAction(tx, caller, {
      action: 'agency.status',
      targetType: 'agency',
      targetId: id,
      agencyId: id,
      details: { name: agency.name, from: agency.active, to: active },
      at: svc.now(),
    });
  });
}
