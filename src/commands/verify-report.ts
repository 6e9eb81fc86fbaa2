/**
 * Verification (verifikasi) and dispatch to the responsible agency: starts the follow-up and completion clocks.
 * Every field is checked before anything is refused, so one 422 names all of them (an unknown category and an
 * unknown agency together, with a privacy flag that may not be lifted).
 */
import type { Classification } from '../domain/report/report.ts';
import type { AppDb, Tx } from '../db/client.ts';
import type { AgencyRow } from '../db/repositories/agencies.ts';
import { startClock, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { collectIssues, requireHandlingAgency, requireCategory } from './lookups.ts';
import { dispatchConfirmationIssues, type DispatchConfirmations } from './dispatch-confirmations.ts';
import { runReportAction, type ActionResult } from './report-action.ts';
import { recordRoutingOutcome } from './routing-outcome.ts';
import { anonymisedTexts, refuseLiftingPrivacy } from './set-report-privacy.ts';

/** `confirmRedispatch` / `confirmUnstaffed`: see dispatch-confirmations.ts (422 on that field without them). */
export interface VerifyReportInput extends DispatchConfirmations {
  classification?: Classification | undefined;
  categoryId: number;
  agencyId: string;
  title?: string | undefined;
  anonymous?: boolean | undefined;
  confidential?: boolean | undefined;
  /** Pengaduan berkadar pengawasan (60 working days to complete). */
  supervisory?: boolean | undefined;
  /** Set by the auto-dispatcher (commands/auto-dispatch.ts): recorded in the verify event's data. */
  autoDispatch?: { confidence: number; threshold: number; modelVersion: number } | undefined;
}

/**
 * The issues of the category and agency a verification names (each checked when given), collected into `issues`;
 * the agency when it is one reports may be dispatched to. The back-office form also runs this on the fields that
 * parsed when others did not, so a form shows every problem at once.
 */
export async function verifyChoiceIssues(
  db: AppDb | Tx,
  input: { categoryId?: number | undefined; agencyId?: string | undefined },
  issues: Record<string, FieldIssue> = {},
): Promise<{ agency: AgencyRow | undefined; issues: Record<string, FieldIssue> }> {
  if (input.categoryId !== undefined)
    await collectIssues(issues, () => requireCategory(db, input.categoryId!, 'categoryId'));
  const agency =
    input.agencyId !== undefined
      ? await collectIssues(issues, () => requireHandlingAgency(db, input.agencyId!, 'agencyId'))
      : undefined;
  return { agency, issues };
}

/** Verifies a submitted or returned report and dispatches it to `agencyId`. */
export function verifyReport(svc: Services, caller: Caller, trackingId: string, input: VerifyReportInput) {
  return runReportAction(svc, caller, trackingId, 'verify', input, async ({ tx, report, now }) => {
    const issues: Record<string, FieldIssue> = {};
    await collectIssues(issues, () => refuseLiftingPrivacy(report.row, input));
    const { agency: found } = await verifyChoiceIssues(tx, input, issues);
    if (found) await dispatchConfirmationIssues(tx, report.row.id, found, input, issues);
    throwIfInvalid(issues);
    const agency = found!;
    const row = {
      ...report.row,
      classification: input.classification ?? report.row.classification,
      supervisory: input.supervisory ?? report.row.supervisory,
    };
    await stopClocks(tx, row.id, ['verification'], now);
    const followUp = await startClock(tx, row, 'follow_up', now, agency);
    await startClock(tx, row, 'completion', now, agency);
    await recordRoutingOutcome(tx, {
      reportId: row.id,
      agencyId: agency.id,
      categoryId: input.categoryId,
      classification: row.classification,
      now,
    });
    return {
      patch: {
        classification: row.classification,
        supervisory: row.supervisory,
        categoryId: input.categoryId,
        agencyId: agency.id,
        dispatchedAgencyId: agency.id,
        ...anonymisedTexts(svc, report.row, input.anonymous),
        ...(input.title ? { title: input.title } : {}),
        ...(input.anonymous !== undefined ? { anonymous: input.anonymous } : {}),
        ...(input.confidential !== undefined ? { confidential: input.confidential } : {}),
        verifiedAt: report.row.verifiedAt ?? now,
      },
      event: {
        type: 'verify',
        visibility: 'public',
        data: {
          agencyId: agency.id,
          categoryId: input.categoryId,
          classification: row.classification,
          ...(input.autoDispatch ? { autoDispatch: input.autoDispatch } : {}),
        },
      },
      deadline: followUp,
    };
  }) satisfies Promise<ActionResult>;
}
