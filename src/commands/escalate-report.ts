/**
 * Hand-off to Ombudsman: an open report unresolved past the escalation deadline (the end of the 60th
 * calendar day after submission by default, escalation rule v2; the 60th working day for reports filed
 * before 2026-12-01 under v1; domain.md §5.1 step 7) is transferred, only with the reporter's consent: given by
 * the reporter themselves (tracking page, API with the access key or their account), or recorded by staff who hold
 * `escalate` (coordinator in the region, national admin) when the reporter consented by phone or letter.
 */
import { formatIsoInZone, workingDaysBetween } from '../domain/deadline/calendar.ts';
import { addRuleDays, selectRule } from '../domain/deadline/sla.ts';
import type { Classification } from '../domain/report/report.ts';
import { loadSlaRules } from '../db/repositories/calendar.ts';
import { calendarFor, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { runReportAction } from './report-action.ts';
import type { AppDb, Tx } from '../db/client.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';

export interface EscalateReportInput {
  consent: boolean;
  note?: string | undefined;
  /** The reporter allows their identity in the Ombudsman hand-off package (default false). */
  shareIdentity?: boolean | undefined;
}

/**
 * When the hand-off to Ombudsman opens for a report: the escalation rule in the report's calendar, its deadline
 * (`dueAt`) and `availableFrom`, the first instant the transfer can be asked for (00:00 local of the day after
 * the deadline, ISO with the zone's offset); both null for a 0-day rule (at once). The tracking page shows the
 * date before the form works, and `escalateReport` refuses before it.
 */
export async function escalationOpening(db: AppDb | Tx, report: Pick<LoadedReport, 'row' | 'agency'>) {
  const cal = await calendarFor(db, report.row, report.agency);
  const rule = selectRule(await loadSlaRules(db), 'escalation', {
    classification: report.row.classification as Classification,
    supervisory: report.row.supervisory,
    at: report.row.createdAt,
    zone: cal.zone,
  });
  if (rule.workingDays <= 0) return { cal, rule, dueAt: null, availableFrom: null };
  const dueAt = addRuleDays(rule, report.row.createdAt, cal).dueAt;
  return { cal, rule, dueAt, availableFrom: formatIsoInZone(new Date(dueAt.getTime() + 1), cal.zone) };
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
    // Not due yet is the answer whatever else was sent: there is nothing to consent to before then.
    const { cal, rule, dueAt, availableFrom } = await escalationOpening(tx, report);
    if (dueAt && availableFrom && now.getTime() <= dueAt.getTime()) {
      throw new AppError('ESCALATION_NOT_DUE', {}, { availableFrom });
    }
    if (input.consent !== true) throw invalid({ consent: { key: 'consent_true' } });
    // Anonim hides the identity from the Ombudsman too (domain.md §3), and flags never loosen (ADR 0011).
    if (input.shareIdentity === true && report.row.anonymous)
      throw invalid({ shareIdentity: { key: 'anonymous_identity_hidden' } });
    if (!subject.isReporter && !report.row.escalationConsent) throw new AppError('CONSENT_REQUIRED');
    const elapsed = workingDaysBetween(report.row.createdAt, now, cal);
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
