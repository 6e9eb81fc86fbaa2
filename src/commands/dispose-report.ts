/** Disposisi: an agency passes a report down its own tree to a unit; the status stays the same. */
import type { Caller, Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { requireAgency } from './lookups.ts';
import { runReportAction } from './report-action.ts';
import { findAgency } from '../db/repositories/agencies.ts';
import { recordUnitOutcome } from './routing-outcome.ts';

export interface DisposeReportInput {
  unitId: string;
  note?: string | undefined;
}

/** Hands the report to a unit inside the dispatched agency's tree, and marks the unit suggestions shown for it. */
export function disposeReport(svc: Services, caller: Caller, trackingId: string, input: DisposeReportInput) {
  return runReportAction(svc, caller, trackingId, 'dispose', input, async ({ tx, report, now }) => {
    const unit = await requireAgency(tx, input.unitId, 'unitId');
    // Already there (a form sent twice, or a stale one): said as such, not as a unit outside the tree.
    if (unit.id === report.row.agencyId) throw invalid({ unitId: { key: 'unit_already_handling' } });
    const root = (await findAgency(tx, report.row.dispatchedAgencyId)) ?? report.agency;
    if (!root || !unit.path.startsWith(root.path)) throw invalid({ unitId: { key: 'unit_not_in_tree' } });
    await recordUnitOutcome(tx, report.row.id, unit.id, now);
    return {
      patch: { agencyId: unit.id },
      event: {
        type: 'dispose',
        visibility: 'public',
        data: {
          fromAgencyId: report.row.agencyId,
          toAgencyId: unit.id,
          ...(input.note ? { note: input.note } : {}),
        },
      },
    };
  });
}
