/**
 * The deadline sweeper: at a moment `at`, finds every action the clocks call for (reminders, overdue
 * marks, escalation-ladder steps, auto-closes, no-reply archives, Ombudsman offers) and performs them
 * through commands, each idempotent via sweep_log. `aduan sweep --at … --dry-run` prints the plan.
 */
import type { Services } from '../app/context.ts';
import { systemCaller } from '../app/context.ts';
import {
  addCalendarDays,
  addWorkingDays,
  formatIsoInZone,
  isWorkingDay,
  localDate,
  startOfLocalDay,
  workingDaysBetween,
  zoneForRegion,
  type WorkingCalendar,
} from '../domain/deadline/calendar.ts';
import { findRule } from '../domain/deadline/sla.ts';
import type { Classification, Role, ZoneName } from '../domain/report/report.ts';
import {
  calendarOf,
  clocksDueBefore,
  coordinatorFor,
  doneSweepKeys,
  openReportsCreatedBefore,
  slaRulesNow,
  storedLadder,
  sweptUntil,
  type DueWindow,
} from '../queries/sweep-candidates.ts';
import { saveSweepWatermark } from '../commands/save-sweep-watermark.ts';
import type { NotifyTarget } from '../commands/fan-out-event.ts';
import type { SweepStepInput } from '../commands/sweep-step.ts';
import { remindDeadline } from '../commands/remind-deadline.ts';
import { markOverdue } from '../commands/mark-overdue.ts';
import { escalateLadder } from '../commands/escalate-ladder.ts';
import { autoCloseReport } from '../commands/auto-close-report.ts';
import { archiveNoReply } from '../commands/archive-no-reply.ts';
import { offerOmbudsman } from '../commands/offer-ombudsman.ts';
import { runSweepStep } from '../commands/sweep-step.ts';

/** One rung of the escalation ladder: who hears about an overdue deadline, and after how long. */
export interface LadderStep {
  level: number;
  role: Role;
  /** agency: the agency holding the report (and its ancestors); region: its region's coordinator. */
  scope: 'agency' | 'region' | 'national';
  /** Working days past the due date before this rung is notified (0 = as soon as overdue). */
  afterWorkingDays: number;
}

/**
 * The default ladder (configurable as data in settings `sweep.ladder`): officer when overdue, the agency
 * admin after 2 working days, the region's coordinator (Diskominfo) after 5, the national admin after 10.
 */
export const DEFAULT_LADDER: LadderStep[] = [
  { level: 1, role: 'officer', scope: 'agency', afterWorkingDays: 0 },
  { level: 2, role: 'agency_admin', scope: 'agency', afterWorkingDays: 2 },
  { level: 3, role: 'coordinator', scope: 'region', afterWorkingDays: 5 },
  { level: 4, role: 'national_admin', scope: 'national', afterWorkingDays: 10 },
];

/** One planned action (a JSON line of `aduan sweep --dry-run`). */
export interface SweepAction {
  trackingId: string;
  action: 'reminder' | 'overdue' | 'escalate' | 'auto_close' | 'archive_no_reply' | 'ombudsman_offer';
  clock: string;
  ruleId: string;
  ruleVersion: number;
  dueAt: string;
  key: string;
  level?: number;
  workingDays?: number;
  notify?: NotifyTarget[];
  /** Result when performed. */
  result?: 'done' | 'skipped' | 'error';
  error?: string;
}

/** Clocks that staff hold (reminders, overdue, ladder). */
const STAFF_CLOCKS = new Set(['verification', 'follow_up', 'completion']);

function previousWorkingDay(date: string, cal: WorkingCalendar): string {
  let d = addCalendarDays(date, -1);
  for (let i = 0; i < 60 && !isWorkingDay(d, cal); i++) d = addCalendarDays(d, -1);
  return d;
}

/** The instant the reminder for a deadline becomes due: the start of the working day before the due date. */
export function reminderFrom(dueAt: Date, cal: WorkingCalendar): Date {
  return startOfLocalDay(previousWorkingDay(localDate(dueAt, cal.zone), cal), cal.zone);
}

const DAY = 86_400_000;

/** The instant `n` working days before `at` on the national calendar (weekends and national holidays). */
function workingDaysBack(at: Date, n: number, cal: WorkingCalendar): Date {
  let d = localDate(at, 'WIB');
  for (let left = n; left > 0;) {
    d = addCalendarDays(d, -1);
    if (isWorkingDay(d, cal)) left--;
  }
  return new Date(
    startOfLocalDay(d, 'WIB').getTime() +
      (at.getTime() - startOfLocalDay(localDate(at, 'WIB'), 'WIB').getTime()),
  );
}

/**
 * Due-time windows of the clocks that can have an action between `since` and `at`: reminders (due within
 * the next 12 days: the working day before can be that far back over Lebaran), overdue marks (due in
 * (since, at]), and each ladder step N (due N working days before (since, at]). Bounds use the national
 * calendar with a 3-day margin for regional holidays and zone offsets; planning still checks each clock
 * exactly, and sweep_log drops what was done, so a wider window costs time, never correctness.
 */
export function incrementalWindows(
  since: Date,
  at: Date,
  ladder: LadderStep[],
  national: WorkingCalendar,
): DueWindow[] {
  const margin = 3 * DAY;
  const out: DueWindow[] = [[new Date(since.getTime() - margin), new Date(at.getTime() + 12 * DAY)]];
  for (const step of ladder) {
    if (step.afterWorkingDays === 0) continue;
    out.push([
      new Date(workingDaysBack(since, step.afterWorkingDays, national).getTime() - margin),
      new Date(workingDaysBack(at, step.afterWorkingDays, national).getTime() + margin),
    ]);
  }
  return out;
}

/**
 * Plans every action a sweep would take at `at` (no writes). With `since` (the watermark of the last
 * complete sweep), only clocks and reports whose actions can fall in (since, at] are read: an incremental
 * sweep costs in proportion to what is due, not to the table size.
 */
export async function planSweep(
  svc: Services,
  at: Date,
  opts: { since?: Date } = {},
): Promise<SweepAction[]> {
  const ladder = ((await storedLadder(svc)) as LadderStep[] | null) ?? DEFAULT_LADDER;
  const rules = await slaRulesNow(svc);
  const since = opts.since && opts.since.getTime() < at.getTime() ? opts.since : undefined;
  const windows = since
    ? incrementalWindows(since, at, ladder, await calendarOf(svc, 'WIB', null))
    : undefined;
  const clocks = await clocksDueBefore(svc, new Date(at.getTime() + 21 * DAY), windows);
  const minEscalation = Math.min(
    ...rules.filter((r) => r.clock === 'escalation').map((r) => r.workingDays),
    Number.POSITIVE_INFINITY,
  );
  // Ombudsman offers: created at least `minEscalation` calendar days ago (working days are more); in an
  // incremental sweep, only reports that crossed a threshold since the watermark (≤ 2× calendar days + margin).
  const old = Number.isFinite(minEscalation)
    ? await openReportsCreatedBefore(
        svc,
        new Date(at.getTime() - minEscalation * DAY),
        since ? new Date(since.getTime() - (minEscalation * 2 + 30) * DAY) : undefined,
      )
    : [];
  const done = await doneSweepKeys(svc, [
    ...new Set([...clocks.map((c) => c.reportId), ...old.map((o) => o.reportId)]),
  ]);
  const cals = new Map<string, WorkingCalendar>();
  const cal = async (zone: ZoneName | null, agencyRegion: string | null, regionCode: string | null) => {
    const z = zone ?? (regionCode ? zoneForRegion(regionCode) : 'WIB');
    const region = agencyRegion ?? regionCode;
    const k = `${z}|${region}`;
    if (!cals.has(k)) cals.set(k, await calendarOf(svc, z, region));
    return cals.get(k)!;
  };
  const coordinators = new Map<string, string | null>();
  const out: SweepAction[] = [];
  const push = (a: SweepAction) => {
    if (!done.has(a.key)) out.push(a);
  };

  for (const c of clocks) {
    const k = await cal(c.zone, c.agencyRegion, c.regionCode);
    const base = {
      trackingId: c.trackingId,
      clock: c.clock,
      ruleId: c.ruleId,
      ruleVersion: c.ruleVersion,
      dueAt: formatIsoInZone(c.dueAt, k.zone),
    };
    const holder = c.clock === 'verification' ? c.targetAgencyId : c.agencyId;
    const targetsFor = async (step: LadderStep): Promise<NotifyTarget[]> => {
      if (step.scope === 'national' || !holder) return [{ role: 'national_admin', agencyId: null }];
      if (step.scope === 'region') {
        if (!coordinators.has(holder)) coordinators.set(holder, await coordinatorFor(svc, holder));
        const coord = coordinators.get(holder)!;
        return coord
          ? [{ role: 'coordinator', agencyId: coord }]
          : [{ role: 'national_admin', agencyId: null }];
      }
      if (c.clock === 'verification') return [{ role: 'agency_admin', agencyId: holder }];
      return [{ role: step.role, agencyId: holder }];
    };
    if (STAFF_CLOCKS.has(c.clock)) {
      if (at.getTime() <= c.dueAt.getTime()) {
        if (at.getTime() >= reminderFrom(c.dueAt, k).getTime()) {
          const notify =
            c.clock === 'verification'
              ? holder
                ? [{ role: 'agency_admin', agencyId: holder }]
                : [{ role: 'national_admin', agencyId: null }]
              : [
                  { role: 'officer', agencyId: holder },
                  { role: 'agency_admin', agencyId: holder },
                ];
          push({ ...base, action: 'reminder', key: `reminder:${c.deadlineId}`, notify });
        }
        continue;
      }
      const late = workingDaysBetween(c.dueAt, at, k);
      for (const step of [...ladder].sort((a, b) => a.level - b.level)) {
        if (late < step.afterWorkingDays) continue;
        const notify = await targetsFor(step);
        if (step.level === 1)
          push({ ...base, action: 'overdue', key: `overdue:${c.deadlineId}`, level: 1, notify });
        else
          push({
            ...base,
            action: 'escalate',
            key: `ladder:${c.deadlineId}:${step.level}`,
            level: step.level,
            notify,
          });
      }
    } else if (at.getTime() > c.dueAt.getTime()) {
      if (c.clock === 'reporter_window' && c.status === 'responded')
        push({ ...base, action: 'auto_close', key: `auto_close:${c.deadlineId}` });
      if (c.clock === 'hold_reply' && c.status === 'on_hold')
        push({ ...base, action: 'archive_no_reply', key: `archive_no_reply:${c.deadlineId}` });
    }
  }

  for (const r of old) {
    const k = await cal(r.zone, r.agencyRegion, r.regionCode);
    const rule = findRule(rules, 'escalation', {
      classification: r.classification as Classification,
      supervisory: r.supervisory,
      at: r.createdAt,
      zone: k.zone,
    });
    if (!rule || workingDaysBetween(r.createdAt, at, k) < rule.workingDays) continue;
    push({
      trackingId: r.trackingId,
      action: 'ombudsman_offer',
      clock: 'escalation',
      ruleId: rule.id,
      ruleVersion: rule.version,
      dueAt: formatIsoInZone(addWorkingDays(r.createdAt, rule.workingDays, k).dueAt, k.zone),
      key: `ombudsman_offer:${r.reportId}`,
      workingDays: rule.workingDays,
    });
  }
  return out;
}

function stepInput(a: SweepAction, deadlineId: number | undefined): SweepStepInput {
  return {
    key: a.key,
    deadlineId,
    clock: a.clock,
    dueAt: a.dueAt,
    dueDate: a.dueAt.slice(0, 10),
    ruleId: a.ruleId,
    ruleVersion: a.ruleVersion,
    agencyId: a.notify?.[0]?.agencyId ?? null,
    level: a.level,
    workingDays: a.workingDays,
    notify: a.notify,
  };
}

/** Performs one planned action through its command (exported for bench/sweep.ts). */
export async function perform(svc: Services, a: SweepAction): Promise<'done' | 'skipped'> {
  const m = /^[a-z_]+:(\d+)/.exec(a.key);
  const deadlineId = a.action === 'ombudsman_offer' || !m ? undefined : Number(m[1]);
  const input = stepInput(a, deadlineId);
  switch (a.action) {
    case 'reminder':
      return runSweepStep(() => remindDeadline(svc, a.trackingId, input));
    case 'overdue':
      return runSweepStep(() => markOverdue(svc, a.trackingId, input));
    case 'escalate':
      return runSweepStep(() => escalateLadder(svc, a.trackingId, input));
    case 'auto_close':
      return runSweepStep(() => autoCloseReport(svc, systemCaller('sweeper'), a.trackingId, input));
    case 'archive_no_reply':
      return runSweepStep(() => archiveNoReply(svc, a.trackingId, input));
    case 'ombudsman_offer':
      return runSweepStep(() => offerOmbudsman(svc, a.trackingId, { ...input, agencyId: null }));
  }
}

/**
 * Plans the sweep at `at` and, unless `dryRun`, performs each action (in order; a failing action is
 * reported and the others continue). Services.now should equal `at` when performing.
 */
export async function runSweep(
  svc: Services,
  at: Date,
  opts: { dryRun: boolean; incremental?: boolean },
): Promise<SweepAction[]> {
  const since = opts.incremental ? await sweptUntil(svc) : null;
  const actions = await planSweep(svc, at, since ? { since } : {});
  if (opts.dryRun) return actions;
  for (const a of actions) {
    try {
      a.result = await perform(svc, a);
    } catch (e) {
      a.result = 'error';
      a.error = (e as Error).message;
    }
  }
  // Advance the watermark only when every action succeeded (failures are retried by the next sweep).
  if (actions.every((a) => a.result !== 'error')) await saveSweepWatermark(svc, at);
  return actions;
}
