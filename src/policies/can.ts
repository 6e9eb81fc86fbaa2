/**
 * Pure authorization: who may do what to a report, and which staff-wide permissions a person holds.
 *
 * `can()` answers only "who". Whether an action is legal in the report's current status (accept only
 * when `responded`, and so on) is the lifecycle's job (`domain/report/lifecycle.ts`), and conditions
 * that need data beyond the subject (the reporter's consent to an escalation, one support per person)
 * are checked by the command. Roles are granted per agency and inherited down the agency tree
 * (docs/architecture.md); privacy follows domain.md §3: *anonim* hides who reported from the agency
 * and the public, *rahasia* hides the whole report from the public.
 */
import { ACTIONS, PUBLIC_STATUSES, STATUSES, type ReportStatus, type Role } from '../domain/report/report.ts';
import { allowedActions as lifecycleActions } from '../domain/report/lifecycle.ts';

/** One role held by a person, scoped to an agency (and that agency's region). */
export interface RoleGrant {
  role: Role;
  /** The agency the role is held in; roles apply to this agency and every unit below it. */
  agencyId: string | null;
  /** Kemendagri region code of the granted agency, e.g. `'64'` (a province) or `'64.71'` (a city). */
  regionCode: string | null;
  /**
   * Optional: agency ids from the root down to `agencyId` (inclusive). Only used by `relationOf` to
   * tell a parent or sibling agency apart from an unrelated one; it never widens what `can()` allows.
   */
  agencyPath?: readonly string[];
  /**
   * The granted agency is an Ombudsman office (kind `ombudsman`) or a unit below one. Ombudsman RI is independent of
   * the governments it oversees: such a grant counts only as the `ombudsman` role (the hand-off path); any other role
   * held there (which the grant commands refuse, but a database may hold from before) gives nothing at all, neither
   * report rights nor staff permissions. Absent = no (actors built from the database set it: `actorFor`).
   */
  ombudsmanOffice?: boolean;
}

/** The person asking. An anonymous public visitor is `{ userId: null, grants: [] }`. */
export interface Actor {
  userId: string | null;
  grants: readonly RoleGrant[];
}

/** The facts about a report that authorization depends on. */
export interface ReportSubject {
  status: ReportStatus;
  /** Agency ids from the root down to the CURRENT handling agency/unit; `[]` if not dispatched. */
  agencyPath: readonly string[];
  /** Path of the agency the reporter chose (its verifier queue); `[]` if none. */
  targetAgencyPath: readonly string[];
  /** Kemendagri code of the report location. */
  regionCode: string | null;
  /** *Anonim*: the reporter's identity is hidden from agencies and the public. */
  anonymous: boolean;
  /** *Rahasia*: the report is hidden from the public. */
  confidential: boolean;
  /** The actor is this report's reporter (own account or a valid access key). */
  isReporter: boolean;
  /**
   * The reporter, when escalating to the Ombudsman, agreed that the Ombudsman may see who they are. Absent = no.
   */
  identitySharedWithOmbudsman?: boolean;
}

/** Every action `can()` decides, in a stable order (used by `permissionsFor` and the matrix test). */
export const POLICY_ACTIONS = [
  'view',
  'viewReporter',
  'viewInternal',
  'verify',
  'hold',
  'archive',
  'dispose',
  'return',
  'respond',
  'note',
  'accept',
  'dispute',
  'supplement',
  'escalate',
  'comment',
  'support',
  'setPrivacy',
] as const;

/**
 * What can be done to a report: the API actions plus the reading rights `view` (the report itself),
 * `viewReporter` (who reported: name and contact details), `viewInternal` (internal notes, routing
 * history) and `setPrivacy` (change the anonim/rahasia flags).
 */
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** How a grant's agency or region stands to a report; see `relationOf`. */
export type Relation =
  'own_agency' | 'child_unit' | 'parent_agency' | 'sibling_agency' | 'same_region' | 'other_region' | 'none';

/** Permissions that are not about one report, e.g. for the admin screens. */
export const STAFF_PERMISSIONS = [
  'manage_agencies',
  'manage_users',
  'manage_calendar',
  'manage_sla',
  'score_evaluation',
  'view_evaluation',
  'manage_evaluation',
  'manage_api_keys',
  'view_all_reports',
] as const;

/** A staff-wide permission checked by `canStaff`. */
export type StaffPermission = (typeof STAFF_PERMISSIONS)[number];

/**
 * What a staff permission is exercised on: an agency (`agencyId`, and its path from the root so
 * rights inherited from a parent agency are seen) and/or a region. Empty means national scope.
 */
export interface StaffScope {
  agencyId?: string | null;
  agencyPath?: readonly string[];
  regionCode?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Small named predicates (Outline's policies/utils.ts style).

/**
 * Whether region `scope` covers region `code`, on dot boundaries: `'64'` covers `'64'` and
 * `'64.71.02'`, but `'6'` does not cover `'64'` and `'64.7'` does not cover `'64.71'`.
 * Null or empty codes cover nothing and are covered by nothing.
 */
export function regionCovers(scope: string | null | undefined, code: string | null | undefined): boolean {
  if (!scope || !code) return false;
  return code === scope || code.startsWith(`${scope}.`);
}

/** The grant's agency is on the path (it is the agency itself or an ancestor of it). */
function pathContains(path: readonly string[] | undefined, agencyId: string | null): boolean {
  return agencyId !== null && path !== undefined && path.includes(agencyId);
}

/** Verified, and not *rahasia*: anyone may read it (domain.md §3, api-v1.md lists). */
function isPubliclyVisible(subject: ReportSubject): boolean {
  return PUBLIC_STATUSES.includes(subject.status) && !subject.confidential;
}

/** The report sits in a verifier's queue. */
function isAwaitingVerification(subject: ReportSubject): boolean {
  return subject.status === 'submitted' || subject.status === 'on_hold';
}

/** A coordinator (Diskominfo) whose region covers the report's location. */
function isCoordinatorInRegion(grant: RoleGrant, subject: ReportSubject): boolean {
  return grant.role === 'coordinator' && regionCovers(grant.regionCode, subject.regionCode);
}

/** Agency staff whose agency is the handling agency or one of its ancestors. */
function isAssignedAgencyStaff(grant: RoleGrant, subject: ReportSubject): boolean {
  return (
    (grant.role === 'agency_admin' || grant.role === 'officer') &&
    pathContains(subject.agencyPath, grant.agencyId)
  );
}

/** An agency admin whose agency is, or is above, the agency the reporter addressed. */
function isTargetAgencyAdmin(grant: RoleGrant, subject: ReportSubject): boolean {
  return grant.role === 'agency_admin' && pathContains(subject.targetAgencyPath, grant.agencyId);
}

/**
 * Ombudsman staff on a report handed over to the Ombudsman. A regional office (grant with a region)
 * sees only transfers from its region; a grant without a region (Ombudsman RI pusat) sees all.
 */
function isOmbudsmanOnTransferred(grant: RoleGrant, subject: ReportSubject): boolean {
  if (grant.role !== 'ombudsman' || subject.status !== 'transferred') return false;
  return grant.regionCode === null || regionCovers(grant.regionCode, subject.regionCode);
}

/**
 * Whether the actor reads this report as the Ombudsman office it was handed over to: the package's reader, who sees
 * what the package holds (the public timeline and the conversation with the reporter, never internal notes).
 */
export function receivesHandOff(actor: Actor, subject: ReportSubject): boolean {
  return actor.grants.some((g) => !isVoidOmbudsmanGrant(g) && isOmbudsmanOnTransferred(g, subject));
}

// ---------------------------------------------------------------------------------------------

/**
 * Classifies how a grant stands to a report, most specific first. Tree relations are measured
 * against the CURRENT handling agency (`agencyPath`), or the reporter's target agency
 * (`targetAgencyPath`) while the report is undispatched:
 * - `own_agency`: the grant's agency is the handling agency;
 * - `child_unit`: the report is handled by a unit below the grant's agency;
 * - `parent_agency`: the report is handled by an ancestor of the grant's agency;
 * - `sibling_agency`: the handling agency shares the grant agency's parent.
 * `parent_agency` and `sibling_agency` need the grant's own `agencyPath`; without it they cannot be
 * told from an unrelated agency and the region relations apply. Then `same_region` when the grant's
 * region covers the report's location, `other_region` when both regions are known and it does not,
 * else `none`. Descriptive only: `can()` gives nothing for `parent_agency` or `sibling_agency`,
 * and only coordinators and Ombudsman offices get anything from a region.
 */
export function relationOf(grant: RoleGrant, subject: ReportSubject): Relation {
  const path = subject.agencyPath.length > 0 ? subject.agencyPath : subject.targetAgencyPath;
  const handler = path.at(-1);
  if (grant.agencyId !== null && handler !== undefined) {
    if (handler === grant.agencyId) return 'own_agency';
    if (path.includes(grant.agencyId)) return 'child_unit';
    const own = grant.agencyPath;
    if (own !== undefined && own.at(-1) === grant.agencyId) {
      if (own.slice(0, -1).includes(handler)) return 'parent_agency';
      const parent = own.at(-2);
      if (parent !== undefined && path.at(-2) === parent) return 'sibling_agency';
    }
  }
  if (regionCovers(grant.regionCode, subject.regionCode)) return 'same_region';
  if (grant.regionCode && subject.regionCode) return 'other_region';
  return 'none';
}

const NATIONAL_ADMIN_ACTIONS: readonly PolicyAction[] = [
  'view',
  'viewReporter',
  'viewInternal',
  'verify',
  'hold',
  'archive',
  'setPrivacy',
  'dispose',
  'return',
  'respond',
  'note',
  'escalate',
];

/** Coordinators route and chase; following up (respond, dispose, return) is the agency's job. */
const COORDINATOR_ACTIONS: readonly PolicyAction[] = [
  'view',
  'viewReporter',
  'viewInternal',
  'verify',
  'hold',
  'archive',
  'setPrivacy',
  'note',
  'escalate',
];

const VERIFIER_ACTIONS: readonly PolicyAction[] = ['verify', 'hold', 'archive', 'setPrivacy'];
const AGENCY_ADMIN_HANDLING_ACTIONS: readonly PolicyAction[] = [
  'view',
  'viewInternal',
  'dispose',
  'return',
  'respond',
  'note',
];
const OFFICER_ACTIONS: readonly PolicyAction[] = ['view', 'viewInternal', 'respond', 'note'];
/**
 * An agency system's API token (docs/integrations.md) on reports handled in its agency's subtree: read
 * them, post follow-ups and return them. Never verify, dispose, see who reported, or any staff permission.
 */
const INTEGRATION_ACTIONS: readonly PolicyAction[] = ['view', 'viewInternal', 'respond', 'return', 'note'];
/**
 * The Ombudsman reads a transferred report as its hand-off package shows it (src/queries/handoff-package.ts): no
 * internal notes, which the agency writes for itself and which may name a reporter who did not share their identity,
 * and no notes of its own (the role is read-only; its case continues in SIMPeL).
 */
const OMBUDSMAN_ACTIONS: readonly PolicyAction[] = ['view'];
const REPORTER_ACTIONS: readonly PolicyAction[] = [
  'view',
  'viewReporter',
  'accept',
  'dispute',
  'supplement',
  'comment',
  'escalate',
];

/**
 * A grant that counts for nothing: a role other than `ombudsman` held on an Ombudsman office or below it (see
 * `RoleGrant.ombudsmanOffice`). Such a grant must never reach a report, its reporter or the staff screens.
 */
function isVoidOmbudsmanGrant(grant: RoleGrant): boolean {
  return grant.ombudsmanOffice === true && grant.role !== 'ombudsman';
}

/** What one grant allows on the subject, before the public and reporter rights are added. */
function grantActions(grant: RoleGrant, subject: ReportSubject): PolicyAction[] {
  const out: PolicyAction[] = [];
  if (isVoidOmbudsmanGrant(grant)) return out;
  // Anonim: identity never reaches the agency or the Ombudsman (domain.md §3; Perpres 76/2013).
  const identity: PolicyAction[] = subject.anonymous ? [] : ['viewReporter'];
  switch (grant.role) {
    case 'national_admin':
      out.push(...NATIONAL_ADMIN_ACTIONS);
      break;
    case 'coordinator':
      if (isCoordinatorInRegion(grant, subject)) out.push(...COORDINATOR_ACTIONS);
      break;
    case 'agency_admin':
      // Admin Instansi sees reports addressed to it directly (domain.md §2), in any status, and
      // verifies them while they wait in its queue.
      if (isTargetAgencyAdmin(grant, subject)) {
        out.push('view', 'viewInternal', 'note', ...identity);
        if (isAwaitingVerification(subject)) out.push(...VERIFIER_ACTIONS);
      }
      if (isAssignedAgencyStaff(grant, subject)) out.push(...AGENCY_ADMIN_HANDLING_ACTIONS, ...identity);
      break;
    case 'officer':
      if (isAssignedAgencyStaff(grant, subject)) out.push(...OFFICER_ACTIONS, ...identity);
      break;
    case 'ombudsman':
      // The identity only when the reporter agreed to share it at escalation, as the hand-off package does.
      if (isOmbudsmanOnTransferred(grant, subject))
        out.push(...OMBUDSMAN_ACTIONS, ...(subject.identitySharedWithOmbudsman ? identity : []));
      break;
    case 'integration':
      if (pathContains(subject.agencyPath, grant.agencyId)) out.push(...INTEGRATION_ACTIONS);
      break;
    case 'assessor':
    case 'citizen':
      break;
  }
  return out;
}

/** Every action the actor may take on the subject. */
function allowedActions(actor: Actor, subject: ReportSubject): Set<PolicyAction> {
  const allowed = new Set<PolicyAction>();
  for (const grant of actor.grants) {
    for (const action of grantActions(grant, subject)) allowed.add(action);
  }
  // The reporter follows their own report whatever its flags (own account or access key).
  if (subject.isReporter) {
    for (const action of REPORTER_ACTIONS) allowed.add(action);
  }
  // Anyone: read and support public reports; signed-in people may also comment.
  if (isPubliclyVisible(subject)) {
    allowed.add('view');
    allowed.add('support');
    if (actor.userId !== null) allowed.add('comment');
  }
  return allowed;
}

/**
 * Whether `actor` may perform `action` on the report described by `subject`: the union of what
 * each of the actor's grants allows, plus the reporter's rights, plus what anyone may do on a public
 * report. Pure; status legality and consent are checked elsewhere (see the module comment).
 */
export function can(actor: Actor, action: PolicyAction, subject: ReportSubject): boolean {
  return allowedActions(actor, subject).has(action);
}

/**
 * Every `PolicyAction` mapped to whether `actor` may take it: the serialized permission object a
 * presenter hands to templates so they show a control only when it is allowed.
 */
export function permissionsFor(actor: Actor, subject: ReportSubject): Record<PolicyAction, boolean> {
  const allowed = allowedActions(actor, subject);
  const out = {} as Record<PolicyAction, boolean>;
  for (const action of POLICY_ACTIONS) out[action] = allowed.has(action);
  return out;
}

/**
 * The permissions that can be used on a report in its current status: `permissionsFor` decides who may act, the
 * lifecycle decides what the status allows (a report action the status does not allow is switched off). Reading
 * rights (`view`, `viewReporter`, `viewInternal`) and `setPrivacy` do not depend on the status. Forms and the API's
 * `allowedActions` use this, so nothing is offered that would only answer 409; the commands still check both.
 */
export function permissionsNow(
  permissions: Record<PolicyAction, boolean>,
  status: ReportStatus | string,
): Record<PolicyAction, boolean> {
  const known = (STATUSES as readonly string[]).includes(status);
  const legal = new Set<string>(known ? lifecycleActions(status as ReportStatus) : []);
  const out = { ...permissions };
  for (const a of POLICY_ACTIONS)
    if ((ACTIONS as readonly string[]).includes(a) && !legal.has(a)) out[a] = false;
  return out;
}

/** Which roles hold each staff permission, and how each role's grant is scoped. */
const STAFF_ROLES: Record<StaffPermission, readonly Role[]> = {
  manage_agencies: ['national_admin', 'coordinator', 'agency_admin'],
  manage_users: ['national_admin', 'coordinator', 'agency_admin'],
  manage_calendar: ['national_admin', 'coordinator'],
  /** SLA rules: national ones the national admin's; regional ones (Pergub/Perwali) also the region's coordinator's. */
  manage_sla: ['national_admin', 'coordinator'],
  score_evaluation: ['national_admin', 'assessor'],
  view_evaluation: ['national_admin', 'assessor', 'coordinator', 'agency_admin'],
  /** Create, change and publish evaluation periods (coordinators: every participant in their region). */
  manage_evaluation: ['national_admin', 'coordinator'],
  manage_api_keys: ['national_admin', 'coordinator', 'agency_admin'],
  view_all_reports: ['national_admin', 'coordinator'],
};

/** Whether the grant's scope reaches the target scope. */
function grantReaches(grant: RoleGrant, scope: StaffScope): boolean {
  if (isVoidOmbudsmanGrant(grant)) return false;
  switch (grant.role) {
    case 'national_admin':
      return true;
    case 'coordinator':
      return regionCovers(grant.regionCode, scope.regionCode);
    case 'agency_admin':
      return (
        grant.agencyId !== null &&
        (scope.agencyId === grant.agencyId || pathContains(scope.agencyPath, grant.agencyId))
      );
    case 'assessor':
      // A national assessor (no region) evaluates everywhere; a regional one only in its region.
      return grant.regionCode === null || regionCovers(grant.regionCode, scope.regionCode);
    default:
      return false;
  }
}

/**
 * Whether `actor` holds a staff-wide permission over `scope`. National admins hold all of them
 * everywhere; coordinators within their region (agencies, users, regional holidays, API keys, the
 * evaluation and every report of the region); agency admins within their agency subtree (agencies,
 * users, API keys, evaluation); assessors score and view evaluations (nationally, or in their region).
 * An empty scope means national: only roles not limited to a region or agency reach it. Callers
 * that grant roles must still stop people from granting more than they hold.
 */
export function canStaff(actor: Actor, permission: StaffPermission, scope: StaffScope = {}): boolean {
  const roles = STAFF_ROLES[permission];
  return actor.grants.some((grant) => roles.includes(grant.role) && grantReaches(grant, scope));
}
