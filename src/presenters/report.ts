/**
 * Report → JSON for the API. The ONE place where output redaction happens: the reporter appears only when
 * the caller may see it (never for agencies on anonymous reports, never for the public), internal notes
 * and staff-only event data appear only for staff in scope, and personal data in event texts no verifier
 * read before they went public (a reporter's dispute reason or acceptance comment) is masked for the public.
 */
import { formatIsoInZone, zoneForRegion } from '../domain/deadline/calendar.ts';
import type { ReportStatus, ZoneName } from '../domain/report/report.ts';
import { maskPersonalData } from '../domain/report/pii-hints.ts';
import { permissionsNow, type PolicyAction, type ReportSubject } from '../policies/can.ts';
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

/**
 * The report as JSON for a caller with `permissions`. The offers (`reportOffers`, commands/report-offers.ts) complete
 * `allowedActions`: `escalationOpen: false` drops `escalate` before the hand-off to Ombudsman opens (callers that do
 * not know leave it out), `pullBack: true` adds `pull-back` and `reverseAutoDispatch: true` adds
 * `reverse-auto-dispatch` (not policy actions: their conditions need the data), and `supported: true` drops `support`
 * (the caller supports the report already).
 */
export function presentReport(
  r: LoadedReport,
  permissions: Record<PolicyAction, boolean>,
  opts: {
    lang: Lang;
    reporter?: ReporterInput | null;
    publicUrl?: string;
    escalationOpen?: boolean;
    pullBack?: boolean;
    reverseAutoDispatch?: boolean;
    supported?: boolean;
  },
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
    allowedActions: ((now): string[] => [
      ...(Object.keys(now) as PolicyAction[]).filter(
        (a) =>
          now[a] &&
          !['view', 'viewReporter', 'viewInternal', 'setPrivacy'].includes(a) &&
          !(a === 'escalate' && opts.escalationOpen === false) &&
          !(a === 'support' && opts.supported),
      ),
      ...(opts.pullBack ? ['pull-back'] : []),
      ...(opts.reverseAutoDispatch ? ['reverse-auto-dispatch'] : []),
    ])(permissionsNow(permissions, row.status)),
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

/**
 * Who reads a timeline: `staff` in scope (internal notes and data), the report's own `reporter`, or the
 * `public` (anyone else, signed in or not, staff out of scope included).
 */
export type Audience = 'staff' | 'reporter' | 'public';

/** The audience of a caller who may see a report with these facts and permissions. */
export function audienceOf(v: {
  subject: Pick<ReportSubject, 'isReporter'>;
  permissions: Pick<Record<PolicyAction, boolean>, 'viewInternal'>;
}): Audience {
  if (v.permissions.viewInternal) return 'staff';
  return v.subject.isReporter ? 'reporter' : 'public';
}

/**
 * Event authors whose public text no verifier reads before it is published: the reporter (dispute reason,
 * acceptance comment, escalation note; by web, API, Open311, SMS or email) and a signed-in citizen commenting on a
 * public report (`citizen`, or `public` for an account without a role). Staff and system texts are not masked.
 */
const UNREVIEWED_AUTHORS = new Set(['reporter', 'citizen', 'public']);

/**
 * An event's text as the public may read it: personal data (NIK, phone, email) masked when the text was written
 * by an unreviewed author. Staff and the reporter read the stored text; the store is never changed. Also used by
 * the Open311 presenter.
 */
export function publicEventBody(body: string | null, actorRole: string | null): string | null {
  return body && actorRole !== null && UNREVIEWED_AUTHORS.has(actorRole) ? maskPersonalData(body) : body;
}

/**
 * Staff-only event data that may name the reporter (how the reporter consented to a hand-off staff recorded): for
 * staff who may also see the reporter's identity, never for an agency role or the Ombudsman on an anonim report.
 */
const REPORTER_DATA_KEYS = new Set(['consentNote']);

/**
 * An event's text and data as `audience` may read them (the JSON timeline and the back-office page alike): staff in
 * scope read notes and internal data, and data naming the reporter only with `viewReporter`; anyone else reads the
 * public keys and the masked text.
 */
export function eventContentFor(
  e: Pick<EventRow, 'body' | 'data' | 'actorRole'>,
  audience: Audience,
  viewReporter: boolean,
): { body: string | null; data: Record<string, unknown> } {
  const staff = audience === 'staff';
  const data = Object.fromEntries(
    Object.entries(e.data as Record<string, unknown>).filter(([k]) =>
      staff ? viewReporter || !REPORTER_DATA_KEYS.has(k) : PUBLIC_DATA_KEYS.has(k),
    ),
  );
  return { body: audience === 'public' ? publicEventBody(e.body, e.actorRole) : e.body, data };
}

/** One timeline event for `audience`; staff in scope also see notes and internal data. */
export function presentEvent(
  e: EventRow,
  zone: ZoneName,
  audience: Audience,
  lang: Lang,
  viewReporter: boolean,
) {
  const staff = audience === 'staff';
  const { body, data } = eventContentFor(e, audience, viewReporter);
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
    body,
    data,
  };
}
