/**
 * Reads for the back-office report page: the report as the caller may see it, its staff timeline, its
 * attachments, the units it can be disposed to and the names of the staff who acted on it. Every read goes
 * through `getReport` first, so a hidden report answers 404 before anything else is loaded.
 */
import { and, asc, desc, eq, inArray, like, lte, ne, or } from 'drizzle-orm';
import type { EventRow } from '../db/repositories/events.ts';
import { findAgency } from '../db/repositories/agencies.ts';
import { agencies, attachments, regions, reportEvents, reports, users } from '../db/schema.ts';
import { attachmentFilename, withheldInline } from '../presenters/attachment.ts';
import { can } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import type { AppDb } from '../db/client.ts';
import { deadlineBadge, type DeadlineBadge } from './queues.ts';
import { getReport, timelineFor, type VisibleReport } from './reports.ts';
import { staffedAgencyTest } from './agency-staffing.ts';
import {
  agenciesThatReturned,
  dispatchUntouched,
  pullBackGrant,
  reportReturns,
  type ReportReturn,
} from './report-returns.ts';

/** An attachment as listed on the staff page. */
export interface AttachmentItem {
  id: string;
  filename: string;
  mime: string;
  size: number;
  uploadedBy: string;
  eventSeq: number | null;
  /** An image from the body of an emailed complaint (a signature logo, the sender's photo), not an attached file. */
  emailInline: boolean;
  /**
   * Withheld from the agency (an inline image of an anonim report not yet released): listed only to those who may
   * see the reporter, marked as possibly identifying them.
   */
  withheld: boolean;
  /** The caller may release it to the agency (`releaseInlineImage`). */
  releasable: boolean;
}

/** A unit the report may be disposed to. */
export interface UnitOption {
  id: string;
  name: string;
  depth: number;
}

/** Everything the staff report page shows (the reporter's identity is revealed separately, by a command). */
export interface StaffReportView {
  visible: VisibleReport;
  timeline: EventRow[];
  attachments: AttachmentItem[];
  units: UnitOption[];
  badge: DeadlineBadge | null;
  /** Display names of staff who acted on the timeline, by user id (never reporters). */
  actorNames: Record<string, string>;
  /** For verifiers: the report's returns to verification, oldest first (`reportReturns`). */
  returns: ReportReturn[];
  /** For verifiers: agencies that returned the report themselves (dispatching there again needs a confirmation). */
  returnedBy: string[];
  /** For verifiers: active agencies nobody could handle a report in (dispatching there needs a confirmation). */
  unstaffed: string[];
  /** The caller may pull the current dispatch back to verification now (`pullBackDispatch`). */
  pullBack: boolean;
}

/** What the verifier sees about returns and staffing (empty for callers who may not verify). */
async function routingFacts(
  svc: Services,
  caller: Caller,
  visible: VisibleReport,
): Promise<Pick<StaffReportView, 'returns' | 'returnedBy' | 'unstaffed' | 'pullBack'>> {
  const { row } = visible.report;
  const pullBack = !!pullBackGrant(caller, visible.subject) && (await dispatchUntouched(svc.db, row));
  if (!visible.permissions.verify) return { returns: [], returnedBy: [], unstaffed: [], pullBack };
  const [returns, staffed, all] = await Promise.all([
    reportReturns(svc.db, row.id),
    staffedAgencyTest(svc.db),
    svc.db.select({ id: agencies.id, path: agencies.path }).from(agencies).where(eq(agencies.active, true)),
  ]);
  return {
    returns,
    returnedBy: [...agenciesThatReturned(returns)],
    unstaffed: all.filter((a) => !staffed(a.path)).map((a) => a.id),
    pullBack,
  };
}

/**
 * The units a report may be passed down to (disposisi): the active agencies of the dispatched agency's tree, in tree
 * order, except the one handling it now. The caller checks the `dispose` right.
 */
export async function disposalUnits(
  db: AppDb,
  row: { dispatchedAgencyId: string | null; agencyId: string | null },
): Promise<UnitOption[]> {
  if (!row.dispatchedAgencyId) return [];
  const root = await findAgency(db, row.dispatchedAgencyId);
  if (!root) return [];
  const rows = await db
    .select({ id: agencies.id, name: agencies.name, path: agencies.path })
    .from(agencies)
    .where(
      and(
        like(agencies.path, `${root.path}%`),
        eq(agencies.active, true),
        row.agencyId ? ne(agencies.id, row.agencyId) : undefined,
      ),
    )
    .orderBy(asc(agencies.path));
  const base = root.path.split('/').filter(Boolean).length;
  return rows.map((u) => ({
    id: u.id,
    name: u.name,
    depth: u.path.split('/').filter(Boolean).length - base,
  }));
}

/** Loads the staff view of one report (404 when the caller may not see it). */
export async function staffReportView(
  svc: Services,
  caller: Caller,
  trackingId: string,
): Promise<StaffReportView> {
  const visible = await getReport(svc, caller, trackingId);
  const { row } = visible.report;
  const timeline = await timelineFor(svc, visible);
  const files = await svc.db
    .select()
    .from(attachments)
    .where(eq(attachments.reportId, row.id))
    .orderBy(asc(attachments.createdAt));
  // The event a file was sent with (a follow-up, a supplement, a reply: `attachments.event_id`), by its number.
  const seqByEvent = new Map<number, number>();
  for (const e of timeline) seqByEvent.set(e.id, e.seq);
  const staff = visible.permissions.viewInternal;
  const mayViewReporter = visible.permissions.viewReporter || visible.subject.isReporter;
  // Releasing needs a verifier who may see the reporter (as staff: the reporter's own rights do not count).
  const mayRelease =
    visible.permissions.setPrivacy &&
    can(caller.actor, 'viewReporter', { ...visible.subject, isReporter: false });
  const items: AttachmentItem[] = files
    .filter((f) => staff || f.uploadedBy !== 'reporter')
    .filter((f) => !withheldInline(f, row.anonymous, mayViewReporter))
    .map((f) => ({
      id: f.id,
      // Shown on the staff page, which logs the view of the reporter's identity (revealReporter,
      // 'staff.report.view'); the download itself logs again (openAttachment).
      filename: attachmentFilename(
        f,
        visible.permissions.viewReporter || visible.subject.isReporter,
        svc.sealer,
      ),
      mime: f.mime,
      size: f.size,
      uploadedBy: f.uploadedBy,
      eventSeq: f.eventId ? (seqByEvent.get(f.eventId) ?? null) : null,
      emailInline: f.emailInline,
      withheld: withheldInline(f, row.anonymous, false),
      releasable: mayRelease && withheldInline(f, row.anonymous, false),
    }));

  const units = visible.permissions.dispose ? await disposalUnits(svc.db, row) : [];

  const staffIds = [
    ...new Set(
      timeline.filter((e) => e.actorUserId && e.actorRole !== 'reporter').map((e) => e.actorUserId as string),
    ),
  ];
  const named = staffIds.length
    ? await svc.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, staffIds))
    : [];
  return {
    visible,
    timeline,
    attachments: items,
    units,
    badge: await deadlineBadge(svc, visible.report, svc.now()),
    actorNames: Object.fromEntries(named.map((u) => [u.id, u.name])),
    ...(await routingFacts(svc, caller, visible)),
  };
}

/** Options of the walk-in region picker, grouped like the agency tree picker. */
export interface RegionGroup {
  label: string;
  options: Array<{ value: string; label: string; depth: number }>;
}

/**
 * Regions an officer may record a walk-in for: the kab/kota and kecamatan under the officer's region (one
 * group per kab/kota), or provinces and their kab/kota for national staff.
 */
export async function walkInRegions(svc: Services, caller: Caller): Promise<RegionGroup[]> {
  const scope = caller.actor.grants.find((g) => g.regionCode)?.regionCode ?? null;
  const rows = scope
    ? await svc.db
        .select({ code: regions.code, name: regions.name, level: regions.level })
        .from(regions)
        .where(and(or(eq(regions.code, scope), like(regions.code, `${scope}.%`)), lte(regions.level, 3)))
        .orderBy(asc(regions.code))
    : await svc.db
        .select({ code: regions.code, name: regions.name, level: regions.level })
        .from(regions)
        .where(lte(regions.level, 2))
        .orderBy(asc(regions.code));
  const top = scope ? 2 : 1;
  const groups: RegionGroup[] = [];
  for (const r of rows) {
    if (r.level < top) continue;
    if (r.level === top || groups.length === 0) groups.push({ label: r.name, options: [] });
    groups.at(-1)!.options.push({ value: r.code, label: r.name, depth: r.level - top });
  }
  return groups;
}

/** The latest timeline event of a report: what it was, who wrote it and when (null for an unknown number). */
export interface LatestEvent {
  type: string;
  actorUserId: string | null;
  body: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * The report's latest event, read without the caller's scope: used only to tell a double-submitted form (the same
 * person's same step, already stored) from a real conflict, never shown.
 */
export async function latestEvent(db: AppDb, trackingId: string): Promise<LatestEvent | null> {
  const [row] = await db
    .select({
      type: reportEvents.type,
      actorUserId: reportEvents.actorUserId,
      body: reportEvents.body,
      data: reportEvents.data,
      createdAt: reportEvents.createdAt,
    })
    .from(reportEvents)
    .innerJoin(reports, eq(reports.id, reportEvents.reportId))
    .where(eq(reports.trackingId, trackingId))
    .orderBy(desc(reportEvents.seq))
    .limit(1);
  return row ? { ...row, data: (row.data ?? {}) as Record<string, unknown> } : null;
}
