/**
 * Bukan wewenang: the agency sends back a report that is not its authority (no wrong door).
 * The working days lost to misrouting are recorded, and the report goes back to the verifier.
 */
import { workingDaysBetween } from '../domain/deadline/calendar.ts';
import { calendarFor, openClock, startClock, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { requireHandlingAgency } from './lookups.ts';
import { runReportAction, type ActionOptions } from './report-action.ts';

export interface ReturnReportInput {
  note: string;
  suggestedAgencyId?: string | undefined;
}

/** How a return runs beyond the report policy (`pullBack`, commands/pull-back-dispatch.ts). */
export type ReturnOptions = Pick<ActionOptions, 'authorisedBy' | 'precondition'> & {
  /**
   * The dispatch is pulled back rather than refused by the agency: by a verifier (`dispatch`) or by the manager of
   * an auto-dispatch rule (`auto_dispatch`). Recorded in the event's data; the agency is then not counted as one
   * that returned the report (queries/report-returns.ts).
   */
  pullBack?: 'dispatch' | 'auto_dispatch' | undefined;
};

/**
 * Returns a dispatched report to the verifier queue. `options` lets a command that checked its own right run
 * the return (`pullBack`: a verifier pulls back a dispatch, an agency's manager an auto-dispatch).
 */
export function returnReport(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: ReturnReportInput,
  options: ReturnOptions = {},
) {
  return runReportAction(
    svc,
    caller,
    trackingId,
    'return',
    input,
    async ({ tx, report, now }) => {
      if (input.suggestedAgencyId)
        await requireHandlingAgency(tx, input.suggestedAgencyId, 'suggestedAgencyId');
      const since = (await openClock(tx, report.row.id, 'completion'))?.startedAt ?? report.row.verifiedAt;
      const cal = await calendarFor(tx, report.row, report.agency);
      const lost = since ? workingDaysBetween(new Date(since), now, cal) : 0;
      await stopClocks(tx, report.row.id, ['follow_up', 'completion'], now, 'cancel');
      const verification = await startClock(
        tx,
        report.row,
        'verification',
        now,
        null,
        options.pullBack ? 'pull_back' : 'return',
      );
      return {
        patch: {
          agencyId: null,
          dispatchedAgencyId: null,
          targetAgencyId: null,
          misroutedWorkingDays: report.row.misroutedWorkingDays + lost,
          returnCount: report.row.returnCount + 1,
        },
        event: {
          type: 'return',
          visibility: 'public',
          data: {
            fromAgencyId: report.row.agencyId,
            workingDaysLost: lost,
            note: input.note,
            ...(input.suggestedAgencyId ? { suggestedAgencyId: input.suggestedAgencyId } : {}),
            ...(options.pullBack ? { pullBack: options.pullBack } : {}),
          },
        },
        deadline: verification,
      };
    },
    { authorisedBy: options.authorisedBy, precondition: options.precondition },
  );
}
