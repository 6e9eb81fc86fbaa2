/**
 * Building blocks shared by the public statistics page, the monthly report and the back-office
 * dashboards: percentage/number formatting, the headline figures, and the data tables that are the
 * accessible equivalent of each chart.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { PageContext } from '../context.ts';
import type { StatsIndicators } from '../../domain/stats/aggregate.ts';
import type { StatsRow } from '../../queries/stats.ts';
import { monthName } from '../../presenters/stats-table.ts';
import { formatNumber } from '../../presenters/number-format.ts';

/** "83%" or "–" for a missing rate. */
export function pct(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)}%`;
}

/** A number in the page language (grouping, decimal comma in Indonesian), '–' for none. */
export function num(ctx: PageContext, n: number | null | undefined): string {
  return formatNumber(n, ctx.lang);
}

/** "Maret 2026" for `2026-03`. */
export function monthLabel(ctx: PageContext, month: string, short = false): string {
  return monthName(ctx.lang, month, short);
}

/** The headline figures of a range. */
export function Headline({ ctx, totals }: { ctx: PageContext; totals: StatsIndicators }): VNode {
  const items: [string, string][] = [
    [num(ctx, totals.received), ctx.t('stats.ind.received')],
    [num(ctx, totals.completed), ctx.t('stats.ind.completed')],
    [pct(totals.completionRate), ctx.t('stats.ind.completion_rate')],
    [pct(totals.verifiedOnTimeRate.rate), ctx.t('stats.ind.verified_on_time')],
    [pct(totals.followedUpOnTimeRate.rate), ctx.t('stats.ind.followed_up_on_time')],
    [num(ctx, totals.medianWorkingDaysToCompletion), ctx.t('stats.ind.median_days_completion')],
  ];
  return (
    <ul class="stats stat-grid">
      {items.map(([v, l]) => (
        <li key={l}>
          <strong>{v}</strong> {l}
        </li>
      ))}
    </ul>
  );
}

/** Builds the export URL of a table for a file type. */
export type ExportHref = (ext: 'csv' | 'xlsx') => string;

/** CSV and XLSX links of one table; the table name completes the link names for screen readers. */
export function ExportLinks({
  ctx,
  table,
  href,
}: {
  ctx: PageContext;
  table: string;
  href: ExportHref;
}): VNode {
  return (
    <p class="table-exports no-print">
      {ctx.t('stats.downloads.table')}{' '}
      <a href={href('csv')}>
        CSV<span class="visually-hidden"> {table}</span>
      </a>
      {' · '}
      <a href={href('xlsx')}>
        XLSX<span class="visually-hidden"> {table}</span>
      </a>
    </p>
  );
}

/** A chart and its data table side by side (stacked on narrow screens). */
export function ChartWithTable(p: {
  id: string;
  heading: string;
  caption: string;
  chart: VNode;
  table: VNode;
  children?: ComponentChildren;
}): VNode {
  return (
    <section class="chart-section" aria-labelledby={`${p.id}-h`}>
      <h2 id={`${p.id}-h`}>{p.heading}</h2>
      {p.children}
      <div class="chart-pair">
        <figure class="chart-figure">
          {p.chart}
          <figcaption>{p.caption}</figcaption>
        </figure>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={p.caption}>
          {p.table}
        </div>
      </div>
    </section>
  );
}

/** Columns an indicator table can show. */
export type IndicatorColumn =
  | 'received'
  | 'verified'
  | 'completed'
  | 'completion_rate'
  | 'verified_on_time'
  | 'followed_up_on_time'
  | 'returned'
  | 'overdue'
  | 'median_days_follow_up'
  | 'median_days_completion'
  | 'mean_rating'
  | 'dispatched'
  | 'misrouted_days'
  | 'p90_days_follow_up'
  | 'p90_days_completion'
  | 'dispute_share'
  | 'reopened'
  | 'transferred';

/** Every indicator column, in the order of the full tables (dashboard, "all indicators"). */
export const ALL_INDICATOR_COLUMNS: IndicatorColumn[] = [
  'received',
  'verified',
  'verified_on_time',
  'dispatched',
  'returned',
  'misrouted_days',
  'followed_up_on_time',
  'completed',
  'completion_rate',
  'overdue',
  'median_days_follow_up',
  'p90_days_follow_up',
  'median_days_completion',
  'p90_days_completion',
  'mean_rating',
  'dispute_share',
  'reopened',
];

/**
 * The staff dashboard's columns: every indicator column plus, after "overdue", the reports handed to the Ombudsman
 * (neither completed nor overdue). The public pages keep `ALL_INDICATOR_COLUMNS`.
 */
export const STAFF_INDICATOR_COLUMNS: IndicatorColumn[] = ALL_INDICATOR_COLUMNS.flatMap((c) =>
  c === 'overdue' ? [c, 'transferred' as const] : [c],
);

function cell(ctx: PageContext, r: StatsIndicators, c: IndicatorColumn): string {
  switch (c) {
    case 'received':
      return num(ctx, r.received);
    case 'verified':
      return num(ctx, r.verified);
    case 'completed':
      return num(ctx, r.completed);
    case 'completion_rate':
      return pct(r.completionRate);
    case 'verified_on_time':
      return pct(r.verifiedOnTimeRate.rate);
    case 'followed_up_on_time':
      return pct(r.followedUpOnTimeRate.rate);
    case 'returned':
      return num(ctx, r.returned);
    case 'overdue':
      return num(ctx, r.overdue);
    case 'median_days_follow_up':
      return num(ctx, r.medianWorkingDaysToFollowUp);
    case 'median_days_completion':
      return num(ctx, r.medianWorkingDaysToCompletion);
    case 'mean_rating':
      return formatNumber(r.satisfaction.meanRating, ctx.lang, { min: 2, max: 2 });
    case 'dispatched':
      return num(ctx, r.dispatched);
    case 'misrouted_days':
      return num(ctx, r.misroutedWorkingDays);
    case 'p90_days_follow_up':
      return num(ctx, r.p90WorkingDaysToFollowUp);
    case 'p90_days_completion':
      return num(ctx, r.p90WorkingDaysToCompletion);
    case 'dispute_share':
      return pct(r.satisfaction.disputeShare);
    case 'reopened':
      return num(ctx, r.reopened);
    case 'transferred':
      return num(ctx, r.transferred);
  }
}

/** Every indicator of a range's totals, one per row (the accessible "all indicators" summary). */
export function TotalsTable({ ctx, totals }: { ctx: PageContext; totals: StatsIndicators }): VNode {
  return (
    <table class="data-table">
      <caption>{ctx.t('stats.public.all_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{ctx.t('stats.public.indicator')}</th>
          <th scope="col" class="num">
            {ctx.t('stats.public.value')}
          </th>
        </tr>
      </thead>
      <tbody>
        {ALL_INDICATOR_COLUMNS.map((c) => (
          <tr key={c}>
            <th scope="row">{ctx.t(`stats.ind.${c}`)}</th>
            <td class="num">{cell(ctx, totals, c)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A table of indicator rows: first column is the row header (optionally a link), then the chosen columns. */
export function IndicatorTable(p: {
  ctx: PageContext;
  caption: string;
  keyHeader: string;
  rows: (StatsRow & { href?: string | undefined; display?: string })[];
  columns: IndicatorColumn[];
  totals?: StatsIndicators | undefined;
}): VNode {
  const { ctx } = p;
  return (
    <table class="data-table">
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{p.keyHeader}</th>
          {p.columns.map((c) => (
            <th scope="col" class="num" key={c}>
              {ctx.t(`stats.ind.${c}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">
              {r.href ? <a href={r.href}>{r.display ?? r.label}</a> : (r.display ?? r.label)}
            </th>
            {p.columns.map((c) => (
              <td class="num" key={c}>
                {cell(ctx, r, c)}
              </td>
            ))}
          </tr>
        ))}
        {p.rows.length === 0 ? (
          <tr>
            <td colSpan={p.columns.length + 1}>{ctx.t('stats.no_data')}</td>
          </tr>
        ) : null}
      </tbody>
      {p.totals ? (
        <tfoot>
          <tr>
            <th scope="row">{ctx.t('stats.total')}</th>
            {p.columns.map((c) => (
              <td class="num" key={c}>
                {cell(ctx, p.totals!, c)}
              </td>
            ))}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
