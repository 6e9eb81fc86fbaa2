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
import type { Sealer } from '../integrations/crypto.ts';
import { canStaff, type Actor, type StaffScope } from '../policies/can.ts';

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

/**
 * A rubric score as evaluation staff see it (evidence: the uploader's file name, type, size and sha256; never the
 * storage key). Evidence files are downloaded by their position in `evidence` (`openEvidence`).
 */
export interface RubricScoreRow {
  id: number;
  agencyId: string;
  indicator: string;
  assessor: string;
  score: number;
  justification: string;
  evidence: { filename: string; mime: string | null; size: number; sha256: string }[];
  createdAt: string;
}

/** An evidence entry as read from the jsonb column (any shape it was ever stored in). */
interface EvidenceJson {
  key?: unknown;
  filename?: unknown;
  filenameEnc?: unknown;
  mime?: unknown;
  size?: unknown;
  sha256?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The uploader's own name of an evidence file, opened from `filenameEnc`. An entry stored before names were
 * sealed holds it in `filename`; an envelope no configured key opens gives the neutral `filename`, not a 500.
 */
function evidenceName(e: EvidenceJson, sealer: Pick<Sealer, 'open'>): string {
  if (typeof e.filenameEnc !== 'string') return text(e.filename);
  try {
    const name = sealer.open<unknown>(e.filenameEnc);
    return typeof name === 'string' && name ? name : text(e.filename);
  } catch {
    return text(e.filename);
  }
}

function evidenceEntries(raw: unknown): EvidenceJson[] {
  return Array.isArray(raw) ? raw.map((e: unknown) => (e && typeof e === 'object' ? e : {})) : [];
}

/**
 * Whether a person sees a participant's rubric scores, justifications and evidence (docs/evaluation.md, "Who
 * sees what"): the whole period, or that participant in its evaluation scope. The one rule of every view of a
 * rubric score: the period API, the back-office page and the evidence download.
 */
export function seesParticipant(access: EvaluationAccess, agencyId: string): boolean {
  return access.all || access.visible.has(agencyId);
}

/**
 * Rubric scores of a period with assessor, justification and evidence (staff view), the evidence under the
 * uploader's own names (opened with `sealer`). `access` limits them to the participants the viewer sees
 * (`seesParticipant`); omitted = every participant.
 */
export async function rubricScores(
  db: AppDb,
  sealer: Pick<Sealer, 'open'>,
  periodId: string,
  access?: EvaluationAccess,
): Promise<RubricScoreRow[]> {
  const rows = await query<Omit<RubricScoreRow, 'evidence'> & { evidence: unknown }>(
    db,
    sql`select s.id, s.agency_id as "agencyId", s.indicator, u.name as assessor, s.score, s.justification, s.evidence,
          s.created_at as "createdAt"
        from evaluation_rubric_scores s left join users u on u.id = s.assessor_user_id
        where s.period_id = ${periodId} order by s.agency_id, s.indicator, s.id`,
  );
  return rows
    .filter((r) => !access || seesParticipant(access, r.agencyId))
    .map((r) => ({
      ...r,
      evidence: evidenceEntries(r.evidence).map((e) => ({
        filename: evidenceName(e, sealer),
        mime: typeof e.mime === 'string' ? e.mime : null,
        size: typeof e.size === 'number' ? e.size : 0,
        sha256: text(e.sha256),
      })),
    }));
}

/** An evidence file to download: its storage key, the uploader's own name and the type recorded at upload. */
export interface EvidenceFile {
  key: string;
  name: string;
  /** Null for files stored before evidence was cleaned (no type was recorded). */
  mime: string | null;
}

/**
 * The `index`-th evidence file of rubric score `scoreId` in the period, when the person may see that rubric
 * score (`seesParticipant`); null otherwise, and for a signed-out person or an unknown score or index.
 */
export async function rubricEvidenceFile(
  db: AppDb,
  sealer: Pick<Sealer, 'open'>,
  actor: Actor,
  periodId: string,
  scoreId: number,
  index: number,
): Promise<EvidenceFile | null> {
  if (!actor.userId) return null;
  const [row] = await query<{ agencyId: string; evidence: unknown }>(
    db,
    sql`select agency_id as "agencyId", evidence from evaluation_rubric_scores
        where id = ${scoreId} and period_id = ${periodId}`,
  );
  if (!row) return null;
  const access = await evaluationAccess(db, actor, await loadEvaluationConfig(db, periodId));
  if (!seesParticipant(access, row.agencyId)) return null;
  const entry = evidenceEntries(row.evidence)[index];
  if (!entry || typeof entry.key !== 'string' || !entry.key) return null;
  return {
    key: entry.key,
    name: evidenceName(entry, sealer),
    mime: typeof entry.mime === 'string' ? entry.mime : null,
  };
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

/** Where each participant agency of a period lies (its agency path and region), as a staff-permission scope. */
export async function participantScopes(db: AppDb, cfg: EvaluationConfig): Promise<Map<string, StaffScope>> {
  const ids = [...new Set(cfg.groups.flatMap((g) => g.participants))];
  if (!ids.length) return new Map();
  const rows = await query<{ id: string; path: string; region_code: string | null }>(
    db,
    sql`select id, path, region_code from agencies where id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return new Map(
    ids.map((id) => {
      const a = byId.get(id);
      return [
        id,
        {
          agencyId: id,
          agencyPath: a ? a.path.split('/').filter(Boolean) : [],
          regionCode: a?.region_code ?? null,
        },
      ];
    }),
  );
}

/** What one person may see and do in an evaluation period (docs/evaluation.md, "Who sees what"). */
export interface EvaluationAccess {
  /** Sees the whole period: national scope, or every participant lies in the person's scope. */
  all: boolean;
  /** Participants (agency ids) whose ranking rows, rubric scores, justifications and evidence the person sees. */
  visible: ReadonlySet<string>;
  /** Participants the person may score (`score_evaluation`). */
  scorable: ReadonlySet<string>;
  /** May change and publish the period: `manage_evaluation` nationally or over every participant. */
  manage: boolean;
}

/**
 * The person's view of a period, participant by participant: `view_evaluation` over the participant agency
 * (national admins and national assessors everywhere; coordinators and regional assessors in their region;
 * agency admins in their agency subtree). One participant in scope never opens the others.
 */
export async function evaluationAccess(
  db: AppDb,
  actor: Actor,
  cfg: EvaluationConfig,
): Promise<EvaluationAccess> {
  const scopes = await participantScopes(db, cfg);
  const ids = [...scopes.keys()];
  const national = canStaff(actor, 'view_evaluation', {});
  const visible = new Set(ids.filter((id) => national || canStaff(actor, 'view_evaluation', scopes.get(id))));
  const scorable = new Set(ids.filter((id) => canStaff(actor, 'score_evaluation', scopes.get(id))));
  const manage =
    canStaff(actor, 'manage_evaluation', {}) ||
    (ids.length > 0 && ids.every((id) => canStaff(actor, 'manage_evaluation', scopes.get(id))));
  return { all: national || (ids.length > 0 && visible.size === ids.length), visible, scorable, manage };
}

/**
 * A result cut down to the participants the person sees: other participants' rows are removed (the visible
 * rows keep their rank in the whole group) and groups without a visible participant are left out.
 */
export function resultForViewer(result: EvaluationResult, access: EvaluationAccess): EvaluationResult {
  if (access.all) return result;
  return {
    ...result,
    groups: result.groups
      .map((g) => ({ ...g, results: g.results.filter((r) => access.visible.has(r.agencyId)) }))
      .filter((g) => g.results.length > 0),
  };
}

/** Whether the period has a published result (published periods can no longer be changed or republished). */
export async function isPublished(db: AppDb, periodId: string): Promise<boolean> {
  const [row] = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from evaluation_results where period_id = ${periodId}`,
  );
  return (row?.n ?? 0) > 0;
}
