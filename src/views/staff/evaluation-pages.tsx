/**
 * Back-office evaluation pages: the list of periods and one period with its participants, live
 * preview rankings (explained per indicator), rubric scores with the spread between assessors, the
 * latest automated site audits (evidence for the website / social-media awards) and the assessor
 * scoring form (`evaluation-score-form.tsx`: participant first, then its weighted indicators). The route passes
 * only the participants in the viewer's evaluation scope; a published period offers no change or publish.
 * Evidence files are plain links to their download (works without JavaScript).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { StatsStyles } from '../pages/stats-page.tsx';
import { ExplainTable, RankingTable } from '../pages/evaluation-results.tsx';
import { statsNav } from './stats-dashboard.tsx';
import { ScoreForm, type ScoreChoice } from './evaluation-score-form.tsx';
import { formatDateTime } from '../format.ts';
import { formatNumber, formatScore } from '../../presenters/number-format.ts';
import type { EvaluationResult } from '../../domain/evaluation/evaluate.ts';
import type { PeriodRow } from '../../queries/evaluation.ts';
import type { AuditRow, ParticipantRow } from '../../queries/evaluation-pages.ts';

/** The list of periods. */
export function EvaluationListPage({
  ctx,
  periods,
  canManage = false,
}: {
  ctx: PageContext;
  periods: PeriodRow[];
  canManage?: boolean;
}): VNode {
  return (
    <Layout ctx={ctx} title={ctx.t('eval.staff.title')} nav={statsNav(ctx, 'evaluation')}>
      <StatsStyles ctx={ctx} />
      <h1>{ctx.t('eval.staff.title')}</h1>
      {canManage ? (
        <p>
          <a href="/kantor/evaluasi/baru">{ctx.t('eval.form.title_create')}</a>
        </p>
      ) : null}
      {periods.length === 0 ? <p>{ctx.t('eval.staff.none')}</p> : null}
      <ul>
        {periods.map((p) => (
          <li key={p.id}>
            <a href={`/kantor/evaluasi/${p.id}`}>{p.name}</a>{' '}
            <span class="muted">
              ({p.fromDate} – {p.toDate}, {ctx.t('eval.staff.weights_version', { v: p.weightsVersion })})
            </span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** A rubric score as listed to evaluation staff. */
export interface ScoreRow {
  agencyId: string;
  indicator: string;
  assessor: string;
  score: number;
  justification: string;
  /** `href`: the file's download (`GET /api/v1/evaluation/periods/…/scores/…/evidence/…`). */
  evidence: { filename: string; sha256: string; href?: string }[];
}

/** One period in the back office. */
export function EvaluationPeriodPage(p: {
  ctx: PageContext;
  period: PeriodRow;
  participants: ParticipantRow[];
  /** The participants the viewer may score that have a weighted rubric indicator, each with those indicators. */
  scoreChoices?: readonly ScoreChoice[];
  /** The participant chosen on the scoring form (`?agencyId=…` or the posted one): its step 2 shows. */
  scoreChosen?: ScoreChoice | undefined;
  preview: EvaluationResult;
  scores: ScoreRow[];
  audits: AuditRow[];
  canScore: boolean;
  canManage?: boolean;
  published: boolean;
  /** Which write just succeeded: `saved` (a score), `created`, `changed`, `published`. */
  ok?: string | undefined;
  /** `resultFingerprint` of the whole preview, sent with the publish form. */
  previewSha256?: string;
  /** A form-level error (the publish was refused because the rankings changed). */
  message?: string | undefined;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}): VNode {
  const { ctx } = p;
  const names = new Map(p.participants.map((x) => [x.agencyId, x.name]));
  const spread = new Map<string, number[]>();
  for (const s of p.scores) {
    const k = `${s.agencyId}|${s.indicator}`;
    spread.set(k, [...(spread.get(k) ?? []), s.score]);
  }
  const errors = p.errors ?? {};
  const v = p.values ?? {};
  // The data moment of the preview (and of a publish now): the statistics refresh its reports come from.
  const reportsAsOf = p.preview.reportsAsOf
    ? formatDateTime(p.preview.reportsAsOf, ctx.lang)
    : ctx.t('eval.staff.never_refreshed');
  return (
    <Layout
      ctx={ctx}
      title={p.period.name}
      nav={statsNav(ctx, 'evaluation')}
      hasErrors={Object.keys(errors).length > 0 || !!p.message}
    >
      <StatsStyles ctx={ctx} />
      <ErrorSummary ctx={ctx} errors={errors} message={p.message} />
      {p.ok ? (
        <div class="notice-ok" role="status">
          <p>{ctx.t(`eval.staff.ok_${p.ok}`)}</p>
        </div>
      ) : null}
      <h1>{p.period.name}</h1>
      <p>
        {p.period.fromDate} – {p.period.toDate} ·{' '}
        {ctx.t('eval.staff.weights_version', { v: p.period.weightsVersion })} ·{' '}
        {ctx.t('eval.staff.min_volume', { n: p.period.minVolume })}
      </p>
      <p>
        {p.published ? (
          <a href={`/evaluasi/${p.period.id}`}>{ctx.t('eval.staff.public_results')}</a>
        ) : (
          ctx.t('eval.staff.not_published')
        )}
        {p.published ? (
          <>
            {' · '}
            <a href={`/api/v1/evaluation/periods/${p.period.id}/results.xlsx?lang=${ctx.lang}`}>
              {ctx.t('eval.xlsx')}
            </a>
          </>
        ) : null}
      </p>
      {p.canManage && p.published ? <p class="muted">{ctx.t('eval.staff.published_final')}</p> : null}
      {p.canManage && !p.published ? (
        <div>
          <p>
            <a href={`/kantor/evaluasi/${p.period.id}/ubah`}>{ctx.t('eval.form.edit_link')}</a>
          </p>
          <form
            method="post"
            action={`/kantor/evaluasi/${p.period.id}/terbitkan`}
            aria-labelledby="publish-h"
          >
            <h2 id="publish-h">{ctx.t('eval.form.publish')}</h2>
            <p class="hint">{ctx.t('eval.form.publish_hint_now', { reports: reportsAsOf })}</p>
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            {p.previewSha256 ? <input type="hidden" name="preview" value={p.previewSha256} /> : null}
            <Button variant="secondary">{ctx.t('eval.form.publish_button')}</Button>
          </form>
        </div>
      ) : null}
      <h2>{ctx.t('eval.staff.participants')}</h2>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={ctx.t('stats.scroll_table')}>
        <table class="data-table">
          <caption>{ctx.t('eval.staff.participants_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('eval.participant')}</th>
              <th scope="col">{ctx.t('eval.staff.group')}</th>
              <th scope="col">{ctx.t('eval.staff.website')}</th>
              <th scope="col">{ctx.t('eval.staff.audit')}</th>
            </tr>
          </thead>
          <tbody>
            {p.participants.map((x) => {
              const audits = p.audits.filter((a) => a.agencyId === x.agencyId);
              return (
                <tr key={`${x.groupId}-${x.agencyId}`}>
                  <th scope="row">{x.name}</th>
                  <td>{x.groupId}</td>
                  <td>
                    {x.websiteUrl ?? '–'}
                    {x.socialUrl ? <> · {x.socialUrl}</> : null}
                  </td>
                  <td>
                    {audits.length === 0
                      ? ctx.t('eval.staff.no_audit')
                      : audits.map((a) => (
                          <p key={a.kind}>
                            {ctx.t(`eval.indicator.${a.kind}`)}:{' '}
                            {ctx.t('eval.staff.audit_score', {
                              score: formatNumber(a.score, ctx.lang, { max: 2 }),
                            })}{' '}
                            ({a.ranAt.slice(0, 10)})
                            <br />
                            {a.result.checks
                              .map((c) => `${ctx.t(`eval.check.${c.id}`)} ${c.passed ? '✓' : '✗'}`)
                              .join(' · ')}
                            {a.result.refused?.length ? (
                              <>
                                <br />
                                {ctx.t('eval.staff.audit_refused', {
                                  hosts: [...new Set(a.result.refused.map((x) => x.host))].join(', '),
                                })}
                              </>
                            ) : null}
                            {a.result.violations.length ? (
                              <>
                                <br />
                                {ctx.t('eval.staff.violations', {
                                  list: a.result.violations.map((x) => x.id).join(', '),
                                })}
                              </>
                            ) : null}
                          </p>
                        ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="muted small">{ctx.t('eval.staff.audit_hint', { period: p.period.id })}</p>
      <h2>{ctx.t('eval.staff.preview')}</h2>
      <p class="muted">{ctx.t('eval.staff.preview_note')}</p>
      <p class="muted" id="preview-data-at">
        {ctx.t('eval.staff.preview_data_at', { reports: reportsAsOf })}
      </p>
      {p.preview.groups.map((g) => (
        <section key={g.id} aria-labelledby={`pg-${g.id}`}>
          <h3 id={`pg-${g.id}`}>
            {g.name} ({ctx.t(`eval.award.${g.award}`)})
          </h3>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={ctx.t('stats.scroll_table')}>
            <RankingTable
              ctx={ctx}
              caption={ctx.t('eval.ranking_caption', { group: g.name })}
              results={g.results}
            />
          </div>
          {g.results.map((r) => (
            <details key={r.agencyId}>
              <summary>
                {ctx.t('eval.explain.summary', { name: r.name, total: formatScore(r.total, ctx.lang) })}
              </summary>
              <div class="table-scroll" tabIndex={0} role="region" aria-label={ctx.t('stats.scroll_table')}>
                <ExplainTable ctx={ctx} r={r} />
              </div>
            </details>
          ))}
        </section>
      ))}
      <h2>{ctx.t('eval.staff.scores')}</h2>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={ctx.t('stats.scroll_table')}>
        <table class="data-table">
          <caption>{ctx.t('eval.staff.scores_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('eval.participant')}</th>
              <th scope="col">{ctx.t('eval.explain.indicator')}</th>
              <th scope="col">{ctx.t('eval.staff.assessor')}</th>
              <th scope="col" class="num">
                {ctx.t('eval.explain.score')}
              </th>
              <th scope="col" class="num">
                {ctx.t('eval.staff.spread')}
              </th>
              <th scope="col">{ctx.t('eval.staff.justification')}</th>
              <th scope="col">{ctx.t('eval.staff.evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {p.scores.map((s, i) => {
              const all = spread.get(`${s.agencyId}|${s.indicator}`) ?? [s.score];
              return (
                <tr key={i}>
                  <th scope="row">{names.get(s.agencyId) ?? s.agencyId}</th>
                  <td>{ctx.t(`eval.indicator.${s.indicator}`)}</td>
                  <td>{s.assessor}</td>
                  <td class="num">{s.score}</td>
                  <td class="num">{Math.max(...all) - Math.min(...all)}</td>
                  <td>{s.justification}</td>
                  <td>
                    {s.evidence.map((e, j) => (
                      <span key={j}>
                        {j > 0 ? ', ' : null}
                        {e.href ? <a href={e.href}>{e.filename}</a> : e.filename} (sha256{' '}
                        {e.sha256.slice(0, 12)}…)
                      </span>
                    ))}
                  </td>
                </tr>
              );
            })}
            {p.scores.length === 0 ? (
              <tr>
                <td colSpan={7}>{ctx.t('eval.staff.no_scores')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {p.canScore ? (
        <ScoreForm
          ctx={ctx}
          periodId={p.period.id}
          choices={p.scoreChoices ?? []}
          chosen={p.scoreChosen}
          errors={errors}
          values={v}
        />
      ) : null}
    </Layout>
  );
}
