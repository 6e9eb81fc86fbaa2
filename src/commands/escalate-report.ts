/**
 * Hand-off to Ombudsman: an open report unresolved past the escalation deadline (the end of the 60th
 * calendar day after submission by default, escalation rule v2; the 60th working day for reports filed
 * before 2026-12-01 under v1; domain.md §5.1 step 7) is transferred, only with the reporter's consent: given by
 * the reporter themselves (tracking page, API with the access key or their account), or recorded by staff who hold
 * `escalate` (coordinator in the region, national admin) when the reporter consented by phone or letter.
 */
import { formatIsoInZone, workingDaysBetween } from '../domain/deadline/calendar.ts';
import { addRuleDays, selectRule } from '../domain/deadline/sla.ts';
import { OPEN_STATUSES, type Classification, type ReportStatus } from '../domain/report/report.ts';
import { loadSlaRules } from '../db/repositories/calendar.ts';
import { calendarFor, ruleRegionFor, stopClocks } from './clocks.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { runReportAction } from './report-action.ts';
import { maskOwnIdentity } from '../domain/report/own-identity.ts';
import type { ReporterInput } from './submit-report.ts';
import type { AppDb, Tx } from '../db/client.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';

export interface EscalateReportInput {
  consent: boolean;
  /**
   * The reporter's note; required from staff (10 to 2000 characters): how the reporter consented, e.g.
   * "Pelapor menyetujui melalui telepon 12/12/2026".
   */
  note?: string | undefined;
  /** The reporter allows their identity in the Ombudsman hand-off package (default false; never for anonim). */
  shareIdentity?: boolean | undefined;
}

/** Length bounds of the consent record staff must give when they transfer on the reporter's behalf. */
export const STAFF_CONSENT_NOTE = { min: 10, max: 2000 } as const;

/**
 * When the hand-off to Ombudsman opens for a report: the escalation rule in the report's calendar (the report
 * region's rules, national ones when a kementerian/lembaga office holds it: `ruleRegionFor`), its deadline
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
    // An agency clock: national rules when an instansi vertikal holds the report.
    regionCode: await ruleRegionFor(db, report.row, 'escalation', report.agency),
  });
  if (rule.workingDays <= 0) return { cal, rule, dueAt: null, availableFrom: null };
  const dueAt = addRuleDays(rule, report.row.createdAt, cal).dueAt;
  return { cal, rule, dueAt, availableFrom: formatIsoInZone(new Date(dueAt.getTime() + 1), cal.zone) };
}

/**
 * The `escalationOpen` option of `presentReport` (src/presenters/report.ts): for a caller allowed to escalate an open
 * report, whether the hand-off is open now, so `allowedActions` lists `escalate` only then; `{}` otherwise (no
 * calendar read).
 */
export async function escalationOffer(
  db: AppDb | Tx,
  report: Pick<LoadedReport, 'row' | 'agency'>,
  permissions: { escalate: boolean },
  now: Date,
): Promise<{ escalationOpen?: boolean }> {
  if (!permissions.escalate || !OPEN_STATUSES.includes(report.row.status as ReportStatus)) return {};
  // Open strictly after the escalation deadline; at once for a 0-day rule (as escalateReport decides).
  const { dueAt } = await escalationOpening(db, report);
  return { escalationOpen: !dueAt || now.getTime() > dueAt.getTime() };
}

/**
 * Transfers a report to Ombudsman when the escalation deadline has passed (strictly after its dueAt, in
 * the report's calendar; a 0-day rule at once) and the reporter consented. Before that it fails with
 * ESCALATION_NOT_DUE and `availableFrom`, the first instant the transfer can be asked for (00:00 local
 * of the day after the deadline), the same instant the sweeper offers it from.
 *
 * The reporter consents with `consent: true` (422 `consent_true` otherwise). Staff with the `escalate` right
 * record a consent the reporter gave them (by phone, letter …): `consent: true` (CONSENT_REQUIRED otherwise) and a
 * `note` of 10 to 2000 characters saying how (422 on `note`); the event records `consentVia: 'staff'`, who
 * recorded it and the note (`consentNote`, staff-only data: the public timeline and the Ombudsman package's timeline
 * show no text for it). Staff share the identity only on a non-anonim report and only when `shareIdentity: true` is sent.
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
    const byStaff = !subject.isReporter;
    const note = input.note?.trim() || undefined;
    if (byStaff) {
      // Staff act on a consent the reporter gave them: it must be stated, and how it was given written down.
      if (input.consent !== true) throw new AppError('CONSENT_REQUIRED');
      if (!note || note.length < STAFF_CONSENT_NOTE.min || note.length > STAFF_CONSENT_NOTE.max)
        throw invalid({ note: { key: 'escalation_consent_note', params: { ...STAFF_CONSENT_NOTE } } });
    } else if (input.consent !== true) throw invalid({ consent: { key: 'consent_true' } });
    // Anonim hides the identity from the Ombudsman too (domain.md §3), and flags never loosen (ADR 0011).
    if (input.shareIdentity === true && report.row.anonymous)
      throw invalid({
        shareIdentity: { key: byStaff ? 'anonymous_identity_hidden_staff' : 'anonymous_identity_hidden' },
      });
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
        // A staff consent record may name the reporter (an anonim one too): it stays in the event's data, which only
        // staff in scope read, never in the public body or the Ombudsman package's timeline.
        body: byStaff ? null : (input.note ?? null),
        data: {
          workingDaysElapsed: elapsed,
          ruleId: rule.id,
          ruleVersion: rule.version,
          shareIdentity: input.shareIdentity === true,
          // Who took the consent: the reporter gave it here, or staff recorded one given to them (the note says how).
          consentVia: byStaff ? 'staff' : 'reporter',
          // The note keeps how the consent was given, not who gave it: the reporter's own name, number, address and
          // NIK are masked (own-identity.ts), since the identity is sealed on the report and event data is not.
          ...(byStaff
            ? {
                consentRecordedBy: caller.actor.userId,
                consentNote: maskOwnIdentity(
                  note!,
                  report.row.reporterEnc ? svc.sealer.open<ReporterInput>(report.row.reporterEnc) : {},
                ),
              }
            : {}),
        },
      },
      deadline: null,
    };
  });
}
