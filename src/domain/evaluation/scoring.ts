/**
 * Evaluation scoring: indicator scores (0–100), weights as versioned data, predikat thresholds,
 * rankings per participant group with a minimum-volume rule, and canonical JSON for input hashes.
 * Why: award rankings must be fair (small samples never win by chance: rates are scored by their
 * Wilson lower bound) and reproducible (every input is data; docs/evaluation.md).
 */
import { histCount } from './formulas.ts';
import { per100k, round, wilson } from './formulas.ts';
import type { StatsAcc } from '../stats/aggregate.ts';

/** Data indicators, computed from the period's reports (open-data rows) and admin activity. */
export const DATA_INDICATORS = [
  'volume',
  'verification_timeliness',
  'follow_up_timeliness',
  'completion_rate',
  'satisfaction',
  'misrouting',
  'admin_activity',
] as const;
/** Rubric indicators, scored 0–100 by assessors with evidence and a justification. */
export const RUBRIC_INDICATORS = [
  'komitmen_pimpinan',
  'sumber_daya_manusia',
  'inovasi',
  'pemanfaatan_data',
  'website',
  'media_sosial',
] as const;
/** Every indicator id. */
export type IndicatorId = (typeof DATA_INDICATORS)[number] | (typeof RUBRIC_INDICATORS)[number];
/** A data indicator id. */
export type DataIndicatorId = (typeof DATA_INDICATORS)[number];
/** A rubric indicator id. */
export type RubricIndicatorId = (typeof RUBRIC_INDICATORS)[number];

/** Weights per indicator (any non-negative numbers; normalised by their sum). */
export type Weights = Partial<Record<IndicatorId, number>>;

/** A predikat and the lowest total score that earns it. */
export interface Threshold {
  predikat: string;
  min: number;
}

/** Scoring configuration of a period: versioned weights, thresholds, minimum volume. */
export interface ScoringConfig {
  weightsVersion: number;
  weights: Weights;
  thresholds: readonly Threshold[];
  /** Participants with fewer received reports are flagged and not ranked. */
  minVolume: number;
}

/** Default weights (version 1) for complaint-handling rankings; website/social media are separate awards. */
export const DEFAULT_WEIGHTS: Weights = {
  volume: 10,
  verification_timeliness: 10,
  follow_up_timeliness: 15,
  completion_rate: 15,
  satisfaction: 10,
  misrouting: 5,
  admin_activity: 5,
  komitmen_pimpinan: 10,
  sumber_daya_manusia: 10,
  inovasi: 5,
  pemanfaatan_data: 5,
};

/** Weights of the website and social-media awards: functionality and accessibility rubric only. */
export const AWARD_WEIGHTS: Record<'complaint_handling' | 'website' | 'media_sosial', Weights> = {
  complaint_handling: DEFAULT_WEIGHTS,
  website: { website: 1 },
  media_sosial: { media_sosial: 1 },
};

/** Default predikat thresholds (Kemendagri evaluation labels, domain.md §8.3). */
export const DEFAULT_THRESHOLDS: readonly Threshold[] = [
  { predikat: 'Sangat Baik', min: 85 },
  { predikat: 'Baik', min: 70 },
  { predikat: 'Sedang', min: 55 },
  { predikat: 'Kurang', min: 0 },
];

/**
 * The predikat for a total score: the first threshold (highest `min` first) it reaches; '' when it reaches
 * none (new periods must have a threshold at 0, so this only happens for older definitions).
 */
export function predikatFor(total: number, thresholds: readonly Threshold[]): string {
  const sorted = [...thresholds].sort((a, b) => b.min - a.min);
  for (const t of sorted) if (total >= t.min) return t.predikat;
  return '';
}

/** What is known about one participant before scoring. */
export interface ParticipantInput {
  agencyId: string;
  name: string;
  /** Indicators of the participant's reports in the period. */
  acc: StatsAcc;
  /** Population of the participant's kab/kota (volume is then per 100,000); null = raw volume. */
  population: number | null;
  admins: number;
  activeAdmins: number;
  /** Assessors' scores (0–100) per rubric indicator. */
  rubric: Partial<Record<RubricIndicatorId, readonly number[]>>;
}

/** How one indicator was scored. */
export interface IndicatorScore {
  indicator: IndicatorId;
  /** The raw value (rate, count, per-100k volume, mean rubric score). */
  value: number | null;
  /** Wilson interval of a rate, when it is one. */
  interval?: { lower: number | null; upper: number | null; successes: number; trials: number };
  /** Score 0–100. */
  score: number;
  weight: number;
  /** score × weight / Σ weights. */
  contribution: number;
  /** One line on how the score was computed. */
  formula: string;
  /** For rubric indicators: number of assessors and max − min of their scores. */
  assessors?: number;
  spread?: number;
}

/** A scored, possibly ranked participant. */
export interface ParticipantResult {
  agencyId: string;
  name: string;
  received: number;
  total: number;
  predikat: string;
  rank: number | null;
  flags: string[];
  indicators: IndicatorScore[];
}

function rateScore(indicator: DataIndicatorId, s: number, n: number, what: string) {
  const w = wilson(s, n);
  return {
    value: w.rate,
    interval: { lower: w.lower, upper: w.upper, successes: s, trials: n },
    score: round((w.lower ?? 0) * 100, 2),
    formula: `${indicator}: Wilson 95% lower bound of ${s}/${n} ${what} × 100`,
  };
}

/** Scores the data indicators of one participant; `maxVolume` is the group's largest volume value. */
export function dataIndicatorScores(
  p: ParticipantInput,
  maxVolume: number,
): Record<DataIndicatorId, Omit<IndicatorScore, 'indicator' | 'weight' | 'contribution'>> {
  const a = p.acc;
  const volume = volumeValue(p);
  const satisfied = a.ratingCount; // accepted reports (rated); disputes count as not satisfied
  const meanRating = a.ratingCount ? a.ratingSum / a.ratingCount : null;
  return {
    volume: {
      value: volume,
      score: maxVolume > 0 ? round(((volume ?? 0) / maxVolume) * 100, 2) : 0,
      formula:
        p.population !== null
          ? `volume: ${a.received} reports per 100,000 of ${p.population} inhabitants = ${volume}; ÷ group max ${maxVolume} × 100`
          : `volume: ${a.received} reports ÷ group max ${maxVolume} × 100`,
    },
    verification_timeliness: rateScore(
      'verification_timeliness',
      a.verifiedOnTime,
      a.verificationDue,
      'verified on time',
    ),
    follow_up_timeliness: rateScore(
      'follow_up_timeliness',
      a.followedUpOnTime,
      a.followUpDue,
      'followed up on time',
    ),
    completion_rate: rateScore('completion_rate', a.completed, a.verified, 'verified reports completed'),
    satisfaction: {
      ...rateScore('satisfaction', satisfied, a.ratingCount + a.disputed, 'verdicts accepted (not disputed)'),
      value: meanRating === null ? null : round(meanRating, 2),
    },
    misrouting: rateScore(
      'misrouting',
      a.dispatched - Math.min(a.returned, a.dispatched),
      a.dispatched,
      'dispatched reports never returned',
    ),
    admin_activity: {
      value: p.admins ? round(p.activeAdmins / p.admins, 4) : null,
      score: p.admins ? round((p.activeAdmins / p.admins) * 100, 2) : 0,
      formula: `admin_activity: ${p.activeAdmins} of ${p.admins} admins active in the last 30 days × 100`,
    },
  };
}

/** The volume value: per 100,000 inhabitants when the population is known, else the raw count. */
export function volumeValue(p: Pick<ParticipantInput, 'acc' | 'population'>): number {
  return p.population !== null ? (per100k(p.acc.received, p.population) ?? 0) : p.acc.received;
}

/**
 * Scores and ranks one participant group. Participants below `minVolume` received reports are
 * flagged `below_min_volume`, and participants with no input at all (every weighted indicator is a rubric
 * indicator nobody assessed yet, e.g. an unassessed entry of the website award) are flagged `not_assessed`;
 * neither gets a rank. The rest are ranked by total with competition ranking: equal totals share a rank
 * and the next rank skips (1, 1, 3); within a tie, and among the unranked, rows are listed by name.
 */
export function scoreGroup(
  participants: readonly ParticipantInput[],
  cfg: ScoringConfig,
): ParticipantResult[] {
  const maxVolume = Math.max(0, ...participants.map(volumeValue));
  const weightSum = Object.values(cfg.weights).reduce((s: number, w) => s + (w ?? 0), 0) || 1;
  const results = participants.map((p): ParticipantResult => {
    const data = dataIndicatorScores(p, maxVolume);
    const indicators: IndicatorScore[] = [];
    for (const [id, weight] of Object.entries(cfg.weights) as [IndicatorId, number][]) {
      if (!weight) continue;
      let s: Omit<IndicatorScore, 'indicator' | 'weight' | 'contribution'>;
      if (id in data) s = data[id as DataIndicatorId];
      else {
        const scores = p.rubric[id as RubricIndicatorId] ?? [];
        const mean = scores.length ? scores.reduce((x, y) => x + y, 0) / scores.length : null;
        s = {
          value: mean === null ? null : round(mean, 2),
          score: mean === null ? 0 : round(mean, 2),
          formula: `${id}: mean of ${scores.length} assessor score(s) [${scores.join(', ')}]`,
          assessors: scores.length,
          spread: scores.length ? round(Math.max(...scores) - Math.min(...scores), 2) : 0,
        };
      }
      indicators.push({
        indicator: id,
        weight,
        ...s,
        contribution: round((s.score * weight) / weightSum, 4),
      });
    }
    const total = round(
      indicators.reduce((sum, i) => sum + i.contribution, 0),
      2,
    );
    const flags: string[] = [];
    if (p.acc.received < cfg.minVolume) flags.push('below_min_volume');
    for (const i of indicators) if (i.assessors === 0) flags.push(`no_assessment:${i.indicator}`);
    if (indicators.length > 0 && indicators.every((i) => i.assessors === 0)) flags.push('not_assessed');
    return {
      agencyId: p.agencyId,
      name: p.name,
      received: p.acc.received,
      total,
      predikat: predikatFor(total, cfg.thresholds),
      rank: null,
      flags,
      indicators,
    };
  });
  const unranked = (r: ParticipantResult) =>
    r.flags.includes('below_min_volume') || r.flags.includes('not_assessed');
  const byTotal = (a: ParticipantResult, b: ParticipantResult) =>
    b.total - a.total || a.name.localeCompare(b.name);
  const eligible = results.filter((r) => !unranked(r)).sort(byTotal);
  eligible.forEach((r, i) => {
    const prev = eligible[i - 1];
    r.rank = prev && prev.total === r.total ? prev.rank : i + 1;
  });
  const rest = results.filter(unranked).sort(byTotal);
  return [...eligible, ...rest];
}

/**
 * The numbers of an indicator's `formula` line, by kind. The line itself stays in English: it is part of the
 * published, hashed result (changing it would make every earlier publication recompute to MISMATCH), so pages
 * read its numbers back with `formulaParts` and word them in the reader's language.
 */
export type FormulaParts =
  | { kind: 'volume_per_capita'; received: number; population: number; volume: number; max: number }
  | { kind: 'volume'; received: number; max: number }
  | { kind: 'rate'; indicator: DataIndicatorId; successes: number; trials: number }
  | { kind: 'admin_activity'; active: number; admins: number }
  | { kind: 'rubric'; indicator: RubricIndicatorId; scores: number[] };

const NUM = String.raw`(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)`;
const FORMULA_LINES: [RegExp, (m: RegExpExecArray) => FormulaParts][] = [
  [
    new RegExp(
      `^volume: ${NUM} reports per 100,000 of ${NUM} inhabitants = ${NUM}; ÷ group max ${NUM} × 100$`,
    ),
    (m) => ({
      kind: 'volume_per_capita',
      received: Number(m[1]),
      population: Number(m[2]),
      volume: Number(m[3]),
      max: Number(m[4]),
    }),
  ],
  [
    new RegExp(`^volume: ${NUM} reports ÷ group max ${NUM} × 100$`),
    (m) => ({ kind: 'volume', received: Number(m[1]), max: Number(m[2]) }),
  ],
  [
    new RegExp(String.raw`^(\w+): Wilson 95% lower bound of ${NUM}/${NUM} [^×]+ × 100$`),
    (m) => ({
      kind: 'rate',
      indicator: m[1] as DataIndicatorId,
      successes: Number(m[2]),
      trials: Number(m[3]),
    }),
  ],
  [
    new RegExp(`^admin_activity: ${NUM} of ${NUM} admins active in the last 30 days × 100$`),
    (m) => ({ kind: 'admin_activity', active: Number(m[1]), admins: Number(m[2]) }),
  ],
  [
    new RegExp(String.raw`^(\w+): mean of \d+ assessor score\(s\) \[([^\]]*)\]$`),
    (m) => ({
      kind: 'rubric',
      indicator: m[1] as RubricIndicatorId,
      scores: m[2] ? m[2].split(', ').map(Number) : [],
    }),
  ],
];

/** The numbers of a formula line written by `dataIndicatorScores` / `scoreGroup`; null for any other text. */
export function formulaParts(formula: string): FormulaParts | null {
  for (const [re, parts] of FORMULA_LINES) {
    const m = re.exec(formula);
    if (m) return parts(m);
  }
  return null;
}

/** Deterministic JSON (object keys sorted) so that input hashes do not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Number of completion durations in an accumulator (used in explanations). */
export function completionSamples(acc: StatsAcc): number {
  return histCount(acc.wdCompletion);
}
