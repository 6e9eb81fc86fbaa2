/**
 * Shared view-model building for report pages (tracking page, public report page): timeline items from
 * the presented (redacted) events, and the deadline badge of the running clock.
 */
import type { Services } from '../../app/context.ts';
import { audienceOf, presentEvent, presentReport, reportZone } from '../../presenters/report.ts';
import { deadlineHistory, type DeadlineHistoryRow } from '../../queries/deadline-history.ts';
import { listAgencyTree } from '../../queries/reference.ts';
import { timelineFor, type VisibleReport } from '../../queries/reports.ts';
import type { PageContext } from '../../views/context.ts';
import type { DeadlineState } from '../../views/components/deadline-badge.tsx';
import { roughDeadlineState } from '../../views/components/deadline-badge.tsx';
import { filesNote, type TimelineDeadline, type TimelineItem } from '../../views/components/timeline.tsx';
import { formatDate, formatDateTime } from '../../views/format.ts';

/** The public report a duplicate was merged into, when the reader may know it (not a confidential one). */
function keptOf(e: { type: string; data: Record<string, unknown> }): string | null {
  return e.type === 'archive' && typeof e.data.duplicateOf === 'string' ? e.data.duplicateOf : null;
}

/** The link to the report a duplicate was merged into, when the reader may know it. */
function keptLink(ctx: PageContext, kept: string | null): { href: string; text: string } | undefined {
  return kept ? { href: `/laporan/${kept}`, text: ctx.t('web.timeline.kept_link', { kept }) } : undefined;
}

/**
 * A step's plain-words meaning; an archive as a duplicate says that the complaint lives on in the kept report (named
 * when the reader may see it), so the reporter does not read the merge as a rejection.
 */
function explanationOf(
  ctx: PageContext,
  e: { type: string; data: Record<string, unknown>; actor: { role: string | null } },
): string | undefined {
  // Dispatched by the routing model, not read by a person first: said as such.
  if (e.type === 'verify' && e.actor.role === 'system:auto-dispatch')
    return ctx.t('web.event_help.verify_auto');
  if (e.type === 'archive' && e.data.reason === 'duplicate') {
    const kept = keptOf(e);
    return kept
      ? ctx.t('web.event_help.archive_duplicate', { kept })
      : ctx.t('web.event_help.archive_duplicate_hidden');
  }
  return HELP.has(e.type) ? ctx.t(`web.event_help.${e.type}`) : undefined;
}

/** Event types that have a plain-words explanation in `web.event_help.*`. */
const HELP = new Set([
  'submit',
  'verify',
  'hold',
  'supplement',
  'archive',
  'dispose',
  'return',
  'respond',
  'accept',
  'dispute',
  'escalate',
  'auto_close',
  'overdue',
]);

/** The deadline line of a timeline event: clock, due date, stored explanation and how it ended. */
function deadlineLine(ctx: PageContext, d: DeadlineHistoryRow): TimelineDeadline {
  const outcome =
    d.stoppedAt === null ? 'running' : d.met === true ? 'met' : d.met === false ? 'missed' : 'stopped';
  return {
    label: ctx.t('web.timeline.deadline', {
      clock: ctx.t(`web.clock.${d.clock}`),
      date: formatDate(d.dueAt.toISOString(), ctx.lang),
    }),
    explanation: d.explanation[ctx.lang],
    outcome: ctx.t(`web.timeline.deadline_${outcome}`),
  };
}

/** Event types that start each clock (a clock is shown on its starting event in the timeline). */
const CLOCK_STARTERS: Record<string, string[]> = {
  verification: ['submit', 'return', 'supplement'],
  hold_reply: ['hold'],
  follow_up: ['verify', 'dispose', 'dispute'],
  completion: ['verify', 'dispose', 'dispute'],
  reporter_window: ['respond'],
  escalation: ['respond', 'dispute', 'escalate'],
};

/** The badge props of the running deadline, or null. */
export interface BadgeModel {
  state: DeadlineState;
  dueLabel: string;
  explanation: string;
  clockLabel: string;
}

/** Everything a report page shows besides the report text. */
export interface ReportModel {
  report: ReturnType<typeof presentReport>;
  timeline: TimelineItem[];
  followUps: TimelineItem[];
  badge: BadgeModel | null;
  agencyName: string | null;
}

/**
 * Agency names as a citizen can place them: a unit (kind `unit`) is named with the agency above it, "UPT Drainase
 * (Dinas Pekerjaan Umum Kota Balikpapan)", since "UPT Drainase" alone could be in any kab/kota; a unit whose name
 * already carries that agency's name or short name keeps its own.
 */
export function agencyDisplayNames(
  tree: ReadonlyArray<{
    id: string;
    name: string;
    shortName: string | null;
    kind: string;
    parentId: string | null;
  }>,
): Map<string, string> {
  const byId = new Map(tree.map((a) => [a.id, a]));
  const out = new Map<string, string>();
  for (const a of tree) {
    let above = a.kind === 'unit' && a.parentId ? byId.get(a.parentId) : undefined;
    while (above?.kind === 'unit') above = above.parentId ? byId.get(above.parentId) : undefined;
    const plain =
      !above || a.name.includes(above.name) || (above.shortName !== null && a.name.includes(above.shortName));
    out.set(a.id, plain || !above ? a.name : `${a.name} (${above.name})`);
  }
  return out;
}

/** Builds the model for the caller who may see `visible` (reporter identity is never included). */
export async function buildReportModel(
  svc: Services,
  ctx: PageContext,
  visible: VisibleReport,
): Promise<ReportModel> {
  const report = presentReport(visible.report, visible.permissions, { lang: ctx.lang });
  const zone = reportZone(visible.report);
  const agencies = agencyDisplayNames(await listAgencyTree(svc.db));
  const rows = (await timelineFor(svc, visible)).filter((e) => e.type !== 'support' && e.type !== 'note');
  // The public page reads as the public (reporter-written texts masked), the tracking page as the reporter.
  const audience = audienceOf(visible);
  const shown = rows.map((e) => presentEvent(e, zone, audience, ctx.lang, visible.permissions.viewReporter));
  // Each clock run is shown on the visible event that started it: of the events in the same second as its start,
  // the last one of a type that starts that clock (submit → verification, verify → follow-up, hold → reply,
  // final follow-up → reporter window…), else the last one. A clock whose start the caller may not see (only
  // internal events in that second) is not shown.
  const second = (d: Date) => Math.floor(d.getTime() / 1000);
  const deadlines = new Map<number, TimelineDeadline[]>();
  for (const d of await deadlineHistory(svc.db, visible.report.row.id)) {
    const same = rows.flatMap((e, i) => (second(e.createdAt) === second(d.startedAt) ? [i] : []));
    const starters = CLOCK_STARTERS[d.clock] ?? [];
    const at = same.filter((i) => starters.includes(rows[i]!.type)).pop() ?? same.pop();
    if (at !== undefined) deadlines.set(at, [...(deadlines.get(at) ?? []), deadlineLine(ctx, d)]);
  }
  const timeline: TimelineItem[] = shown.map((e, i) => ({
    key: String(e.seq),
    at: e.at,
    atLabel: formatDateTime(e.at, ctx.lang),
    label: e.label,
    actor:
      e.actor.role === 'reporter'
        ? ctx.t('web.actor.reporter')
        : e.actor.role?.startsWith('system:')
          ? ctx.t('web.actor.system')
          : e.actor.role === 'public' || e.actor.role === 'citizen'
            ? ctx.t('web.actor.citizen')
            : e.actor.agencyId
              ? (agencies.get(e.actor.agencyId) ?? ctx.t('web.actor.staff'))
              : e.actor.role
                ? ctx.t('web.actor.staff')
                : undefined,
    body: e.body,
    explanation: explanationOf(ctx, e),
    link: keptLink(ctx, keptOf(e)),
    deadlines: deadlines.get(i),
    // Files the reporter sent with a supplement or reply (stored on that event): how many, as "2 lampiran".
    files: filesNote(ctx, rows[i]!),
    tone:
      e.actor.role === 'reporter'
        ? 'reporter'
        : e.actor.role && !e.actor.role.startsWith('system:')
          ? 'agency'
          : 'system',
  }));
  const followUps = timeline.filter((_, i) => shown[i]!.type === 'respond');
  const d = report.deadline;
  const badge = d?.dueAt
    ? {
        state: roughDeadlineState(new Date(d.dueAt), svc.now()),
        dueLabel: formatDate(d.dueAt, ctx.lang),
        explanation: d.explanation,
        clockLabel: ctx.t(`web.clock.${d.clock}`),
      }
    : null;
  const handling = report.agency ?? report.targetAgency;
  const agencyName = handling ? (agencies.get(handling.id) ?? handling.name) : null;
  return { report, timeline, followUps, badge, agencyName };
}
