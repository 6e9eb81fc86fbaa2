/**
 * The bukan-wewenang returns of one report, for the verifier: the latest return shown on top of the verification
 * panel, and the agencies that already returned the report (marked in the suggestions; dispatching to one of them
 * again needs an explicit confirmation in `verifyReport`, so a report does not ping-pong between a verifier and an
 * agency that refused it).
 *
 * A return is attributed to the agency the report had been dispatched to (the `verify` event before it, the label
 * the routing model learns the negative from; `data.fromAgencyId`, the unit holding it, when no verify is found). A
 * dispatch pulled back by a verifier or by the manager of an auto-dispatch rule (`data.pullBack`) is listed, but the
 * agency did not refuse it, so it does not count as that agency's return.
 */
import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Caller } from '../app/context.ts';
import type { AppDb, Tx } from '../db/client.ts';
import { reportEvents } from '../db/schema.ts';
import type { ReportSubject, RoleGrant } from '../policies/can.ts';
import { authorisingGrant } from './access.ts';

/** One return of the report to the verifiers. */
export interface ReportReturn {
  seq: number;
  at: string;
  /** The agency the report had been dispatched to when it came back. */
  agencyId: string | null;
  /** The note the agency (or the verifier pulling it back) wrote. */
  note: string | null;
  /** The agency the returning side named as the right one (`suggestedAgencyId` of the return). */
  suggestedAgencyId: string | null;
  /** Set when the dispatch was pulled back (`'dispatch'` by a verifier, `'auto_dispatch'` by a rule's manager). */
  pullBack: string | null;
  actorRole: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Every return of the report, oldest first. */
export async function reportReturns(db: AppDb | Tx, reportId: string): Promise<ReportReturn[]> {
  const rows = await db
    .select({
      seq: reportEvents.seq,
      type: reportEvents.type,
      data: reportEvents.data,
      createdAt: reportEvents.createdAt,
      actorRole: reportEvents.actorRole,
    })
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, reportId), inArray(reportEvents.type, ['verify', 'return'])))
    .orderBy(asc(reportEvents.seq));
  const out: ReportReturn[] = [];
  let dispatchedTo: string | null = null;
  for (const r of rows) {
    const data = (r.data ?? {}) as Record<string, unknown>;
    if (r.type === 'verify') {
      dispatchedTo = str(data.agencyId);
      continue;
    }
    out.push({
      seq: r.seq,
      at: new Date(r.createdAt).toISOString(),
      agencyId: dispatchedTo ?? str(data.fromAgencyId),
      note: str(data.note),
      suggestedAgencyId: str(data.suggestedAgencyId),
      pullBack: str(data.pullBack),
      actorRole: r.actorRole,
    });
    dispatchedTo = null;
  }
  return out;
}

/** The agencies that returned the report themselves (pull-backs left out). */
export function agenciesThatReturned(returns: readonly ReportReturn[]): Set<string> {
  return new Set(returns.filter((r) => !r.pullBack && r.agencyId).map((r) => r.agencyId!));
}

/**
 * The caller's grant that may pull a dispatch of this report back to verification: one that may verify the report
 * once it is back (`verify` on the report as `returned`: the national admin and the coordinator of the report's
 * region, who verify returned reports), or null.
 */
export function pullBackGrant(caller: Caller, subject: ReportSubject): RoleGrant | null {
  return authorisingGrant(caller, 'verify', { ...subject, status: 'returned' });
}

/** Events by which the agency acts on a dispatched report: passing it down, assigning it, a follow-up. */
const AGENCY_ACTS = ['dispose', 'assign', 'respond'];

/**
 * Whether the agency has not acted on the report's current dispatch yet: still `dispatched`, held by the agency it
 * was dispatched to (no disposisi), and no disposisi, assignment or follow-up since the latest verify.
 */
export async function dispatchUntouched(
  db: AppDb | Tx,
  row: { id: string; status: string; agencyId: string | null; dispatchedAgencyId: string | null },
): Promise<boolean> {
  if (row.status !== 'dispatched' || !row.dispatchedAgencyId || row.agencyId !== row.dispatchedAgencyId)
    return false;
  const [verify] = await db
    .select({ seq: reportEvents.seq })
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, row.id), eq(reportEvents.type, 'verify')))
    .orderBy(desc(reportEvents.seq))
    .limit(1);
  if (!verify) return false;
  const [acted] = await db
    .select({ seq: reportEvents.seq })
    .from(reportEvents)
    .where(
      and(
        eq(reportEvents.reportId, row.id),
        gt(reportEvents.seq, verify.seq),
        inArray(reportEvents.type, AGENCY_ACTS),
      ),
    )
    .limit(1);
  return !acted;
}
