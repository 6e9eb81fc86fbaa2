/**
 * Statistics indicators: one fact per report (computed by `refreshStats`), grouped and summed into
 * accumulators that merge exactly (counts and histograms), so monthly roll-ups and partial ranges
 * combine into the same numbers a full scan would give.
 * Why: dashboards read pre-aggregated months instead of scanning every report (issue 6 "Scale").
 */
import {
  histAdd,
  histCount,
  histMerge,
  histQuantile,
  ratio,
  round,
  wilson,
  type Histogram,
  type Proportion,
} from '../evaluation/formulas.ts';

/** Dimensions the statistics are grouped by (`GET /api/v1/stats?groupBy=`). */
export const STATS_DIMENSIONS = ['agency', 'category', 'region', 'classification', 'channel', 'all'] as const;
/** One grouping dimension. `all` has the single key `all` (totals and the monthly series). */
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

/** The per-report facts the indicators are computed from (table `stats_report_facts`). */
export interface StatsFact {
  /** Local date the report was received, `YYYY-MM-DD` (zone of its region). */
  createdDate: string;
  /** Agency ids from the root down to the handling agency (current, else dispatched, else target). */
  agencyPath: readonly string[];
  regionCode: string | null;
  categoryId: number | null;
  classification: string;
  channel: string;
  verified: boolean;
  /** null: verification not yet due; true/false: verified within the limit or not. */
  verifiedOnTime: boolean | null;
  dispatched: boolean;
  returnCount: number;
  misroutedWorkingDays: number;
  /** null: first follow-up not yet due; true/false: first follow-up within the limit or not. */
  followedUpOnTime: boolean | null;
  completed: boolean;
  workingDaysToFollowUp: number | null;
  hoursToFollowUp: number | null;
  workingDaysToCompletion: number | null;
  rating: number | null;
  disputed: boolean;
  reopenCount: number;
  /**
   * The report's status (`transferred`: handed to the Ombudsman); the stored facts and the open-data rows carry it,
   * a fact without it counts as not transferred.
   */
  status?: string | undefined;
}

/** Summable indicator totals of one group. */
export interface StatsAcc {
  received: number;
  verified: number;
  verificationDue: number;
  verifiedOnTime: number;
  dispatched: number;
  returned: number;
  returns: number;
  misroutedWorkingDays: number;
  followUpDue: number;
  followedUpOnTime: number;
  completed: number;
  ratingSum: number;
  ratingCount: number;
  disputed: number;
  reopened: number;
  /** Handed to the Ombudsman (status `transferred`): neither completed nor overdue. */
  transferred: number;
  wdFollowUp: Histogram;
  hoursFollowUp: Histogram;
  wdCompletion: Histogram;
}

/** An empty accumulator. */
export function emptyAcc(): StatsAcc {
  return {
    received: 0,
    verified: 0,
    verificationDue: 0,
    verifiedOnTime: 0,
    dispatched: 0,
    returned: 0,
    returns: 0,
    misroutedWorkingDays: 0,
    followUpDue: 0,
    followedUpOnTime: 0,
    completed: 0,
    ratingSum: 0,
    ratingCount: 0,
    disputed: 0,
    reopened: 0,
    transferred: 0,
    wdFollowUp: {},
    hoursFollowUp: {},
    wdCompletion: {},
  };
}

/** Adds one report's facts to an accumulator (in place). */
export function addFact(acc: StatsAcc, f: StatsFact): StatsAcc {
  acc.received++;
  if (f.verified) acc.verified++;
  if (f.verifiedOnTime !== null) {
    acc.verificationDue++;
    if (f.verifiedOnTime) acc.verifiedOnTime++;
  }
  if (f.dispatched) acc.dispatched++;
  if (f.returnCount > 0) acc.returned++;
  acc.returns += f.returnCount;
  acc.misroutedWorkingDays += f.misroutedWorkingDays;
  if (f.followedUpOnTime !== null) {
    acc.followUpDue++;
    if (f.followedUpOnTime) acc.followedUpOnTime++;
  }
  if (f.completed) acc.completed++;
  if (f.rating !== null) {
    acc.ratingSum += f.rating;
    acc.ratingCount++;
  }
  if (f.disputed) acc.disputed++;
  if (f.reopenCount > 0) acc.reopened++;
  if (f.status === 'transferred') acc.transferred++;
  if (f.workingDaysToFollowUp !== null) histAdd(acc.wdFollowUp, f.workingDaysToFollowUp);
  if (f.hoursToFollowUp !== null) histAdd(acc.hoursFollowUp, f.hoursToFollowUp);
  if (f.workingDaysToCompletion !== null) histAdd(acc.wdCompletion, f.workingDaysToCompletion);
  return acc;
}

/** The counters every report adds to (the roll-up's counter vector starts with these, in this order). */
export const SUMMED = [
  'received',
  'verified',
  'verificationDue',
  'verifiedOnTime',
  'dispatched',
  'returned',
  'returns',
  'misroutedWorkingDays',
  'followUpDue',
  'followedUpOnTime',
  'completed',
  'ratingSum',
  'ratingCount',
  'disputed',
  'reopened',
  'transferred',
] as const;

/** Merges accumulator `b` into `a` (in place). */
export function mergeAcc(a: StatsAcc, b: StatsAcc): StatsAcc {
  for (const k of SUMMED) a[k] += b[k];
  histMerge(a.wdFollowUp, b.wdFollowUp);
  histMerge(a.hoursFollowUp, b.hoursFollowUp);
  histMerge(a.wdCompletion, b.wdCompletion);
  return a;
}

/**
 * The group keys a fact counts under for a dimension: every agency on its path (roll-up of the
 * tree), its province and kab/kota, its category, classification or channel.
 */
export function keysOf(f: StatsFact, dim: StatsDimension): string[] {
  switch (dim) {
    case 'agency':
      return f.agencyPath.length > 0 ? [...f.agencyPath] : ['-'];
    case 'region': {
      if (!f.regionCode) return ['-'];
      const parts = f.regionCode.split('.');
      return parts.length >= 2 ? [parts[0]!, `${parts[0]}.${parts[1]}`] : [parts[0]!];
    }
    case 'category':
      return [f.categoryId === null ? '-' : String(f.categoryId)];
    case 'classification':
      return [f.classification];
    case 'channel':
      return [f.channel];
    case 'all':
      return ['all'];
  }
}

/** Groups facts by `dim` into accumulators keyed by group key. */
export function aggregate(facts: Iterable<StatsFact>, dim: StatsDimension): Map<string, StatsAcc> {
  const out = new Map<string, StatsAcc>();
  for (const f of facts) {
    for (const key of keysOf(f, dim)) {
      let acc = out.get(key);
      if (!acc) out.set(key, (acc = emptyAcc()));
      addFact(acc, f);
    }
  }
  return out;
}

/** The published indicators of one group (docs/statistics.md). */
export interface StatsIndicators {
  received: number;
  verified: number;
  verifiedOnTime: number;
  verifiedOnTimeRate: Proportion;
  dispatched: number;
  returned: number;
  returns: number;
  misroutedWorkingDays: number;
  followedUpOnTime: number;
  followedUpOnTimeRate: Proportion;
  completed: number;
  completionRate: number | null;
  completionRateInterval: Proportion;
  overdue: number;
  medianHoursToFollowUp: number | null;
  medianWorkingDaysToFollowUp: number | null;
  p90WorkingDaysToFollowUp: number | null;
  medianWorkingDaysToCompletion: number | null;
  p90WorkingDaysToCompletion: number | null;
  satisfaction: { meanRating: number | null; ratings: number; disputed: number; disputeShare: number | null };
  reopened: number;
  /** Reports handed to the Ombudsman (status `transferred` at the refresh). */
  transferred: number;
}

/** Turns an accumulator (plus the current overdue count) into published indicators. */
export function indicatorsOf(acc: StatsAcc, overdue: number): StatsIndicators {
  const completion = wilson(acc.completed, acc.verified);
  return {
    received: acc.received,
    verified: acc.verified,
    verifiedOnTime: acc.verifiedOnTime,
    verifiedOnTimeRate: wilson(acc.verifiedOnTime, acc.verificationDue),
    dispatched: acc.dispatched,
    returned: acc.returned,
    returns: acc.returns,
    misroutedWorkingDays: acc.misroutedWorkingDays,
    followedUpOnTime: acc.followedUpOnTime,
    followedUpOnTimeRate: wilson(acc.followedUpOnTime, acc.followUpDue),
    completed: acc.completed,
    completionRate: completion.rate,
    completionRateInterval: completion,
    overdue,
    medianHoursToFollowUp: histQuantile(acc.hoursFollowUp, 0.5),
    medianWorkingDaysToFollowUp: histQuantile(acc.wdFollowUp, 0.5),
    p90WorkingDaysToFollowUp: histQuantile(acc.wdFollowUp, 0.9),
    medianWorkingDaysToCompletion: histQuantile(acc.wdCompletion, 0.5),
    p90WorkingDaysToCompletion: histQuantile(acc.wdCompletion, 0.9),
    satisfaction: {
      meanRating: acc.ratingCount ? round(acc.ratingSum / acc.ratingCount, 2) : null,
      ratings: acc.ratingCount,
      disputed: acc.disputed,
      disputeShare: ratio(acc.disputed, acc.ratingCount + acc.disputed),
    },
    reopened: acc.reopened,
    transferred: acc.transferred,
  };
}

/** Number of follow-up durations recorded (for tests and sanity checks). */
export function followUpSamples(acc: StatsAcc): number {
  return histCount(acc.wdFollowUp);
}
