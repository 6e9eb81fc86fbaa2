/**
 * Dispatches that need the verifier's explicit confirmation (`verifyReport`): they are allowed, since the verifier may
 * know better, but never by a slip.
 *
 * - `confirmRedispatch`: the chosen agency already returned this report as bukan wewenang (`agenciesThatReturned`),
 *   so sending it there again starts a ping-pong unless the verifier knows why it is right after all.
 * - `confirmUnstaffed`: nobody could act on it there: no agency admin or officer, no agency API token and no active
 *   webhook on the agency or above it (`staffedAgencyTest`), so it would wait untouched while its follow-up
 *   clock runs.
 *
 * Each missing confirmation is a field issue on its own field (422), collected with the command's other issues.
 */
import type { FieldIssue } from '../app/errors.ts';
import type { Tx } from '../db/client.ts';
import type { AgencyRow } from '../db/repositories/agencies.ts';
import { staffedAgencyTest } from '../queries/agency-staffing.ts';
import { agenciesThatReturned, reportReturns } from '../queries/report-returns.ts';

/** The confirmations a verification may carry. */
export interface DispatchConfirmations {
  /** Dispatch again to an agency that returned the report. */
  confirmRedispatch?: boolean | undefined;
  /** Dispatch to an agency without anyone who could handle it. */
  confirmUnstaffed?: boolean | undefined;
}

/** Adds an issue to `issues` for each confirmation the dispatch of report `reportId` to `agency` needs and lacks. */
export async function dispatchConfirmationIssues(
  tx: Tx,
  reportId: string,
  agency: AgencyRow,
  input: DispatchConfirmations,
  issues: Record<string, FieldIssue>,
): Promise<void> {
  const params = { agency: agency.shortName ?? agency.name };
  if (!input.confirmRedispatch && agenciesThatReturned(await reportReturns(tx, reportId)).has(agency.id))
    issues.confirmRedispatch ??= { key: 'redispatch_unconfirmed', params };
  if (!input.confirmUnstaffed && !(await staffedAgencyTest(tx))(agency.path))
    issues.confirmUnstaffed ??= { key: 'unstaffed_unconfirmed', params };
}
