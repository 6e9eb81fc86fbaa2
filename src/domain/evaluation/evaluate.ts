/**
 * Computes an evaluation period's rankings from an open-data snapshot plus the period's
 * configuration and rubric scores. Pure: the app (publish) and `aduan evaluate` (recompute from the
 * published snapshot file) call the same function, so their numbers are equal by construction.
 */
import { regionCovers } from '../deadline/calendar.ts';
import { aggregate, emptyAcc, type StatsFact } from '../stats/aggregate.ts';
import {
  AWARD_WEIGHTS,
  scoreGroup,
  type ParticipantResult,
  type RubricIndicatorId,
  type ScoringConfig,
  type Threshold,
  type Weights,
} from './scoring.ts';

/** The parts of an open-data snapshot the evaluation reads. */
export interface EvaluationSnapshot {
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
}

/** Runs the evaluation. */
export function evaluate(snapshot: EvaluationSnapshot, cfg: EvaluationConfig): EvaluationResult {
  const inPeriod = snapshot.reports.filter((r) => r.createdDate >= cfg.from && r.createdDate <= cfg.to);
  const agencies = new Map(snapshot.agencies.map((a) => [a.id, a]));
  const population = new Map(snapshot.regionStats.map((r) => [r.code, r.population]));
  return {
    periodId: cfg.periodId,
    weightsVersion: cfg.weightsVersion,
    groups: cfg.groups.map((g) => {
      const scoring: ScoringConfig = {
        weightsVersion: cfg.weightsVersion,
        weights: g.award === 'complaint_handling' ? cfg.weights : AWARD_WEIGHTS[g.award],
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
        const staff = snapshot.agencies.filter((x) => x.path.includes(`/${id}/`));
        const rubric: Partial<Record<RubricIndicatorId, number[]>> = {};
        for (const s of cfg.rubric) {
          if (s.agencyId !== id) continue;
          (rubric[s.indicator as RubricIndicatorId] ??= []).push(s.score);
        }
        return {
          agencyId: id,
          name: a?.name ?? id,
          acc: aggregate(facts, 'all').get('all') ?? emptyAcc(),
          population: g.scope === 'region' && region ? (population.get(region) ?? null) : null,
          admins: staff.reduce((s, x) => s + x.admins, 0),
          activeAdmins: staff.reduce((s, x) => s + x.activeAdmins30d, 0),
          rubric,
        };
      });
      return { id: g.id, name: g.name, award: g.award, results: scoreGroup(inputs, scoring) };
    }),
  };
}
