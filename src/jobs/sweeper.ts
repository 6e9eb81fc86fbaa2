/**
 * The deadline sweeper: at a moment `at`, finds every action the clocks call for (reminders, overdue
 * marks, escalation-ladder steps, auto-closes, no-reply archives, Ombudsman offers) and performs them
 * through commands, each idempotent via sweep_log. `aduan sweep --at … --dry-run` prints the plan.
 */
import { purgeExpiredIdempotencyKeys } from '../commands/submit-report.ts';
import { createHash } from 'node:crypto';
import type { Services } from '../app/context.ts';
import { systemCaller } from '../app/context.ts';
import {
  addCalendarDays,
  formatIsoInZone,
  isWorkingDay,
  localDate,
  makeCalendar,
  reminderHorizon,
  startOfLocalDay,
  workingDaysCutoff,
  zoneForRegion,
  type Holiday,
  type WorkingCalendar,
} from '../domain/deadline/calendar.ts';
import {
  addRuleDays,
  clockRuleRegion,
  dayUnitOf,
  findRule,
  ruleDeadlinePassedCutoff,
  type DayUnit,
  type SlaRule,
} from '../domain/deadline/sla.ts';
import type { Classification, Role, ZoneName } from '../domain/report/report.ts';
import {
  coordinatorFor,
  dueClockActions,
  holidaysNow,
  ombudsmanCandidates,
  slaRulesNow,
  storedLadder,
  sweepWatermark,
  type ClockCut,
} from '../queries/sweep-candidates.ts';
import { saveSweepWatermark } from '../commands/save-sweep-watermark.ts';
import { regionCoordinatorAgencies, type NotifyTarget } from '../commands/fan-out-event.ts';
import type { SweepStepInput } from '../commands/sweep-step.ts';
import { remindDeadline } from '../commands/remind-deadline.ts';
import { markOverdue } from '../commands/mark-overdue.ts';
import { escalateLadder } from '../commands/escalate-ladder.ts';
import { autoCloseReport } from '../commands/auto-close-report.ts';
import { archiveNoReply } from '../commands/archive-no-reply.ts';
import { offerOmbudsman } from '../commands/offer-ombudsman.ts';
import { runSweepStep, sweepNotes } from '../commands/sweep-step.ts';

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
  /** Ombudsman offer: the escalation rule's length, in working days or (`calendarDays`) calendar days. */
  workingDays?: number;
  calendarDays?: number;
  notify?: NotifyTarget[];
  /** Result when performed. */
  result?: 'done' | 'skipped' | 'error';
  error?: string;
}

/** Clocks that staff hold (reminders, overdue, ladder). */
const STAFF_CLOCKS = ['verification', 'follow_up', 'completion'] as const;
const ZONES: readonly ZoneName[] = ['WIB', 'WITA', 'WIT'];

/** The instant the reminder for a deadline becomes due: the start of the working day before the due date. */
export function reminderFrom(dueAt: Date, cal: WorkingCalendar): Date {
  let d = addCalendarDays(localDate(dueAt, cal.zone), -1);
  for (let i = 0; i < 60 && !isWorkingDay(d, cal); i++) d = addCalendarDays(d, -1);
  return startOfLocalDay(d, cal.zone);
}

/**
 * The working calendars a sweep can meet and their cut-off instants, computed once per calendar (not per
 * clock). A calendar is a zone plus the regional holidays covering a region; regions without their own
 * holidays share the zone's national calendar, so there are at most 3 × (regional holiday regions + 1).
 */
class SweepCalendars {
  private readonly prefixes: Set<string>;
  private readonly cals = new Map<string, WorkingCalendar>();
  private readonly memo = new Map<string, number>();
  private readonly classOfRegion = new Map<string, string>();

  constructor(private readonly holidays: readonly Holiday[]) {
    this.prefixes = new Set(
      holidays.filter((h) => h.kind === 'regional' && h.regionCode).map((h) => h.regionCode!.trim()),
    );
  }

  /** The regional class of a region: its deepest ancestor (or itself) with regional holidays, or ''. */
  private classOf(region: string | null): string {
    if (!region || this.prefixes.size === 0) return '';
    let c = this.classOfRegion.get(region);
    if (c === undefined) {
      c = '';
      const parts = region.trim().split('.');
      for (let n = parts.length; n > 0; n--) {
        const p = parts.slice(0, n).join('.');
        if (this.prefixes.has(p)) {
          c = p;
          break;
        }
      }
      this.classOfRegion.set(region, c);
    }
    return c;
  }

  /** Every calendar of a zone (national, and one per region with regional holidays). */
  zoneCalendars(zone: ZoneName): WorkingCalendar[] {
    return ['', ...this.prefixes].map((p) => this.get(zone, p));
  }

  private get(zone: ZoneName, cls: string): WorkingCalendar {
    const k = `${zone}|${cls}`;
    let cal = this.cals.get(k);
    if (!cal) this.cals.set(k, (cal = makeCalendar(zone, this.holidays, cls || undefined)));
    return cal;
  }

  /** The calendar of a clock or report: its agency's zone and region, else its own region's. */
  of(zone: ZoneName | null, agencyRegion: string | null, regionCode: string | null): WorkingCalendar {
    const z = zone ?? (regionCode ? zoneForRegion(regionCode) : 'WIB');
    return this.get(z, this.classOf(agencyRegion ?? regionCode));
  }

  private cached(cal: WorkingCalendar, what: string, fn: () => Date): number {
    const k = `${cal.zone}|${cal.regionCode ?? ''}|${what}`;
    let v = this.memo.get(k);
    if (v === undefined) this.memo.set(k, (v = fn().getTime()));
    return v;
  }

  /** `workingDaysBetween(x, at, cal) >= n` ⟺ `x < lateBefore(cal, at, n)`. */
  lateBefore(cal: WorkingCalendar, at: Date, n: number): number {
    return this.cached(cal, `late|${at.getTime()}|${n}`, () => workingDaysCutoff(at, n, cal));
  }

  /**
   * `addRuleDays({n, unit}, x, cal).dueAt < at` ⟺ `x < passedBefore(cal, at, n, unit)` (working days: one
   * working day after lateBefore).
   */
  passedBefore(cal: WorkingCalendar, at: Date, n: number, unit: DayUnit): number {
    return this.cached(cal, `passed|${unit}|${at.getTime()}|${n}`, () =>
      ruleDeadlinePassedCutoff({ workingDays: n, dayUnit: unit }, at, cal),
    );
  }

  /** A deadline `dueAt ≥ at` owes its reminder at `at` ⟺ `dueAt ≤ reminderUntil(cal, at)`. */
  reminderUntil(cal: WorkingCalendar, at: Date): number {
    return this.cached(cal, `remind|${at.getTime()}`, () => reminderHorizon(at, cal));
  }

  /** Extremes over the calendars of a zone (SQL bounds must hold for every calendar of the zone). */
  zoneMax(zone: ZoneName, f: (cal: WorkingCalendar) => number): number {
    return Math.max(...this.zoneCalendars(zone).map(f));
  }
  zoneMin(zone: ZoneName, f: (cal: WorkingCalendar) => number): number {
    return Math.min(...this.zoneCalendars(zone).map(f));
  }
}

/** What a sweep plans with: the ladder, the SLA rules and the holidays, and their fingerprint. */
export interface SweepConfig {
  ladder: LadderStep[];
  rules: SlaRule[];
  holidays: Holiday[];
  /** sha256 over the three (order-independent); stored with the watermark. */
  fingerprint: string;
}

const canonical = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Loads the sweep configuration and fingerprints it. */
export async function loadSweepConfig(svc: Services): Promise<SweepConfig> {
  const ladder = [...(((await storedLadder(svc)) as LadderStep[] | null) ?? DEFAULT_LADDER)].sort(
    (a, b) => a.level - b.level,
  );
  const rules = await slaRulesNow(svc);
  const holidays = await holidaysNow(svc);
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        ladder: canonical(ladder),
        rules: canonical(rules),
        holidays: canonical(holidays),
      }),
    )
    .digest('hex');
  return { ladder, rules, holidays, fingerprint };
}

/** An action code of a clock (see ClockCut.code) → what it means. */
function decode(code: string): { action: SweepAction['action']; level?: number } {
  if (code.startsWith('ladder:')) return { action: 'escalate', level: Number(code.slice(7)) };
  if (code === 'overdue') return { action: 'overdue', level: 1 };
  return { action: code as SweepAction['action'] };
}

/**
 * Plans every action a sweep would take at `at` (no writes).
 *
 * Working-day arithmetic runs once per calendar, not per clock: for each zone's calendars the sweep computes
 * the cut-off due instants (a clock is n working days late ⟺ `due_at < cutoff(n)`; it owes its reminder ⟺
 * `at ≤ due_at ≤ end of the next working day`), and PostgreSQL selects the clocks inside those windows and
 * drops the steps already in sweep_log. Clocks of regions with regional holidays are checked again
 * against their own calendar (the SQL bound is the widest of the zone).
 *
 * With `since` (the watermark of the last complete sweep), each window starts where it stood at `since`:
 * only clocks that crossed a threshold in (since, at], or that started after `since`, are read, so an
 * incremental sweep costs in proportion to what is due, not to the table size.
 */
export async function planSweep(
  svc: Services,
  at: Date,
  opts: { since?: Date; config?: SweepConfig } = {},
): Promise<SweepAction[]> {
  const { ladder, rules, holidays } = opts.config ?? (await loadSweepConfig(svc));
  const cals = new SweepCalendars(holidays);
  const since = opts.since && opts.since.getTime() < at.getTime() ? opts.since : undefined;

  // Cut windows per zone: [lower, upper) of due_at for each action. Upper bounds use `at`, lower bounds
  // (incremental only) the same thresholds at `since`.
  const cuts: ClockCut[] = [];
  for (const zone of ZONES) {
    const max = (f: (c: WorkingCalendar) => number) => new Date(cals.zoneMax(zone, f));
    const min = (f: (c: WorkingCalendar) => number) => new Date(cals.zoneMin(zone, f));
    cuts.push({
      zone,
      code: 'reminder',
      ord: 0,
      clocks: STAFF_CLOCKS,
      status: null,
      from: since
        ? new Date(
            Math.max(
              at.getTime(),
              cals.zoneMin(zone, (c) => cals.reminderUntil(c, since)),
            ),
          )
        : at,
      until: new Date(max((c) => cals.reminderUntil(c, at)).getTime() + 1),
      keyPrefix: 'reminder:',
      keySuffix: '',
    });
    for (const step of ladder) {
      cuts.push({
        zone,
        code: step.level === 1 ? 'overdue' : `ladder:${step.level}`,
        ord: step.level,
        clocks: STAFF_CLOCKS,
        status: null,
        from: since ? min((c) => cals.lateBefore(c, since, step.afterWorkingDays)) : null,
        until: max((c) => cals.lateBefore(c, at, step.afterWorkingDays)),
        keyPrefix: step.level === 1 ? 'overdue:' : 'ladder:',
        keySuffix: step.level === 1 ? '' : `:${step.level}`,
      });
    }
    for (const [code, clock, status] of [
      ['auto_close', 'reporter_window', 'responded'],
      ['archive_no_reply', 'hold_reply', 'on_hold'],
    ] as const) {
      cuts.push({
        zone,
        code,
        ord: 1000 + cuts.length,
        clocks: [clock],
        status,
        from: since ?? null,
        until: at,
        keyPrefix: `${code}:`,
        keySuffix: '',
      });
    }
  }
  const clocks = await dueClockActions(svc, cuts, since ? { startedSince: since } : {});

  // The loop below runs once per owed clock (≈ 86,000 on a never-swept 1M database): no per-clock closures
  // or string-keyed memo lookups; cut-offs are cached per calendar and level, and the notify lists are
  // shared (frozen) between the actions that address the same targets.
  const coordinators = new Map<string, string | null>();
  const byLevel = new Map(ladder.map((s) => [s.level, s]));
  const calCuts = new Map<WorkingCalendar, { remind: number; late: Map<number, number> }>();
  const cutsOf = (k: WorkingCalendar) => {
    let v = calCuts.get(k);
    if (!v) {
      v = { remind: cals.reminderUntil(k, at), late: new Map() };
      for (const step of ladder) v.late.set(step.level, cals.lateBefore(k, at, step.afterWorkingDays));
      calCuts.set(k, v);
    }
    return v;
  };
  const targets = new Map<string, readonly NotifyTarget[]>();
  const shared = (key: string, make: () => NotifyTarget[]): NotifyTarget[] => {
    let v = targets.get(key);
    if (!v) targets.set(key, (v = Object.freeze(make().map((t) => Object.freeze(t)))));
    return v as NotifyTarget[];
  };
  const national = (): NotifyTarget[] => [{ role: 'national_admin', agencyId: null }];
  // A verification clock without a target agency sits in the verify queue of the report's region: its
  // coordinators (Diskominfo of the kab/kota and of the province, as for the submission, fan-out-event.ts),
  // else (no region, or no coordinator there) the national admins.
  const regionCoords = new Map<string, string[]>();
  const regionVerifiers = async (regionCode: string | null): Promise<NotifyTarget[]> => {
    const code = regionCode ?? '';
    let ids = regionCoords.get(code);
    if (!ids) regionCoords.set(code, (ids = await regionCoordinatorAgencies(svc.db, regionCode)));
    return ids.length
      ? shared(`coordinators|${ids.join(',')}`, () =>
          ids.map((agencyId) => ({ role: 'coordinator', agencyId })),
        )
      : shared('national', national);
  };
  const targetsFor = async (
    step: LadderStep,
    holder: string | null,
    verification: boolean,
    regionCode: string | null,
  ): Promise<NotifyTarget[]> => {
    if (step.scope === 'national') return shared('national', national);
    if (!holder) return verification ? regionVerifiers(regionCode) : shared('national', national);
    if (step.scope === 'region') {
      if (!coordinators.has(holder)) coordinators.set(holder, await coordinatorFor(svc, holder));
      const coord = coordinators.get(holder)!;
      return coord
        ? shared(`coordinator|${coord}`, () => [{ role: 'coordinator', agencyId: coord }])
        : shared('national', national);
    }
    const role = verification ? 'agency_admin' : step.role;
    return shared(`${role}|${holder}`, () => [{ role, agencyId: holder }]);
  };
  const out: SweepAction[] = [];
  for (const c of clocks) {
    const k = cals.of(c.zone, c.agencyRegion, c.regionCode);
    const cut = cutsOf(k);
    const dueAt = formatIsoInZone(c.dueAt, k.zone);
    const verification = c.clock === 'verification';
    const holder = verification ? c.targetAgencyId : c.agencyId;
    const due = c.dueAt.getTime();
    for (const code of c.codes) {
      const { action, level } = decode(code);
      if (action === 'reminder') {
        // Exact check against this clock's own calendar (the SQL bound is the widest of its zone).
        if (due > cut.remind) continue;
        const notify = verification
          ? holder
            ? shared(`agency_admin|${holder}`, () => [{ role: 'agency_admin', agencyId: holder }])
            : await regionVerifiers(c.regionCode)
          : shared(`reminder|${holder}`, () => [
              { role: 'officer', agencyId: holder },
              { role: 'agency_admin', agencyId: holder },
            ]);
        out.push({
          trackingId: c.trackingId,
          action,
          clock: c.clock,
          ruleId: c.ruleId,
          ruleVersion: c.ruleVersion,
          dueAt,
          key: `reminder:${c.deadlineId}`,
          notify,
        });
      } else if (action === 'overdue' || action === 'escalate') {
        const step = byLevel.get(level!);
        if (!step || due >= cut.late.get(step.level)!) continue;
        out.push({
          trackingId: c.trackingId,
          action,
          clock: c.clock,
          ruleId: c.ruleId,
          ruleVersion: c.ruleVersion,
          dueAt,
          key: level === 1 ? `overdue:${c.deadlineId}` : `ladder:${c.deadlineId}:${level}`,
          level,
          notify: await targetsFor(step, holder, verification, c.regionCode),
        });
      } else {
        out.push({
          trackingId: c.trackingId,
          action,
          clock: c.clock,
          ruleId: c.ruleId,
          ruleVersion: c.ruleVersion,
          dueAt,
          key: `${action}:${c.deadlineId}`,
        });
      }
    }
  }

  // Ombudsman offers: open reports whose escalation deadline (the end of the n-th working or calendar day
  // after submission, n and the unit from the escalation rule that applies to the report) is over; n = 0
  // offers at once. SQL bounds use the widest of the rule lengths; the exact rule is checked per report below.
  const escalationDays = [
    ...new Map(
      rules
        .filter((r) => r.clock === 'escalation')
        .map((r) => {
          const n = Math.max(0, r.workingDays);
          const unit = dayUnitOf(r);
          return [`${n}|${unit}`, { n, unit }] as const;
        }),
    ).values(),
  ];
  if (escalationDays.length) {
    const before = Object.fromEntries(
      ZONES.map((z) => [
        z,
        escalationDays.some((d) => d.n === 0)
          ? new Date(at.getTime() + 1)
          : new Date(
              Math.max(
                ...escalationDays.map((d) => cals.zoneMax(z, (c) => cals.passedBefore(c, at, d.n, d.unit))),
              ),
            ),
      ]),
    ) as Record<ZoneName, Date>;
    // Incremental: only reports whose deadline passed in (since, at] (a 0-day rule: created in it).
    const ranges = since
      ? escalationDays.map(({ n, unit }) =>
          n === 0
            ? ([new Date(since.getTime() + 1), new Date(at.getTime() + 1)] as const)
            : ([
                new Date(
                  Math.min(...ZONES.map((z) => cals.zoneMin(z, (c) => cals.passedBefore(c, since, n, unit)))),
                ),
                new Date(
                  Math.max(...ZONES.map((z) => cals.zoneMax(z, (c) => cals.passedBefore(c, at, n, unit)))),
                ),
              ] as const),
        )
      : undefined;
    const old = await ombudsmanCandidates(svc, before, ranges);
    const ruleMemo = new Map<string, ReturnType<typeof findRule>>();
    // A report this plan closes (auto-close after the reporter's silence, archive after an unanswered question) gets
    // no offer: "not resolved yet, you may ask for the Ombudsman" about a report just completed would be wrong, and
    // the step would be skipped when performed (offerOmbudsman re-checks the status), so the dry run would list it.
    const closing = new Set(
      out
        .filter((a) => a.action === 'auto_close' || a.action === 'archive_no_reply')
        .map((a) => a.trackingId),
    );
    for (const r of old) {
      if (closing.has(r.trackingId)) continue;
      const k = cals.of(r.zone, r.agencyRegion, r.regionCode);
      // An agency clock: an instansi vertikal holding the report follows the national rules.
      const ruleRegion = clockRuleRegion('escalation', r.regionCode, r.agencyCentral);
      const mk = `${r.classification}|${r.supervisory}|${k.zone}|${ruleRegion ?? ''}|${localDate(r.createdAt, k.zone)}`;
      if (!ruleMemo.has(mk))
        ruleMemo.set(
          mk,
          findRule(rules, 'escalation', {
            classification: r.classification as Classification,
            supervisory: r.supervisory,
            at: r.createdAt,
            zone: k.zone,
            regionCode: ruleRegion,
          }),
        );
      const rule = ruleMemo.get(mk);
      if (!rule) continue;
      const unit = dayUnitOf(rule);
      if (rule.workingDays > 0 && r.createdAt.getTime() >= cals.passedBefore(k, at, rule.workingDays, unit))
        continue;
      out.push({
        trackingId: r.trackingId,
        action: 'ombudsman_offer',
        clock: 'escalation',
        ruleId: rule.id,
        ruleVersion: rule.version,
        dueAt: formatIsoInZone(addRuleDays(rule, r.createdAt, k).dueAt, k.zone),
        key: `ombudsman_offer:${r.reportId}`,
        ...(unit === 'calendar' ? { calendarDays: rule.workingDays } : { workingDays: rule.workingDays }),
      });
    }
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
    calendarDays: a.calendarDays,
    notify: a.notify,
  };
}

/** Performs one planned action through its command (exported for bench/sweep.ts). */
export async function perform(svc: Services, a: SweepAction): Promise<'done' | 'skipped'> {
  const input = stepInput(a, deadlineOf(a));
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

/** Actions that are internal notes about one deadline: performed together per deadline in one transaction. */
const NOTE_TYPES: Partial<Record<SweepAction['action'], string>> = {
  reminder: 'reminder',
  overdue: 'overdue',
  escalate: 'escalate_ladder',
};

const deadlineOf = (a: SweepAction) => {
  const m = /^[a-z_]+:(\d+)/.exec(a.key);
  return a.action === 'ombudsman_offer' || !m ? undefined : Number(m[1]);
};

/**
 * Performs planned actions in order, each through its command; consecutive internal notes about the same
 * deadline (its overdue mark and the ladder steps it crossed) go through one transaction (`sweepNotes`).
 * Sets `result` (and `error`) on each action; a failing action does not stop the others.
 * Exported for bench/sweep.ts.
 */
export async function performAll(svc: Services, actions: readonly SweepAction[]): Promise<void> {
  for (let i = 0; i < actions.length;) {
    const a = actions[i]!;
    let j = i + 1;
    if (NOTE_TYPES[a.action]) {
      while (
        j < actions.length &&
        NOTE_TYPES[actions[j]!.action] &&
        actions[j]!.trackingId === a.trackingId &&
        deadlineOf(actions[j]!) === deadlineOf(a)
      )
        j++;
    }
    const group = actions.slice(i, j);
    try {
      if (group.length === 1) a.result = await perform(svc, a);
      else {
        const results = await sweepNotes(
          svc,
          a.trackingId,
          group.map((g) => ({ type: NOTE_TYPES[g.action]!, input: stepInput(g, deadlineOf(g)) })),
        );
        group.forEach((g, n) => (g.result = results[n]));
      }
    } catch (e) {
      for (const g of group) {
        g.result = 'error';
        g.error = (e as Error).message;
      }
    }
    i = j;
  }
}

/**
 * Plans the sweep at `at` and, unless `dryRun`, performs each action (in order; a failing action is
 * reported and the others continue). Services.now should equal `at` when performing.
 *
 * `incremental` starts from the watermark, unless the holidays, SLA rules or ladder differ from those the
 * watermark's sweep used (fingerprint): an edit can make clocks owe steps whose thresholds the incremental
 * windows have already passed, so such a sweep is full.
 */
export async function runSweep(
  svc: Services,
  at: Date,
  opts: { dryRun: boolean; incremental?: boolean },
): Promise<SweepAction[]> {
  const config = await loadSweepConfig(svc);
  const mark = opts.incremental ? await sweepWatermark(svc) : null;
  const since = mark && mark.config === config.fingerprint ? mark.at : null;
  const actions = await planSweep(svc, at, since ? { since, config } : { config });
  if (opts.dryRun) return actions;
  await performAll(svc, actions);
  // Idempotency keys of report intake are remembered for a day (ADR 0014); older ones are only clutter.
  await purgeExpiredIdempotencyKeys(svc, at);
  // Advance the watermark only when every action succeeded (failures are retried by the next sweep).
  if (actions.every((a) => a.result !== 'error')) await saveSweepWatermark(svc, at, config.fingerprint);
  return actions;
}
