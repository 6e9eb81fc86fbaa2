/**
 * Hand-off to Ombudsman: an open report unresolved past the escalation threshold (60 working days by
 * default, domain.md §5.1 step 7) is transferred, only with the reporter's consent.
 */
import { addWorkingDays, formatIsoInZone, workingDaysBetween } from '../domain/deadline/calendar.ts';
import { selectRule } from '../domain/deadline/sla.ts';
import type { Classification } from '../domain/report/report.ts';
import { loadSlaRules } from '../db/repositories/calendar.ts';
import { calendarFor, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { runReportAction } from './report-action.ts';

export interface EscalateReportInput {
  consent: boolean;
  note?: string | undefined;
  /** The reporter allows their identity in the Ombudsman hand-off package (default false). */
  shareIdentity?: boolean | undefined;
}

/** Transfers a report to Ombudsman when the threshold has passed and the reporter consented. */
export function escalateReport(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: EscalateReportInput,
) {
  return runReportAction(svc, caller, trackingId, 'escalate', input, async ({ tx, report, subject, now }) => {
    if (input.consent !== true) throw invalid({ consent: { key: 'consent_true' } });
    if (!subject.isReporter && !report.row.escalationConsent) throw new AppError('CONSENT_REQUIRED');
    const cal = await calendarFor(tx, report.row, report.agency);
    const rule = selectRule(await loadSlaRules(tx), 'escalation', {
      classification: report.row.classification as Classification,
      supervisory: report.row.supervisory,
      at: report.row.createdAt,
      zone: cal.zone,
    });
    const elapsed = workingDaysBetween(report.row.createdAt, now, cal);
    if (elapsed < rule.workingDays) {
      const from = addWorkingDays(report.row.createdAt, rule.workingDays, cal);
      throw new AppError('ESCALATION_NOT_DUE', {}, { availableFrom: formatIsoInZone(from.dueAt, cal.zone) });
    }
    await stopClocks(tx, report.row.id, 'all', now, 'cancel');
    return {
      patch: { escalationConsent: true, closedAt: now },
      event: {
        type: 'escalate',
        visibility: 'public',
        body: input.note ?? null,
        data: {
          workingDaysElapsed: elapsed,
          ruleId: rule.id,
          ruleVersion: rule.version,
          shareIdentity: input.shareIdentity === true,
        },
      },
      deadline: null,
    };
  });
}
