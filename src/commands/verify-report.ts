/** Verification (verifikasi) and dispatch to the responsible agency: starts the follow-up and completion clocks. */
import type { Classification } from '../domain/report/report.ts';
import { startClock, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { requireHandlingAgency, requireCategory } from './lookups.ts';
import { runReportAction, type ActionResult } from './report-action.ts';
import { recordRoutingOutcome } from './routing-outcome.ts';
import { refuseLiftingPrivacy } from './set-report-privacy.ts';

export interface VerifyReportInput {
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

/** Verifies a submitted or returned report and dispatches it to `agencyId`. */
export function verifyReport(svc: Services, caller: Caller, trackingId: string, input: VerifyReportInput) {
  return runReportAction(svc, caller, trackingId, 'verify', input, async ({ tx, report, now }) => {
    refuseLiftingPrivacy(report.row, input);
    await requireCategory(tx, input.categoryId, 'categoryId');
    const agency = await requireHandlingAgency(tx, input.agencyId, 'agencyId');
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
