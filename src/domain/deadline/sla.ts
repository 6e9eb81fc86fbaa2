/**
 * Versioned SLA rules and deadline computation.
 *
 * PermenPANRB 5/2025 replaced PermenPANRB 62/2018 and its text has not been obtained, so every
 * limit here is a configurable, versioned default with an effective date (docs/domain.md §0, §5.4).
 * Pure module: no I/O, no clock.
 */
import { CLASSIFICATIONS, type Classification, type ZoneName } from '../report/report.ts';
import {
  addCalendarDayCount,
  addWorkingDays,
  calendarDaysPassedCutoff,
  deadlinePassedCutoff,
  formatIsoInZone,
  isIsoDate,
  localDate,
  workingDaysBetween,
  zoneForRegion,
  type Holiday,
  type SkippedDay,
  type WorkingCalendar,
  type WorkingDaysResult,
} from './calendar.ts';

/** The SLA clocks aduan runs (domain.md §5.4). */
export const SLA_CLOCKS = [
  'verification',
  'follow_up',
  'reporter_window',
  'completion',
  'hold_reply',
  'escalation',
] as const;

/**
 * One SLA clock: verification, agency follow-up, reporter reply window (auto-close), resolution,
 * reply to a hold, or Ombudsman escalation.
 * Why: each limit in domain.md §5.4 starts and stops on different events.
 */
export type SlaClock = (typeof SLA_CLOCKS)[number];

/** How a rule counts its days: hari kerja (the default), or calendar days. */
export const DAY_UNITS = ['working', 'calendar'] as const;

/**
 * The unit of a rule's limit: `working` days (Monday–Friday minus holidays and cuti bersama) or `calendar`
 * days (every day counts).
 * Why: most limits are in hari kerja (PermenPANRB 62/2018), but the Ombudsman takeover is 60 days
 * (domain.md §5.4).
 */
export type DayUnit = (typeof DAY_UNITS)[number];

/**
 * A time limit for one clock, in working or calendar days, optionally narrowed to a classification and to
 * pengaduan berkadar pengawasan, with a version and an effective date.
 * Why: limits come from regulations that change (PermenPANRB 62/2018 → 5/2025), so deadlines must
 * record which rule version produced them (domain.md "SLAs are configuration, not code").
 */
export interface SlaRule {
  id: string;
  version: number;
  clock: SlaClock;
  /** null = applies to every classification. */
  classification: Classification | null;
  /** Pengaduan berkadar pengawasan (true) or not (false); null/undefined = either. */
  supervisory?: boolean | null;
  /** Length of the limit, counted in {@link SlaRule.dayUnit} (the name predates calendar-day rules). */
  workingDays: number;
  /** `working` (default when absent) or `calendar` days. */
  dayUnit?: DayUnit;
  /** Regulation citation shown in explanations. */
  basis: string;
  /** First local date (`YYYY-MM-DD`, WIB unless told otherwise) the rule applies. */
  validFrom: string;
  /**
   * The region whose regulation (Pergub, Perwali, Perbup) sets the rule: a Kemendagri code such as `64` or `64.71`;
   * null/undefined = national. It applies to reports in that region and below (docs/adr/0013-regional-sla-rules.md).
   */
  regionCode?: string | null;
}

const V1 = { version: 1, validFrom: '2018-01-01', dayUnit: 'working' } as const;

/**
 * The first day of the escalation rule's version 2 (60 calendar days). Reports filed before it keep version 1
 * (60 working days), under which their escalation deadline was announced.
 */
export const ESCALATION_CALENDAR_DAYS_FROM = '2026-12-01';

/**
 * The built-in SLA rules (version 1, valid from 2018-01-01, the pre-2025 defaults; escalation version 2 from
 * {@link ESCALATION_CALENDAR_DAYS_FROM}).
 * Why: PermenPANRB 62/2018 sets 3 HK verification, 5 HK follow-up and the 10 HK reply window
 * (domain.md §5.1, §5.4); its time classes give 14 HK for pengaduan, 60 HK for pengaduan berkadar
 * pengawasan (cf. the 60-day maximum of Perpres 76/2013) and 5 HK for aspirasi and permintaan
 * informasi; the Ombudsman may take over after 60 days unresolved: calendar days (version 1 counted
 * working days, about 87 calendar days, by mistake). Operators can add newer versions once
 * PermenPANRB 5/2025 is known.
 */
export const DEFAULT_SLA_RULES: SlaRule[] = [
  {
    id: 'verification',
    ...V1,
    clock: 'verification',
    classification: null,
    workingDays: 3,
    basis: 'PermenPANRB 62/2018',
  },
  {
    id: 'follow_up',
    ...V1,
    clock: 'follow_up',
    classification: null,
    workingDays: 5,
    basis: 'PermenPANRB 62/2018',
  },
  {
    id: 'reporter_window',
    ...V1,
    clock: 'reporter_window',
    classification: null,
    workingDays: 10,
    basis: 'PermenPANRB 62/2018',
  },
  {
    id: 'completion.pengaduan',
    ...V1,
    clock: 'completion',
    classification: 'pengaduan',
    supervisory: false,
    workingDays: 14,
    basis: 'PermenPANRB 62/2018',
  },
  {
    id: 'completion.pengaduan.pengawasan',
    ...V1,
    clock: 'completion',
    classification: 'pengaduan',
    supervisory: true,
    workingDays: 60,
    basis: 'PermenPANRB 62/2018; Perpres 76/2013',
  },
  {
    id: 'completion.aspirasi',
    ...V1,
    clock: 'completion',
    classification: 'aspirasi',
    workingDays: 5,
    basis: 'PermenPANRB 62/2018',
  },
  {
    id: 'completion.permintaan_informasi',
    ...V1,
    clock: 'completion',
    classification: 'permintaan_informasi',
    workingDays: 5,
    basis: 'PermenPANRB 62/2018',
  },
  {
    id: 'hold_reply',
    ...V1,
    clock: 'hold_reply',
    classification: null,
    workingDays: 10,
    basis: 'Ketentuan bawaan aduan (bukan dari peraturan)',
  },
  {
    id: 'escalation',
    ...V1,
    clock: 'escalation',
    classification: null,
    workingDays: 60,
    basis: 'Perpres 76/2013 (penyelesaian paling lama 60 hari); pengalihan ke Ombudsman RI',
  },
  {
    id: 'escalation',
    version: 2,
    validFrom: ESCALATION_CALENDAR_DAYS_FROM,
    dayUnit: 'calendar',
    clock: 'escalation',
    classification: null,
    workingDays: 60,
    basis: 'Perpres 76/2013 (penyelesaian paling lama 60 hari); pengalihan ke Ombudsman RI',
  },
];

/** The unit a rule counts in (`working` when the rule does not say). */
export function dayUnitOf(rule: Pick<SlaRule, 'dayUnit'>): DayUnit {
  return rule.dayUnit ?? 'working';
}

/**
 * The deadline of a rule's limit counted from `start`: {@link addWorkingDays} for working-day rules,
 * {@link addCalendarDayCount} for calendar-day rules (both end at 23:59:59.999 local of the last day).
 * Why: one place decides how a rule's days are counted, for stored clocks and for the Ombudsman offer alike.
 */
export function addRuleDays(
  rule: Pick<SlaRule, 'workingDays' | 'dayUnit'>,
  start: Date,
  cal: WorkingCalendar,
): WorkingDaysResult {
  return dayUnitOf(rule) === 'calendar'
    ? addCalendarDayCount(start, rule.workingDays, cal)
    : addWorkingDays(start, rule.workingDays, cal);
}

/**
 * `addRuleDays(rule, start, cal).dueAt < at` ⟺ `start < ruleDeadlinePassedCutoff(rule, at, cal)`.
 * Why: the sweeper selects reports whose escalation deadline has passed with one cut-off per calendar and rule
 * length (docs/worker.md §4), in the rule's own unit.
 */
export function ruleDeadlinePassedCutoff(
  rule: Pick<SlaRule, 'workingDays' | 'dayUnit'>,
  at: Date,
  cal: WorkingCalendar,
): Date {
  return dayUnitOf(rule) === 'calendar'
    ? calendarDaysPassedCutoff(at, rule.workingDays, cal)
    : deadlinePassedCutoff(at, rule.workingDays, cal);
}

/**
 * The clocks an agency runs once a report is dispatched to it: the follow-up (tindak lanjut), the resolution
 * (penyelesaian) and the escalation limit (after it the Ombudsman may take the report over from the agency that has
 * not resolved it). The others are the verifier's (verification, run by the region's coordinator) or the reporter's
 * (reporter_window, hold_reply).
 * Why: a Pergub, Perbup or Perwali binds the pemda's complaint handling, not an instansi vertikal's (a ministry's
 * Kantor Wilayah in the region): see {@link clockRuleRegion}.
 */
export const AGENCY_CLOCKS = ['follow_up', 'completion', 'escalation'] as const satisfies readonly SlaClock[];

/** Whether a clock is run by the agency holding the report ({@link AGENCY_CLOCKS}). */
export function isAgencyClock(clock: SlaClock): boolean {
  return (AGENCY_CLOCKS as readonly SlaClock[]).includes(clock);
}

/**
 * The region whose rules a clock follows ({@link RuleQuery.regionCode}): the report's own region, except for an
 * agency clock ({@link AGENCY_CLOCKS}) of a report held by an agency in a kementerian or lembaga branch (instansi
 * vertikal), which follows the national rules only (null). Verification and the reporter's clocks keep the report's
 * region whoever holds the report.
 * Why: a regional regulation binds the region's own government, not the central government's offices in it
 * (docs/adr/0013-regional-sla-rules.md, revised 2026-11-30).
 */
export function clockRuleRegion(
  clock: SlaClock,
  reportRegion: string | null | undefined,
  holderInCentralBranch: boolean,
): string | null {
  return holderInCentralBranch && isAgencyClock(clock) ? null : (reportRegion ?? null);
}

/** What {@link selectRule} matches on. */
export interface RuleQuery {
  classification: Classification | null;
  /** Pengaduan berkadar pengawasan; null/undefined is treated as false. */
  supervisory?: boolean | null;
  /** Instant the clock starts; rules whose `validFrom` is later are ignored. */
  at: Date;
  /** Zone in which `validFrom` dates begin (default WIB). */
  zone?: ZoneName;
  /**
   * The report's region (Kemendagri code, e.g. `64.71.01.1001`); null/undefined: only national rules apply.
   * Rules of this region or of an ancestor of it (`64`, `64.71`) apply too.
   */
  regionCode?: string | null;
}

function specificity(rule: SlaRule): number {
  return (rule.classification !== null ? 2 : 0) + (rule.supervisory != null ? 1 : 0);
}

/** How deep a rule's region is: 0 national, 1 a province (`64`), 2 a kab/kota (`64.71`), … */
export function regionDepth(regionCode: string | null | undefined): number {
  return regionCode ? regionCode.split('.').length : 0;
}

/**
 * Whether a rule of region `ruleRegion` applies to a report in `reportRegion`: national rules everywhere; a regional
 * rule in its region and below, on dot boundaries (`64` covers `64.71.01.1001`; `64.7` covers nothing of `64.71`).
 */
export function ruleRegionApplies(
  ruleRegion: string | null | undefined,
  reportRegion: string | null | undefined,
): boolean {
  if (!ruleRegion) return true;
  if (!reportRegion) return false;
  return reportRegion === ruleRegion || reportRegion.startsWith(`${ruleRegion}.`);
}

/**
 * The region-first winner among the matching rules whose region is shallower than `maxDepth` (see
 * {@link selectRule}), before the "only tighten" cap of {@link findRule}.
 */
function regionFirst(
  rules: readonly SlaRule[],
  clock: SlaClock,
  query: RuleQuery,
  day: string,
  maxDepth: number,
): SlaRule | null {
  const supervisory = query.supervisory ?? false;
  let best: SlaRule | null = null;
  for (const r of rules) {
    if (r.clock !== clock || !isIsoDate(r.validFrom) || r.validFrom > day) continue;
    if (r.classification !== null && r.classification !== query.classification) continue;
    if (r.supervisory != null && r.supervisory !== supervisory) continue;
    if (regionDepth(r.regionCode) >= maxDepth || !ruleRegionApplies(r.regionCode, query.regionCode)) continue;
    if (!best) {
      best = r;
      continue;
    }
    const depth = regionDepth(r.regionCode) - regionDepth(best.regionCode);
    if (
      depth > 0 ||
      (depth === 0 &&
        (specificity(r) > specificity(best) ||
          (specificity(r) === specificity(best) &&
            (r.version > best.version || (r.version === best.version && r.validFrom > best.validFrom)))))
    ) {
      best = r;
    }
  }
  return best;
}

/**
 * Finds the rule for a clock, or null when none matches (see {@link selectRule} for the order).
 * Why: lets callers report a configuration gap instead of crashing.
 */
export function findRule(rules: readonly SlaRule[], clock: SlaClock, query: RuleQuery): SlaRule | null {
  const day = localDate(query.at, query.zone ?? 'WIB');
  // Region first, then capped: a regional winner longer (same unit) than what the wider rules alone give on that day
  // (itself capped the same way) yields to it.
  const pick = (maxDepth: number): SlaRule | null => {
    const winner = regionFirst(rules, clock, query, day, maxDepth);
    const depth = regionDepth(winner?.regionCode);
    if (!winner || depth === 0) return winner;
    const wider = pick(depth);
    return wider && dayUnitOf(wider) === dayUnitOf(winner) && wider.workingDays < winner.workingDays
      ? wider
      : winner;
  };
  return pick(Number.POSITIVE_INFINITY);
}

/**
 * Picks the rule for a clock at an instant: among rules for that clock already in force
 * (`validFrom` ≤ the local date of `at`), compatible with the classification and the
 * berkadar-pengawasan flag, and national or of the report's region or an ancestor of it, the rule of the
 * most specific region wins (kab/kota over province over national), then the most specific one (a
 * classification-specific rule beats a null-classification rule; a rule fixing `supervisory` beats one that
 * does not), then the highest version, then the latest `validFrom`. A regional winner is then capped: when the rule
 * the national and wider-region rules alone give on that day is shorter in the same day unit (a later, shorter
 * national version, say), that wider rule is used, and the explanation cites its basis. Throws when nothing matches
 * (a configuration error).
 * Why: limits differ per classification (PermenPANRB 62/2018 time classes), change over time
 * (PermenPANRB 5/2025), and a province or kab/kota may set shorter ones by Pergub/Perwali (region first:
 * docs/adr/0013-regional-sla-rules.md) but never loosen them, even after a later national version; a deadline must use
 * the rule in force when its clock started.
 */
export function selectRule(rules: readonly SlaRule[], clock: SlaClock, query: RuleQuery): SlaRule {
  const rule = findRule(rules, clock, query);
  if (!rule) {
    throw new RangeError(
      `No SLA rule for clock ${clock} (classification ${query.classification ?? 'any'}) at ${query.at.toISOString()}`,
    );
  }
  return rule;
}

/** A rule about to be added, as {@link widerRuleLimit} checks it. */
export type SlaRuleDraft = Pick<
  SlaRule,
  'clock' | 'classification' | 'supervisory' | 'workingDays' | 'dayUnit' | 'validFrom' | 'regionCode'
>;

/**
 * For a regional draft, the shortest rule in force on its `validFrom` that it would override and that is shorter
 * than it in the same day unit: the rule a report of the draft's region would get, for every classification and
 * berkadar-pengawasan flag the draft covers, from the national rules and those of wider regions only. null when
 * the draft is national or no wider rule is shorter (the draft only tightens).
 * Why: a Pergub or Perwali may shorten the national limits (PermenPANRB limits are maxima), never lengthen them
 * (docs/adr/0013-regional-sla-rules.md).
 */
export function widerRuleLimit(rules: readonly SlaRule[], draft: SlaRuleDraft): SlaRule | null {
  if (!draft.regionCode) return null;
  const wider = rules.filter(
    (r) => (r.regionCode ?? null) !== draft.regionCode && ruleRegionApplies(r.regionCode, draft.regionCode),
  );
  const at = new Date(`${draft.validFrom}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return null;
  const classes = draft.classification !== null ? [draft.classification] : [null, ...CLASSIFICATIONS];
  const flags = draft.supervisory != null ? [draft.supervisory] : [false, true];
  const unit = dayUnitOf(draft);
  let limit: SlaRule | null = null;
  for (const classification of classes)
    for (const supervisory of flags) {
      const r = findRule(wider, draft.clock, {
        classification,
        supervisory,
        at,
        zone: 'WIB',
        regionCode: draft.regionCode,
      });
      if (
        r &&
        dayUnitOf(r) === unit &&
        r.workingDays < draft.workingDays &&
        (!limit || r.workingDays < limit.workingDays)
      )
        limit = r;
    }
  return limit;
}

/**
 * For a regional rule version, the wider rule in force today (or on the version's own `validFrom` when that is later)
 * that is shorter in the same day unit and so is used in its place ({@link findRule} caps region-first choices):
 * {@link widerRuleLimit} on that day. null for a national rule, a version already replaced by a later version of its
 * own id by then, or when no wider rule is shorter. `now` is read in the rule region's zone.
 * Why: a national version added after a regional rule may be shorter than it; the coordinator must be told that its
 * rule no longer applies in full, so it can update it (docs/adr/0013-regional-sla-rules.md, revised 2026-11-30).
 */
export function widerRuleInForce(rules: readonly SlaRule[], rule: SlaRule, now: Date): SlaRule | null {
  if (!rule.regionCode) return null;
  const today = localDate(now, zoneForRegion(rule.regionCode));
  const on = rule.validFrom > today ? rule.validFrom : today;
  const replaced = rules.some(
    (o) =>
      o.id === rule.id &&
      (o.regionCode ?? null) === rule.regionCode &&
      o.version > rule.version &&
      o.validFrom <= on,
  );
  return replaced ? null : widerRuleLimit(rules, { ...rule, validFrom: on });
}

/**
 * The regional rule versions a newly saved `rule` caps: those of regions below the rule's own (every region for a
 * national rule) for which it is the wider rule in force ({@link widerRuleInForce}) today, or on the rule's own
 * `validFrom` when that is later. Ordered by region code, then id.
 * Why: a national admin who adds a shorter national version must learn at once which Pergub/Perwali rules no longer
 * apply in full, to tell their coordinators (docs/adr/0013-regional-sla-rules.md).
 */
export function rulesCappedBy(rules: readonly SlaRule[], rule: SlaRule, now: Date): SlaRule[] {
  const starts = new Date(`${rule.validFrom}T12:00:00Z`);
  const on = Number.isNaN(starts.getTime()) || starts < now ? now : starts;
  return rules
    .filter((r) => {
      if (!r.regionCode || r.regionCode === (rule.regionCode ?? null)) return false;
      if (!ruleRegionApplies(rule.regionCode, r.regionCode)) return false;
      const cap = widerRuleInForce(rules, r, on);
      return cap !== null && cap.id === rule.id && cap.version === rule.version;
    })
    .sort((a, b) => a.regionCode!.localeCompare(b.regionCode!) || a.id.localeCompare(b.id));
}

/**
 * A computed deadline, with the rule version that produced it and a plain-language explanation.
 * Why: officers and reporters must be able to see why a deadline falls where it does
 * (transparency, domain.md §7), and audits must know which rule version applied.
 */
export interface Deadline {
  clock: SlaClock;
  ruleId: string;
  ruleVersion: number;
  /** Start instant, ISO 8601 with the calendar zone's offset. */
  startedAt: string;
  /** End of the last working day, ISO 8601 with offset, e.g. `2026-03-05T23:59:59.999+08:00`. */
  dueAt: string;
  /** Local date of the last working day. */
  dueDate: string;
  zone: ZoneName;
  /** The rule's length, in `dayUnit`. */
  workingDays: number;
  dayUnit: DayUnit;
  /** Non-working days passed over (see `addWorkingDays`; none for calendar days). */
  skipped: SkippedDay[];
  explanation: { id: string; en: string };
}

const MONTHS_ID = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const SHORT_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
const SHORT_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Lang = 'id' | 'en';

const CLOCK_TEXT: Record<SlaClock, Record<Lang, { label: string; since: string }>> = {
  verification: {
    id: { label: 'Verifikasi', since: 'laporan diterima' },
    en: { label: 'Verification', since: 'the report was received' },
  },
  follow_up: {
    id: { label: 'Tindak lanjut', since: 'laporan diteruskan' },
    en: { label: 'The follow-up', since: 'the report was forwarded' },
  },
  reporter_window: {
    id: { label: 'Tanggapan pelapor (laporan selesai otomatis sesudahnya)', since: 'tindak lanjut terakhir' },
    en: {
      label: 'The reporter’s reply (the report closes automatically after it)',
      since: 'the last follow-up',
    },
  },
  completion: {
    id: { label: 'Penyelesaian', since: 'laporan diteruskan' },
    en: { label: 'Resolution', since: 'the report was forwarded' },
  },
  hold_reply: {
    id: { label: 'Jawaban pelapor atas permintaan informasi', since: 'laporan ditunda' },
    en: {
      label: 'The reporter’s answer to the request for information',
      since: 'the report was put on hold',
    },
  },
  escalation: {
    id: { label: 'Batas sebelum dapat dialihkan ke Ombudsman', since: 'laporan diterima' },
    en: { label: 'The limit before the Ombudsman may take over', since: 'the report was received' },
  },
};

/**
 * What started a clock when it was not the clock's usual start (those are named in CLOCK_TEXT): `return`, a
 * bukan-wewenang return by the agency; `pull_back`, a dispatch pulled back to verification (a return recorded with
 * `pullBack`); `supplement`, the reporter's answer to a hold; `dispute`, the reporter's dispute of the final
 * follow-up; `interim_follow_up`, the agency's interim follow-up after a dispute (the resolution clock was stopped by
 * the final one). null: the usual start.
 * Why: the verification and follow-up clocks restart on these events, and an explanation must name the event its
 * date belongs to (domain.md §7, transparency).
 */
export const CLOCK_CAUSES = ['return', 'pull_back', 'supplement', 'dispute', 'interim_follow_up'] as const;

/** One of {@link CLOCK_CAUSES}. */
export type ClockCause = (typeof CLOCK_CAUSES)[number];

const CAUSE_TEXT: Record<ClockCause, Record<Lang, string>> = {
  return: {
    id: 'laporan dikembalikan sebagai bukan wewenang',
    en: 'the report was returned as not within the agency’s authority',
  },
  pull_back: {
    id: 'laporan ditarik kembali ke verifikasi',
    en: 'the report was pulled back to verification',
  },
  supplement: { id: 'pelapor melengkapi laporan', en: 'the reporter added information' },
  dispute: { id: 'pelapor menyanggah tindak lanjut', en: 'the reporter disputed the follow-up' },
  interim_follow_up: {
    id: 'instansi memberi tindak lanjut sementara',
    en: 'the agency gave an interim follow-up',
  },
};

/** The "since …" phrase of a clock started by `cause` (null: the clock's usual start). */
function sinceText(clock: SlaClock, cause: ClockCause | null, lang: Lang): string {
  return cause ? CAUSE_TEXT[cause][lang] : CLOCK_TEXT[clock][lang].since;
}

const KIND_TEXT: Record<Holiday['kind'], Record<Lang, string>> = {
  libur_nasional: { id: 'libur nasional', en: 'national holiday' },
  cuti_bersama: { id: 'cuti bersama', en: 'collective leave' },
  libur_nasional_khusus: { id: 'libur nasional khusus', en: 'special national holiday' },
  regional: { id: 'libur daerah', en: 'regional holiday' },
};

/** The mark of a predicted holiday (not yet set by the SKB 3 Menteri) in the list of skipped days. */
const TENTATIVE_TEXT: Record<Lang, string> = {
  id: ', perkiraan: belum ditetapkan SKB',
  en: ', prediction: not yet set by the SKB',
};

function parts(date: string): { y: number; m: number; d: number } {
  return { y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)) - 1, d: Number(date.slice(8, 10)) };
}

function longDate(date: string, lang: Lang): string {
  const { y, m, d } = parts(date);
  return `${d} ${(lang === 'id' ? MONTHS_ID : MONTHS_EN)[m]} ${y}`;
}

function shortDate(date: string, lang: Lang, withYear: boolean): string {
  const { y, m, d } = parts(date);
  return `${d} ${(lang === 'id' ? SHORT_ID : SHORT_EN)[m]}${withYear ? ` ${y}` : ''}`;
}

/** "2–4 Apr", "31 Mar–1 Apr", with the year only when it differs from the reference year. */
function dateRange(from: string, to: string, lang: Lang, refYear: number): string {
  const a = parts(from);
  const b = parts(to);
  const withYear = a.y !== refYear || b.y !== refYear;
  if (from === to) return shortDate(from, lang, withYear);
  if (a.y === b.y && a.m === b.m) return `${a.d}–${shortDate(to, lang, withYear)}`;
  return `${shortDate(from, lang, withYear && a.y !== b.y)}–${shortDate(to, lang, withYear)}`;
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function skippedText(skipped: readonly SkippedDay[], lang: Lang, refYear: number): string {
  const runs: Array<{ from: string; to: string; name: string; kind: Holiday['kind']; tentative: boolean }> =
    [];
  let weekends = 0;
  for (const s of skipped) {
    if (s.reason === 'weekend') {
      weekends++;
      continue;
    }
    const last = runs[runs.length - 1];
    const name = s.name ?? '';
    const tentative = s.tentative === true;
    if (
      last &&
      last.name === name &&
      last.kind === s.reason &&
      last.tentative === tentative &&
      nextDay(last.to) === s.date
    )
      last.to = s.date;
    else runs.push({ from: s.date, to: s.date, name, kind: s.reason, tentative });
  }
  const items = runs.map((r) =>
    `${dateRange(r.from, r.to, lang, refYear)} ${r.name} (${KIND_TEXT[r.kind][lang]}${r.tentative ? TENTATIVE_TEXT[lang] : ''})`.replace(
      / {2,}/g,
      ' ',
    ),
  );
  if (weekends > 0) items.push(lang === 'id' ? `${weekends} hari akhir pekan` : `${weekends} weekend days`);
  if (items.length === 0)
    return lang === 'id' ? 'Tidak ada hari libur yang dilewati.' : 'No days off were skipped.';
  return `${lang === 'id' ? 'Dilewati' : 'Skipped'}: ${items.join('; ')}.`;
}

function explain(
  rule: SlaRule,
  startDate: string,
  dueDate: string,
  zone: ZoneName,
  skipped: readonly SkippedDay[],
  cause: ClockCause | null,
): { id: string; en: string } {
  const refYear = parts(startDate).y;
  const ti = { label: CLOCK_TEXT[rule.clock].id.label, since: sinceText(rule.clock, cause, 'id') };
  const te = { label: CLOCK_TEXT[rule.clock].en.label, since: sinceText(rule.clock, cause, 'en') };
  if (dayUnitOf(rule) === 'calendar') {
    return {
      id:
        `${ti.label} paling lambat ${rule.workingDays} hari kalender sejak ${ti.since} ${longDate(startDate, 'id')} ` +
        `(${rule.basis}; aturan versi ${rule.version}): batas waktu ${longDate(dueDate, 'id')} pukul 23.59 ${zone}. ` +
        `Hari pertama adalah hari berikutnya; akhir pekan dan hari libur ikut dihitung.`,
      en:
        `${te.label} is due within ${rule.workingDays} calendar days of when ${te.since} on ${longDate(startDate, 'en')} ` +
        `(${rule.basis}; rule version ${rule.version}): deadline ${longDate(dueDate, 'en')}, 23:59 ${zone}. ` +
        `Counting starts on the next day; weekends and holidays count.`,
    };
  }
  const id =
    `${ti.label} paling lambat ${rule.workingDays} hari kerja sejak ${ti.since} ${longDate(startDate, 'id')} ` +
    `(${rule.basis}; aturan versi ${rule.version}): batas waktu ${longDate(dueDate, 'id')} pukul 23.59 ${zone}. ` +
    `Hari kerja pertama adalah hari kerja berikutnya. ${skippedText(skipped, 'id', refYear)}`;
  const en =
    `${te.label} is due within ${rule.workingDays} working days of when ${te.since} on ${longDate(startDate, 'en')} ` +
    `(${rule.basis}; rule version ${rule.version}): deadline ${longDate(dueDate, 'en')}, 23:59 ${zone}. ` +
    `Counting starts on the next working day. ${skippedText(skipped, 'en', refYear)}`;
  return { id, en };
}

/**
 * Computes the deadline of a clock started at `start`, using `addWorkingDays` (the next working
 * day after the start's local date is day 1; day N ends 23:59:59.999 local), or `addCalendarDayCount`
 * for a calendar-day rule (day N is the Nth local date after the start's), and explains it in
 * Indonesian and English, naming what started the clock (`cause`, null for the clock's usual start),
 * skipped holidays and the rule version.
 * Why: SLA limits are in hari kerja (PermenPANRB 62/2018), the Ombudsman takeover in days, and the
 * result must be traceable to the rule version that produced it.
 */
export function computeDeadline(
  rule: SlaRule,
  start: Date,
  cal: WorkingCalendar,
  cause: ClockCause | null = null,
): Deadline {
  const startDate = localDate(start, cal.zone);
  const key = `${rule.id}\u0000${rule.version}\u0000${rule.clock}\u0000${rule.workingDays}\u0000${dayUnitOf(rule)}\u0000${rule.basis}\u0000${startDate}\u0000${cause ?? ''}`;
  let memo = deadlineMemo.get(cal);
  if (!memo) deadlineMemo.set(cal, (memo = new Map()));
  let due = memo.get(key);
  if (!due) {
    const r = addRuleDays(rule, start, cal);
    due = Object.freeze({
      dueAt: formatIsoInZone(r.dueAt, cal.zone),
      dueDate: r.dueDate,
      skipped: Object.freeze(r.skipped.map((d) => Object.freeze(d))) as SkippedDay[],
      explanation: Object.freeze(explain(rule, startDate, r.dueDate, cal.zone, r.skipped, cause)),
    });
    if (memo.size >= DEADLINE_MEMO_SIZE) memo.delete(memo.keys().next().value!);
    memo.set(key, due);
  }
  return {
    clock: rule.clock,
    ruleId: rule.id,
    ruleVersion: rule.version,
    startedAt: formatIsoInZone(start, cal.zone),
    dueAt: due.dueAt,
    dueDate: due.dueDate,
    zone: cal.zone,
    workingDays: rule.workingDays,
    dayUnit: dayUnitOf(rule),
    skipped: due.skipped,
    explanation: due.explanation,
  };
}

/**
 * The part of a deadline that depends only on the rule, the calendar, the start's local date and its cause,
 * memoised per calendar object: every report started the same local day under the same rule and cause shares it
 * (intake computes one per report). A changed calendar is a new object, so edits of holidays never see stale
 * entries. Entries are frozen because they are shared.
 */
const deadlineMemo = new WeakMap<
  WorkingCalendar,
  Map<string, Pick<Deadline, 'dueAt' | 'dueDate' | 'skipped' | 'explanation'>>
>();
const DEADLINE_MEMO_SIZE = 512;

/**
 * Traffic-light state of a deadline at `now`: `overdue` after `dueAt`, `due_soon` when the due
 * date is today or the next working day (within 1 working day), else `on_time`.
 * Why: agencies flag late follow-ups in red (domain.md §5.2) and admins chase units before the
 * limit passes (e.g. Diskominfo phoning OPDs on day 3).
 */
export function deadlineStatus(
  deadline: Pick<Deadline, 'dueAt'>,
  now: Date,
  cal: WorkingCalendar,
): 'on_time' | 'due_soon' | 'overdue' {
  const due = new Date(deadline.dueAt);
  if (now.getTime() > due.getTime()) return 'overdue';
  return workingDaysBetween(now, due, cal) <= 1 ? 'due_soon' : 'on_time';
}
