/**
 * Computes an evaluation period's rankings from an open-data snapshot plus the period's
 * configuration and rubric scores. Pure: the app (preview, publish) and `aduan evaluate` (recompute from
 * the published snapshot file) call the same function, so their numbers are equal by construction.
 * Reports not listed in the snapshot (non-confidential, not (yet) verified, on hold or archived) count
 * through the snapshot's aggregate counters (`unlistedReports`, schema 2; schema 3 adds those of the regions below
 * kab/kota where a participant sits): in the volume and in the denominator of verification timeliness
 * (verification measured or past due), as in the statistics.
 */
import { regionCovers } from '../deadline/calendar.ts';
import { aggregate, emptyAcc, type StatsAcc, type StatsFact } from '../stats/aggregate.ts';
import {
  AWARD_WEIGHTS,
  scoreGroup,
  type IndicatorId,
  type ParticipantResult,
  type RubricIndicatorId,
  type ScoringConfig,
  type Threshold,
  type Weights,
} from './scoring.ts';

/**
 * Counters of the non-confidential reports received on one local date that are not rows of the snapshot
 * (not (yet) verified, on hold or archived): how many, how many whose verification was measured or was past
 * due at the statistics refresh, and how many of those were verified on time (docs/statistics.md).
 */
export interface UnlistedCount {
  createdDate: string;
  received: number;
  verificationDue: number;
  verifiedOnTime: number;
}

/**
 * The unlisted reports' counters per date and kab/kota, per date and region below kab/kota where an agency sits
 * (schema 3), and per date and agency path (no report detail).
 */
export interface UnlistedReports {
  /** Kab/kota code (the province when the report's location has no kab/kota). */
  byRegion: readonly (UnlistedCount & { regionCode: string })[];
  /**
   * Schema 3: per region code below kab/kota that is an agency's region in the snapshot (`64.72.02`), the reports
   * located there or below; absent in schema 2 snapshots (a participant located below kab/kota then counts its rows
   * only, as when they were published).
   */
  byArea?: readonly (UnlistedCount & { regionCode: string })[] | undefined;
  /** Agency ids from the root to the handling (else addressed) agency, as in the rows' `agencyPath`. */
  byAgency: readonly (UnlistedCount & { agencyPath: readonly string[] })[];
}

/** The parts of an open-data snapshot the evaluation reads. */
export interface EvaluationSnapshot {
  /** The statistics refresh the rows come from (schema 2; absent in schema 1 snapshots). */
  reportsAsOf?: string | null;
  reports: readonly (StatsFact & { createdDate: string })[];
  agencies: readonly {
    id: string;
    name: string;
    path: string;
    regionCode: string | null;
    admins: number;
    activeAdmins30d: number;
  }[];
  regionStats: readonly { code: string; population: number | null }[];
  /** Schema 2: counters of the reports not listed in `reports`; absent in schema 1 (listed reports only). */
  unlistedReports?: UnlistedReports;
}

/** A participant group: `agency` scope counts the agency subtree, `region` the kab/kota's reports. */
export interface EvaluationGroupConfig {
  id: string;
  name: string;
  scope: 'agency' | 'region';
  award: 'complaint_handling' | 'website' | 'media_sosial';
  participants: readonly string[];
}

/** Everything an evaluation run depends on besides the snapshot. */
export interface EvaluationConfig {
  periodId: string;
  from: string;
  to: string;
  weightsVersion: number;
  weights: Weights;
  thresholds: readonly Threshold[];
  minVolume: number;
  groups: readonly EvaluationGroupConfig[];
  rubric: readonly { agencyId: string; indicator: string; score: number }[];
}

/** Rankings per group. */
export interface EvaluationResult {
  periodId: string;
  weightsVersion: number;
  groups: { id: string; name: string; award: string; results: ParticipantResult[] }[];
  /**
   * The data moment of the reports: the statistics refresh the snapshot's rows come from (copied from a
   * schema 2 snapshot; absent for schema 1, so results published from those recompute unchanged).
   */
  reportsAsOf?: string | null;
}

/**
 * The weights a group is scored with: the period's weights for complaint handling, the award's own rubric
 * indicator for the website and social-media awards.
 */
export function groupWeights(weights: Weights, award: EvaluationGroupConfig['award']): Weights {
  return award === 'complaint_handling' ? weights : AWARD_WEIGHTS[award];
}

/**
 * The indicators that carry weight (above 0) for a participant in any of its groups of the period. A rubric score
 * on any other indicator would be stored and never counted, so scoring refuses it.
 */
export function weightedIndicatorsFor(
  cfg: Pick<EvaluationConfig, 'weights' | 'groups'>,
  agencyId: string,
): Set<IndicatorId> {
  const out = new Set<IndicatorId>();
  for (const g of cfg.groups) {
    if (!g.participants.includes(agencyId)) continue;
    for (const [id, w] of Object.entries(groupWeights(cfg.weights, g.award)))
      if (typeof w === 'number' && w > 0) out.add(id as IndicatorId);
  }
  return out;
}

/** Adds the counters of unlisted reports to a participant's accumulator (in place). */
export function addUnlisted(acc: StatsAcc, counts: Iterable<UnlistedCount>): StatsAcc {
  for (const c of counts) {
    acc.received += c.received;
    acc.verificationDue += c.verificationDue;
    acc.verifiedOnTime += c.verifiedOnTime;
  }
  return acc;
}

/** Runs the evaluation. */
export function evaluate(snapshot: EvaluationSnapshot, cfg: EvaluationConfig): EvaluationResult {
  const inRange = (d: string) => d >= cfg.from && d <= cfg.to;
  const inPeriod = snapshot.reports.filter((r) => inRange(r.createdDate));
  const unlistedByRegion = (snapshot.unlistedReports?.byRegion ?? []).filter((c) => inRange(c.createdDate));
  const unlistedByAgency = (snapshot.unlistedReports?.byAgency ?? []).filter((c) => inRange(c.createdDate));
  const unlistedByArea = (snapshot.unlistedReports?.byArea ?? []).filter((c) => inRange(c.createdDate));
  /** The counters of a region-scope participant located at `region`: its kab/kota or province, else its own area. */
  const regionCounts = (region: string | null) => {
    const code = region?.trim() ?? '';
    if (code === '') return [];
    if (code.split('.').length <= 2) return unlistedByRegion.filter((c) => regionCovers(code, c.regionCode));
    return unlistedByArea.filter((c) => c.regionCode === code);
  };
  const agencies = new Map(snapshot.agencies.map((a) => [a.id, a]));
  const population = new Map(snapshot.regionStats.map((r) => [r.code, r.population]));
  return {
    periodId: cfg.periodId,
    weightsVersion: cfg.weightsVersion,
    ...(snapshot.reportsAsOf !== undefined ? { reportsAsOf: snapshot.reportsAsOf } : {}),
    groups: cfg.groups.map((g) => {
      const scoring: ScoringConfig = {
        weightsVersion: cfg.weightsVersion,
        weights: groupWeights(cfg.weights, g.award),
        thresholds: cfg.thresholds,
        minVolume: g.award === 'complaint_handling' ? cfg.minVolume : 0,
      };
      const inputs = g.participants.map((id) => {
        const a = agencies.get(id);
        const region = a?.regionCode ?? null;
        const facts =
          g.scope === 'region'
            ? inPeriod.filter(
                (r) => region !== null && r.regionCode !== null && regionCovers(region, r.regionCode),
              )
            : inPeriod.filter((r) => r.agencyPath.includes(id));
        const unlisted =
          g.scope === 'region'
            ? regionCounts(region)
            : unlistedByAgency.filter((c) => c.agencyPath.includes(id));
        const staff = snapshot.agencies.filter((x) => x.path.includes(`/${id}/`));
        const rubric: Partial<Record<RubricIndicatorId, number[]>> = {};
        for (const s of cfg.rubric) {
          if (s.agencyId !== id) continue;
          (rubric[s.indicator as RubricIndicatorId] ??= []).push(s.score);
        }
        return {
          agencyId: id,
          name: a?.name ?? id,
          acc: addUnlisted(aggregate(facts, 'all').get('all') ?? emptyAcc(), unlisted),
          population: g.scope === 'region' && region ? (population.get(region) ?? null) : null,
          admins: staff.reduce((s, x) => s + x.admins, 0),
          activeAdmins: staff.reduce((s, x) => s + x.activeAdmins30d, 0),
          rubric,
        };
      });
      // Volume is compared in one unit: per 100,000 only when every participant's population is known (a
      // participant below kab/kota has none), else the raw count for all.
      const sameUnit = inputs.every((x) => x.population !== null)
        ? inputs
        : inputs.map((x) => ({ ...x, population: null }));
      return { id: g.id, name: g.name, award: g.award, results: scoreGroup(sameUnit, scoring) };
    }),
  };
}
