/**
 * Report → JSON for the API. The ONE place where output redaction happens: the reporter appears only when
 * the caller may see it (never for agencies on anonymous reports, never for the public), internal notes
 * and staff-only event data appear only for staff in scope.
 */
import { formatIsoInZone, zoneForRegion } from '../domain/deadline/calendar.ts';
import type { ReportStatus, ZoneName } from '../domain/report/report.ts';
import { permissionsNow, type PolicyAction } from '../policies/can.ts';
import { t, type Lang } from '../locales/index.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';
import type { EventRow } from '../db/repositories/events.ts';
import type { ReporterInput } from '../commands/submit-report.ts';

/** The zone a report's times are shown in: the handling agency's, else the report region's. */
export function reportZone(r: LoadedReport): ZoneName {
  if (r.agency) return r.agency.zone as ZoneName;
  if (r.target) return r.target.zone as ZoneName;
  return r.row.regionCode ? zoneForRegion(r.row.regionCode) : 'WIB';
}

const iso = (d: Date | null | undefined, zone: ZoneName) => (d ? formatIsoInZone(d, zone) : null);

interface StoredDeadline {
  clock: string;
  dueAt: string;
  ruleId: string;
  ruleVersion: number;
  explanation: { id: string; en: string };
}

/** The report's current deadline as JSON (null when no clock runs). */
export function presentDeadline(r: LoadedReport, lang: Lang, zone: ZoneName = reportZone(r)) {
  const d = r.row.deadline as StoredDeadline | null;
  return d
    ? {
        clock: d.clock,
        dueAt: iso(new Date(d.dueAt), zone),
        ruleId: d.ruleId,
        ruleVersion: d.ruleVersion,
        explanation: d.explanation[lang],
        explanations: d.explanation,
      }
    : null;
}

/** The report as JSON for a caller with `permissions`. */
export function presentReport(
  r: LoadedReport,
  permissions: Record<PolicyAction, boolean>,
  opts: { lang: Lang; reporter?: ReporterInput | null; publicUrl?: string },
) {
  const zone = reportZone(r);
  const row = r.row;
  return {
    trackingId: row.trackingId,
    classification: row.classification,
    title: row.title,
    body: row.body,
    status: row.status,
    statusLabel: t('id', `status.${row.status}`),
    statusLabelLocalized: t(opts.lang, `status.${row.status}`),
    categoryId: row.categoryId,
    regionCode: row.regionCode,
    location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
    address: row.address,
    occurredOn: row.occurredOn,
    agency: r.agency ? { id: r.agency.id, name: r.agency.name } : null,
    targetAgency: r.target ? { id: r.target.id, name: r.target.name } : null,
    anonymous: row.anonymous,
    confidential: row.confidential,
    channel: row.channel,
    archiveReason: row.archiveReason,
    createdAt: iso(row.createdAt, zone),
    updatedAt: iso(row.updatedAt, zone),
    deadline: presentDeadline(r, opts.lang, zone),
    supportCount: row.supportCount,
    rating: row.rating,
    ...(permissions.viewInternal
      ? { misroutedWorkingDays: row.misroutedWorkingDays, returnCount: row.returnCount }
      : {}),
    ...(opts.reporter && permissions.viewReporter ? { reporter: opts.reporter } : {}),
    // What the caller may do now: its rights, in what the status allows.
    allowedActions: ((now) =>
      (Object.keys(now) as PolicyAction[]).filter(
        (a) => now[a] && !['view', 'viewReporter', 'viewInternal', 'setPrivacy'].includes(a),
      ))(permissionsNow(permissions, row.status)),
  };
}

/** Event data keys that anyone who may see the event may read; everything else is staff-only. */
const PUBLIC_DATA_KEYS = new Set([
  'channel',
  'classification',
  'agencyId',
  'categoryId',
  'fromAgencyId',
  'toAgencyId',
  'final',
  'rating',
  'reason',
  'duplicateOf',
  'workingDaysLost',
]);

/** One timeline event for a caller; staff in scope also see notes and internal data. */
export function presentEvent(e: EventRow, zone: ZoneName, staff: boolean, lang: Lang) {
  const data = Object.fromEntries(
    Object.entries(e.data as Record<string, unknown>).filter(([k]) => staff || PUBLIC_DATA_KEYS.has(k)),
  );
  const reporterSide = e.actorRole === 'reporter';
  return {
    seq: e.seq,
    type: e.type,
    label: t(lang, `event.${e.type}`),
    at: formatIsoInZone(e.createdAt, zone),
    fromStatus: e.fromStatus as ReportStatus | null,
    toStatus: e.toStatus as ReportStatus | null,
    visibility: e.visibility,
    actor: {
      role: e.actorRole,
      agencyId: reporterSide ? null : e.actorAgencyId,
      ...(staff && !reporterSide && e.actorUserId ? { userId: e.actorUserId } : {}),
    },
    body: e.body,
    data,
  };
}
