/**
 * visibleTo(actor): the SQL twin of `can(actor, 'view', report)`. Every list of reports is filtered by it, so
 * that a list never contains a report its reader could not open. Tests check the two agree.
 */
import { sql, type SQL } from 'drizzle-orm';
import { PUBLIC_STATUSES } from '../domain/report/report.ts';
import type { Actor } from '../policies/can.ts';

/** `a, b, c` as bound parameters, for `x in (…)`. */
export const inList = <T>(values: readonly T[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** The public read model: verified, non-confidential reports. Column names assume the alias `r`. */
export const PUBLIC_REPORT = sql`(r.status in (${inList(PUBLIC_STATUSES)}) and not r.confidential)`;

/** Region code `code` lies inside `scope` (dot boundaries). */
/** Reports (alias `r`) located in `scope` or below it. */
export const inRegion = (scope: string) =>
  sql`(r.region_code = ${scope} or r.region_code like ${`${scope}.%`})`;

/** No account and no grants: the public (a visitor, the JSON API without a token); sees `PUBLIC_REPORT` only. */
export function isPublicActor(actor: Actor): boolean {
  return actor.userId === null && actor.grants.length === 0;
}

/**
 * A SQL condition over `reports r` left-joined to `agencies a` (current agency) and `agencies t` (target)
 * that is true exactly for the reports the actor may view (reporter access by key is handled per report).
 */
export function visibleTo(actor: Actor): SQL {
  if (isPublicActor(actor)) return PUBLIC_REPORT;
  // An agency API token lists only its subtree, not the public feed (docs/integrations.md).
  const tokenOnly = actor.grants.length > 0 && actor.grants.every((g) => g.role === 'integration');
  const parts: SQL[] = tokenOnly ? [] : [PUBLIC_REPORT];
  if (actor.userId) parts.push(sql`r.reporter_user_id = ${actor.userId}`);
  for (const g of actor.grants) {
    switch (g.role) {
      case 'national_admin':
        return sql`true`;
      case 'coordinator':
        if (g.regionCode) parts.push(inRegion(g.regionCode));
        break;
      case 'agency_admin':
        if (g.agencyId) {
          parts.push(sql`(a.path like ${`%/${g.agencyId}/%`} or t.path like ${`%/${g.agencyId}/%`})`);
        }
        break;
      case 'officer':
      case 'integration':
        if (g.agencyId) parts.push(sql`a.path like ${`%/${g.agencyId}/%`}`);
        break;
      case 'ombudsman':
        parts.push(
          g.regionCode
            ? sql`(r.status = 'transferred' and ${inRegion(g.regionCode)})`
            : sql`r.status = 'transferred'`,
        );
        break;
      default:
        break;
    }
  }
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}
