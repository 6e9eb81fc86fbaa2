/**
 * Whether anyone could act on a report dispatched to an agency: a report sent to an agency nobody works in waits
 * untouched while its follow-up clock runs (only the national admin could still rescue it). An agency is staffed
 * when it, or an agency above it, has (the handling rights of `can()` reach a report held by the grant's agency or a
 * unit below it; staff of a unit below cannot see the report until the agency passes it down, so they do not count)
 *
 * - a person with an `agency_admin` or `officer` grant,
 * - an agency API token (`api_keys` with scope `integration`, not revoked: docs/integrations.md), or
 * - an active, unpaused webhook (`agency_webhooks`), through which the agency's own system receives the reports.
 *
 * Coordinators, assessors and Ombudsman grants do not count: they cannot post a follow-up or return a report.
 * Inactive agencies are left out.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { agencies, agencyWebhooks, apiKeys, roleGrants, users } from '../db/schema.ts';

/** The active agencies that hold a handler themselves, with their paths. */
async function handlerPaths(db: AppDb | Tx): Promise<string[]> {
  const grants = db
    .selectDistinct({ agencyId: roleGrants.agencyId })
    .from(roleGrants)
    // A deactivated account handles nothing: an agency whose only staff are deactivated is unstaffed.
    .innerJoin(users, and(eq(users.id, roleGrants.userId), isNull(users.disabledAt)))
    .where(inArray(roleGrants.role, ['agency_admin', 'officer']));
  const tokens = db
    .selectDistinct({ agencyId: apiKeys.agencyId })
    .from(apiKeys)
    .where(and(isNull(apiKeys.revokedAt), sql`${apiKeys.scopes} @> '["integration"]'::jsonb`));
  const hooks = db
    .selectDistinct({ agencyId: agencyWebhooks.agencyId })
    .from(agencyWebhooks)
    .where(and(eq(agencyWebhooks.active, true), isNull(agencyWebhooks.pausedAt)));
  const [a, b, c] = await Promise.all([grants, tokens, hooks]);
  const ids = [...new Set([...a, ...b, ...c].map((r) => r.agencyId).filter((x): x is string => !!x))];
  if (ids.length === 0) return [];
  const rows = await db
    .select({ path: agencies.path })
    .from(agencies)
    .where(and(inArray(agencies.id, ids), eq(agencies.active, true)));
  return rows.map((r) => r.path);
}

const ids = (path: string) => path.split('/').filter(Boolean);

/**
 * A test for "is this agency staffed", given the agency's path: true when a handler sits on the agency or above it
 * (a handler's agency is on the agency's path).
 */
export async function staffedAgencyTest(db: AppDb | Tx): Promise<(agencyPath: string) => boolean> {
  const handlers = new Set((await handlerPaths(db)).map((p) => ids(p).at(-1)!));
  return (agencyPath) => ids(agencyPath).some((id) => handlers.has(id));
}
