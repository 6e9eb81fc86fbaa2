/**
 * What an anonim reporter's own account wrote as a citizen (a public comment before it claimed the report, filed
 * without that account) is the reporter's: every surface that reads timeline texts for a reader who may not see the
 * reporter (the JSON timeline and pages through `timelineFor`, Open311 `notes[]` and `servicerequestupdates`, agency
 * webhooks, the Ombudsman hand-off package) shows it as the reporter's and masks in it the reporter's sealed identity
 * and the account's own name and email, as the reporter's texts are masked when stored. The stored events never
 * change (they are hash-chained).
 */
import { eq } from 'drizzle-orm';
import { users } from '../db/schema.ts';
import type { Services } from '../app/context.ts';
import type { AppDb, Tx } from '../db/client.ts';
import { maskOwnIdentity, type OwnIdentity } from '../domain/report/own-identity.ts';

/** Roles a signed-in account acts under when it is not known as the report's reporter (a citizen's comment). */
export const CITIZEN_ROLES: ReadonlySet<string> = new Set(['citizen', 'public']);

/** The report columns the rule reads. */
export interface ReporterAccountReport {
  anonymous: boolean;
  reporterUserId: string | null;
  reporterEnc: string | null;
}

/**
 * Whether the event was written as a citizen by the account that is the report's reporter (`anyReport`: also on a
 * report that is not anonim, for readers from whom the identity is withheld all the same, the Ombudsman hand-off).
 */
export function byReporterAccount(
  report: ReporterAccountReport,
  event: { actorUserId: string | null; actorRole: string | null },
  anyReport = false,
): boolean {
  return (
    (report.anonymous || anyReport) &&
    !!report.reporterUserId &&
    event.actorUserId === report.reporterUserId &&
    CITIZEN_ROLES.has(event.actorRole ?? '')
  );
}

/** A text with the reporter's sealed identity and the reporter's account's name and email masked. */
export type ReporterTextMask = (text: string) => string;

/** The mask of one report's texts (reads the account, in `db` when inside a transaction, and opens the sealed identity once). */
export async function reporterTextMask(
  svc: Services,
  report: ReporterAccountReport,
  db: AppDb | Tx = svc.db,
): Promise<ReporterTextMask> {
  const [account] = report.reporterUserId
    ? await db
        .select({ name: users.name, email: users.email })
        .from(users)
        .where(eq(users.id, report.reporterUserId))
    : [];
  const sealed: OwnIdentity = report.reporterEnc ? svc.sealer.open<OwnIdentity>(report.reporterEnc) : {};
  return (text) => maskOwnIdentity(maskOwnIdentity(text, sealed), account ?? {});
}
