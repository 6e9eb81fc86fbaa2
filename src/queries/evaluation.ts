/** Evaluation reads: periods, their configuration (groups, participants, rubric scores) and published results. */
import { sql } from 'drizzle-orm';
import { AppError } from '../app/errors.ts';
import { query, type AppDb } from '../db/client.ts';
import type {
  EvaluationConfig,
  EvaluationGroupConfig,
  EvaluationResult,
} from '../domain/evaluation/evaluate.ts';
import type { Threshold, Weights } from '../domain/evaluation/scoring.ts';

/** A period as listed. */
export interface PeriodRow {
  id: string;
  name: string;
  fromDate: string;
  toDate: string;
  weightsVersion: number;
  weights: Weights;
  thresholds: Threshold[];
  minVolume: number;
}

/** Every evaluation period, newest first. */
export async function listPeriods(db: AppDb): Promise<PeriodRow[]> {
  return query<PeriodRow>(
    db,
    sql`select id, name, from_date::text as "fromDate", to_date::text as "toDate", weights_version as "weightsVersion",
          weights, thresholds, min_volume as "minVolume" from evaluation_periods order by from_date desc, id`,
  );
}

/** The full configuration of a period (404 when unknown). Rubric scores are sorted for determinism. */
export async function loadEvaluationConfig(db: AppDb, periodId: string): Promise<EvaluationConfig> {
  const [p] = (await listPeriods(db)).filter((x) => x.id === periodId);
  if (!p) throw new AppError('NOT_FOUND');
  const groups = await query<{
    id: string;
    name: string;
    scope: string;
    award: string;
    participants: string[];
  }>(
    db,
    sql`select g.id, g.name, g.scope, g.award,
          coalesce(array_agg(p.agency_id order by p.agency_id) filter (where p.agency_id is not null), '{}') as participants
        from evaluation_groups g left join evaluation_participants p on p.group_id = g.id
        where g.period_id = ${periodId} group by g.id order by g.id`,
  );
  const rubric = await query<{ agencyId: string; indicator: string; score: number }>(
    db,
    sql`select agency_id as "agencyId", indicator, score from evaluation_rubric_scores
        where period_id = ${periodId} order by agency_id, indicator, score`,
  );
  return {
    periodId: p.id,
    from: p.fromDate,
    to: p.toDate,
    weightsVersion: p.weightsVersion,
    weights: p.weights,
    thresholds: p.thresholds,
    minVolume: p.minVolume,
    groups: groups.map((g) => ({ ...g, participants: g.participants }) as EvaluationGroupConfig),
    rubric,
  };
}

/** Rubric scores of a period with assessor, justification and evidence (staff view). */
export async function rubricScores(db: AppDb, periodId: string) {
  return query<{
    id: number;
    agencyId: string;
    indicator: string;
    assessor: string;
    score: number;
    justification: string;
    evidence: unknown;
    createdAt: string;
  }>(
    db,
    sql`select s.id, s.agency_id as "agencyId", s.indicator, u.name as assessor, s.score, s.justification, s.evidence,
          s.created_at as "createdAt"
        from evaluation_rubric_scores s left join users u on u.id = s.assessor_user_id
        where s.period_id = ${periodId} order by s.agency_id, s.indicator, s.id`,
  );
}

/** A published result. */
export interface PublishedResult {
  publishedAt: string;
  snapshotSha256: string | null;
  inputsSha256: string;
  result: EvaluationResult;
}

/** The latest published result of a period, or null. */
export async function publishedResult(db: AppDb, periodId: string): Promise<PublishedResult | null> {
  const [row] = await query<PublishedResult>(
    db,
    sql`select published_at as "publishedAt", snapshot_sha256 as "snapshotSha256", inputs_sha256 as "inputsSha256", result
        from evaluation_results where period_id = ${periodId} order by id desc limit 1`,
  );
  return row ? { ...row, publishedAt: new Date(row.publishedAt).toISOString() } : null;
}

/** Region codes of a period's participant agencies (authorization scope of the staff views). */
export async function participantRegions(db: AppDb, cfg: EvaluationConfig): Promise<(string | null)[]> {
  const ids = [...new Set(cfg.groups.flatMap((g) => g.participants))];
  if (!ids.length) return [null];
  const rows = await query<{ region_code: string | null }>(
    db,
    sql`select region_code from agencies where id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  return rows.map((r) => r.region_code);
}
