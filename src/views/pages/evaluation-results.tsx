/**
 * Published evaluation results `/evaluasi/:periodId` (rankings per group and award category, each
 * score explained indicator by indicator, printable) and the certificate page of one participant.
 * Everything shown comes from the published result (aggregates and rubric means; no report detail).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { StatsStyles } from './stats-page.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { flagWords } from '../../presenters/evaluation-flags.ts';
import { formulaText } from '../../presenters/evaluation-formula.ts';
import { formatNumber, formatScore } from '../../presenters/number-format.ts';
import type { EvaluationResult } from '../../domain/evaluation/evaluate.ts';
import type { IndicatorScore, ParticipantResult } from '../../domain/evaluation/scoring.ts';

/** Indicator explanation table (value, score, weight, contribution, formula) of one participant. */
export function ExplainTable({ ctx, r }: { ctx: PageContext; r: ParticipantResult }): VNode {
  const n = (x: number, max = 2) => formatNumber(x, ctx.lang, { max });
  const value = (i: IndicatorScore) =>
    i.value === null
      ? '–'
      : i.indicator === 'satisfaction' && i.interval
        ? `${n(i.value)} / 5 (${n(i.interval.successes)}/${n(i.interval.trials)})`
        : i.interval
          ? `${n(i.value * 100, 1)}% (${n(i.interval.successes)}/${n(i.interval.trials)})`
          : n(i.value);
  return (
    <table class="data-table explain">
      <caption>{ctx.t('eval.explain.caption', { name: r.name })}</caption>
      <thead>
        <tr>
          <th scope="col">{ctx.t('eval.explain.indicator')}</th>
          <th scope="col" class="num">
            {ctx.t('eval.explain.value')}
          </th>
          <th scope="col" class="num">
            {ctx.t('eval.explain.score')}
          </th>
          <th scope="col" class="num">
            {ctx.t('eval.explain.weight')}
          </th>
          <th scope="col" class="num">
            {ctx.t('eval.explain.contribution')}
          </th>
          <th scope="col">{ctx.t('eval.explain.formula')}</th>
        </tr>
      </thead>
      <tbody>
        {r.indicators.map((i) => (
          <tr key={i.indicator}>
            <th scope="row">{ctx.t(`eval.indicator.${i.indicator}`)}</th>
            <td class="num">{value(i)}</td>
            <td class="num">{formatScore(i.score, ctx.lang)}</td>
            <td class="num">{n(i.weight)}</td>
            <td class="num">{formatScore(i.contribution, ctx.lang)}</td>
            <td>
              {formulaText(ctx.lang, i.formula)}
              {i.spread !== undefined && i.assessors
                ? ` · ${ctx.t('eval.spread', { n: i.assessors, spread: n(i.spread) })}`
                : ''}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{ctx.t('eval.explain.total')}</th>
          <td colSpan={3} />
          <td class="num">{formatScore(r.total, ctx.lang)}</td>
          <td>{r.predikat}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** Ranking table of one group; `certificateHref` adds a certificate link per ranked participant. */
export function RankingTable(p: {
  ctx: PageContext;
  caption: string;
  results: ParticipantResult[];
  certificateHref?: (agencyId: string) => string;
}): VNode {
  const { ctx } = p;
  return (
    <table class="data-table">
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col" class="num">
            {ctx.t('eval.rank')}
          </th>
          <th scope="col">{ctx.t('eval.participant')}</th>
          <th scope="col" class="num">
            {ctx.t('eval.total')}
          </th>
          <th scope="col">{ctx.t('eval.predikat')}</th>
          <th scope="col" class="num">
            {ctx.t('eval.received')}
          </th>
          <th scope="col">{ctx.t('eval.flags')}</th>
        </tr>
      </thead>
      <tbody>
        {p.results.map((r) => (
          <tr key={r.agencyId}>
            <td class="num">{r.rank ?? '–'}</td>
            <th scope="row">
              {p.certificateHref && r.rank !== null ? (
                <a href={p.certificateHref(r.agencyId)}>{r.name}</a>
              ) : (
                r.name
              )}
            </th>
            <td class="num">{formatScore(r.total, ctx.lang)}</td>
            <td>{r.predikat}</td>
            <td class="num">{formatNumber(r.received, ctx.lang)}</td>
            <td>{flagWords(ctx.lang, r.flags) || '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The public results page. */
export function EvaluationResultsPage(p: {
  ctx: PageContext;
  periodId: string;
  name: string;
  publishedAt: string;
  inputsSha256: string;
  snapshotSha256: string | null;
  result: EvaluationResult;
}): VNode {
  const { ctx } = p;
  return (
    <Layout ctx={ctx} title={p.name}>
      <StatsStyles ctx={ctx} />
      <h1>{p.name}</h1>
      <p class="lead">{ctx.t('eval.public.lead')}</p>
      <p class="muted small">
        {ctx.t('eval.public.published', { at: formatDate(p.publishedAt, ctx.lang) })}{' '}
        {ctx.t('eval.public.hashes', {
          inputs: p.inputsSha256.slice(0, 16),
          snapshot: (p.snapshotSha256 ?? '–').slice(0, 16),
        })}
      </p>
      {p.result.reportsAsOf !== undefined ? (
        <p class="muted small">
          {ctx.t('eval.public.data_at', {
            reports: p.result.reportsAsOf ? formatDateTime(p.result.reportsAsOf, ctx.lang) : '–',
            at: formatDateTime(p.publishedAt, ctx.lang),
          })}
        </p>
      ) : null}
      <p class="no-print">
        <a href={`/api/v1/evaluation/periods/${p.periodId}/results.xlsx?lang=${ctx.lang}`}>
          {ctx.t('eval.xlsx')}
        </a>
        {' · '}
        <a href={`/api/v1/evaluation/periods/${p.periodId}/results`}>{ctx.t('eval.json')}</a>
        {p.snapshotSha256 ? (
          <>
            {' · '}
            <a href={`/api/v1/open-data/snapshots/${p.snapshotSha256}`}>{ctx.t('eval.snapshot')}</a>
          </>
        ) : null}
      </p>
      {p.result.groups.map((g) => (
        <section key={g.id} class="chart-section" aria-labelledby={`g-${g.id}`}>
          <h2 id={`g-${g.id}`}>
            {g.name} <span class="muted">({ctx.t(`eval.award.${g.award}`)})</span>
          </h2>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={ctx.t('stats.scroll_table')}>
            <RankingTable
              ctx={ctx}
              caption={ctx.t('eval.ranking_caption', { group: g.name })}
              results={g.results}
              certificateHref={(a) =>
                `/evaluasi/${p.periodId}/sertifikat/${encodeURIComponent(a)}?kelompok=${g.id}`
              }
            />
          </div>
          {g.results.map((r) => (
            <details key={r.agencyId} class="explain-details">
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
      <p class="muted small">{ctx.t('eval.public.method')}</p>
    </Layout>
  );
}

/** The certificate of one ranked participant (printable, one page). */
export function CertificatePage(p: {
  ctx: PageContext;
  periodName: string;
  groupName: string;
  award: string;
  r: ParticipantResult;
  publishedAt: string;
  inputsSha256: string;
}): VNode {
  const { ctx, r } = p;
  return (
    <Layout ctx={ctx} title={ctx.t('eval.cert.title', { name: r.name })}>
      <StatsStyles ctx={ctx} />
      <div class="certificate">
        <p>{ctx.t('eval.cert.heading')}</p>
        <h1>{r.name}</h1>
        <p>{ctx.t('eval.cert.body', { group: p.groupName, award: ctx.t(`eval.award.${p.award}`) })}</p>
        <p class="big">{ctx.t('eval.cert.rank', { rank: r.rank ?? '–' })}</p>
        <p>{ctx.t('eval.cert.score', { total: formatScore(r.total, ctx.lang), predikat: r.predikat })}</p>
        <p>{p.periodName}</p>
        <p class="muted small">
          {ctx.t('eval.public.published', { at: formatDate(p.publishedAt, ctx.lang) })} ·{' '}
          {ctx.t('eval.cert.verify', { hash: p.inputsSha256.slice(0, 16) })}
        </p>
      </div>
    </Layout>
  );
}
