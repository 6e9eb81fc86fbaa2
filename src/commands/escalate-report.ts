/**
 * Hand-off to Ombudsman: an open report unresolved past the escalation deadline (the end of the 60th
 * calendar day after submission by default, escalation rule v2; the 60th working day for reports filed
 * before 2026-12-01 under v1; domain.md §5.1 step 7) is transferred, only with the reporter's consent.
 */
import { formatIsoInZone, workingDaysBetween } from '../domain/deadline/calendar.ts';
import { addRuleDays, selectRule } from '../domain/deadline/sla.ts';
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

/**
 * Transfers a report to Ombudsman when the escalation deadline has passed (strictly after its dueAt, in
 * the report's calendar; a 0-day rule at once) and the reporter consented. Before that it fails with
 * ESCALATION_NOT_DUE and `availableFrom`, the first instant the transfer can be asked for (00:00 local
 * of the day after the deadline), the same instant the sweeper offers it from.
 */
export function escalateReport(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: EscalateReportInput,
) {
  return runReportAction(svc, caller, trackingId, 'escalate', input, async ({ tx, report, subject, now }) => {
    if (input.consent !== true) throw invalid({ consent: { key: 'consent_true' } });
    // Anonim hides the identity from the Ombudsman too (domain.md §3), and flags never loosen (ADR 0011).
    if (input.shareIdentity === true && report.row.anonymous)
      throw invalid({ shareIdentity: { key: 'anonymous_identity_hidden' } });
    if (!subject.isReporter && !report.row.escalationConsent) throw new AppError('CONSENT_REQUIRED');
    const cal = await calendarFor(tx, report.row, report.agency);
    const rule = selectRule(await loadSlaRules(tx), 'escalation', {
      classification: report.row.classification as Classification,
      supervisory: report.row.supervisory,
      at: report.row.createdAt,
      zone: cal.zone,
    });
    const elapsed = workingDaysBetween(report.row.createdAt, now, cal);
    if (rule.workingDays > 0) {
      const due = addRuleDays(rule, report.row.createdAt, cal).dueAt;
      if (now.getTime() <= due.getTime()) {
        const availableFrom = formatIsoInZone(new Date(due.getTime() + 1), cal.zone);
        throw new AppError('ESCALATION_NOT_DUE', {}, { availableFrom });
      }
    }
    await stopClocks(tx, report.row.id, 'all', now, 'cancel');
    return {
      patch: {
        escalationConsent: true,
        escalationSharesIdentity: input.shareIdentity === true,
        closedAt: now,
      },
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
