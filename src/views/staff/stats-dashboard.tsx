/**
 * Back-office dashboards `/kantor/statistik`: the caller's scope (national, region or agency subtree)
 * grouped by agency, category, region, classification, channel or month, each row linking to the
 * reports behind it, with CSV/XLSX exports of the same table. Plus the drill-down list page.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { TextInput } from '../components/fields.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { Pagination } from '../components/pagination.tsx';
import { staffNav } from './common.tsx';
import { Headline, IndicatorTable, STAFF_INDICATOR_COLUMNS } from '../charts/stats-parts.tsx';
import { MonthsSection, StatsStyles } from '../pages/stats-page.tsx';
import type { StatsGroupBy, StatsResult } from '../../queries/stats.ts';
import { STATS_GROUP_BY } from '../../queries/stats.ts';
import { statsRowLabel } from '../../presenters/stats-table.ts';

/** The routing accuracy page (`src/views/staff/routing-accuracy.tsx`). */
export const ROUTING_ACCURACY_PATH = '/kantor/statistik/rute';

/** The back-office menu plus the statistics and evaluation entries. */
export function statsNav(ctx: PageContext, current: 'stats' | 'evaluation' | null) {
  return [
    ...staffNav(ctx, null).filter((i) => i.href !== '/'),
    { href: '/kantor/statistik', label: ctx.t('stats.nav.dashboard'), current: current === 'stats' },
    { href: '/kantor/evaluasi', label: ctx.t('stats.nav.evaluation'), current: current === 'evaluation' },
    { href: '/', label: ctx.t('staff.nav.public_site') },
  ];
}

/** Query string of a dashboard view. */
export function dashQuery(groupBy: StatsGroupBy, from: string, to: string, extra = ''): string {
  return `kelompok=${groupBy}&dari=${from}&sampai=${to}${extra}`;
}

/** The dashboard page. */
export function StatsDashboardPage(p: {
  ctx: PageContext;
  scopeLabel: string;
  result: StatsResult;
  months: StatsResult;
  errors?: Record<string, string>;
  /** Link to the routing accuracy page (callers who may see it). */
  routingAccuracy?: boolean;
  /**
   * Reports of the range handed to the Ombudsman (the roll-up's `transferred` counter of the totals, also a column
   * of each row: neither completed nor overdue), with the queue tab that lists them for callers who have it.
   */
  transferred?: { count: number; queueHref?: string | undefined } | undefined;
}): VNode {
  const { ctx, result: r } = p;
  const label = (key: string, l: string) => statsRowLabel(r.groupBy, key, l, ctx.lang);
  return (
    <Layout ctx={ctx} title={ctx.t('stats.dash.title')} nav={statsNav(ctx, 'stats')}>
      <StatsStyles ctx={ctx} />
      <h1>{ctx.t('stats.dash.title')}</h1>
      <p class="lead">{ctx.t('stats.dash.scope', { scope: p.scopeLabel })}</p>
      <form method="get" action="/kantor/statistik" class="filter-row">
        <input type="hidden" name="kelompok" value={r.groupBy} />
        <TextInput ctx={ctx} name="dari" type="date" label={ctx.t('stats.filter.from')} value={r.from} />
        <TextInput ctx={ctx} name="sampai" type="date" label={ctx.t('stats.filter.to')} value={r.to} />
        <Button variant="secondary">{ctx.t('stats.filter.show')}</Button>
      </form>
      <Headline ctx={ctx} totals={r.totals} />
      {p.transferred ? (
        <p data-slot="transferred">
          {ctx.t('stats.dash.transferred', { n: p.transferred.count })}
          {p.transferred.queueHref ? (
            <>
              {' '}
              <a href={p.transferred.queueHref}>{ctx.t('stats.dash.transferred_link')}</a>
            </>
          ) : null}
        </p>
      ) : null}
      <nav aria-label={ctx.t('stats.dash.group_nav')}>
        <ul class="tab-links">
          {STATS_GROUP_BY.map((g) => (
            <li key={g}>
              <a
                href={`/kantor/statistik?${dashQuery(g, r.from, r.to)}`}
                aria-current={g === r.groupBy ? 'page' : undefined}
              >
                {ctx.t(`stats.dim.${g}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={ctx.t('stats.scroll_table')}>
        <IndicatorTable
          ctx={ctx}
          caption={ctx.t('stats.dash.caption', {
            group: ctx.t(`stats.dim.${r.groupBy}`),
            from: r.from,
            to: r.to,
          })}
          keyHeader={ctx.t(`stats.dim.${r.groupBy}`)}
          rows={r.items.map((i) => ({
            ...i,
            display: label(i.key, i.label),
            href:
              i.key === '-'
                ? undefined
                : `/kantor/statistik/laporan?${dashQuery(r.groupBy, r.from, r.to, `&kunci=${encodeURIComponent(i.key)}`)}`,
          }))}
          columns={STAFF_INDICATOR_COLUMNS}
          totals={r.totals}
        />
      </div>
      <p>
        {ctx.t('stats.dash.export')}{' '}
        <a href={`/kantor/statistik.csv?${dashQuery(r.groupBy, r.from, r.to)}&lang=${ctx.lang}`}>CSV</a>
        {' · '}
        <a href={`/kantor/statistik.xlsx?${dashQuery(r.groupBy, r.from, r.to)}&lang=${ctx.lang}`}>XLSX</a>
        {' · '}
        <a href={`/statistik/bulanan?bulan=${r.to.slice(0, 7)}`}>{ctx.t('stats.downloads.monthly')}</a>
      </p>
      {p.routingAccuracy ? (
        <p>
          <a href={ROUTING_ACCURACY_PATH}>{ctx.t('stats.routing.link')}</a>
        </p>
      ) : null}
      <MonthsSection
        ctx={ctx}
        months={p.months}
        id="bulan"
        exportHref={(ext) => `/kantor/statistik.${ext}?${dashQuery('month', r.from, r.to)}&lang=${ctx.lang}`}
      />
      <p class="muted small">
        {r.refreshedAt ? ctx.t('stats.refreshed', { at: r.refreshedAt.slice(0, 16).replace('T', ' ') }) : ''}{' '}
        {ctx.t('stats.dash.freshness')}
      </p>
    </Layout>
  );
}

/** A report row of the drill-down list. */
export interface DrillRow {
  trackingId: string;
  title: string;
  status: string;
  agency: string | null;
  created: string;
}

/** The drill-down list: the reports behind one dashboard row. */
export function DrillDownPage(p: {
  ctx: PageContext;
  heading: string;
  /** Which range and scope the list covers (the dashboard's). */
  lead?: string | undefined;
  backHref: string;
  rows: DrillRow[];
  total: number;
  page: number;
  base: string;
  params: Record<string, string | undefined>;
}): VNode {
  const { ctx } = p;
  return (
    <Layout ctx={ctx} title={p.heading} nav={statsNav(ctx, 'stats')}>
      <StatsStyles ctx={ctx} />
      <p>
        <a href={p.backHref}>{ctx.t('stats.drill.back')}</a>
      </p>
      <h1>{p.heading}</h1>
      {p.lead ? <p class="lead">{p.lead}</p> : null}
      <p>{ctx.t('stats.drill.count', { n: p.total })}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={ctx.t('stats.scroll_table')}>
        <table class="data-table">
          <caption>{ctx.t('stats.drill.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('stats.drill.id')}</th>
              <th scope="col">{ctx.t('stats.drill.report')}</th>
              <th scope="col">{ctx.t('stats.drill.status')}</th>
              <th scope="col">{ctx.t('stats.dim.agency')}</th>
              <th scope="col">{ctx.t('stats.drill.created')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr key={r.trackingId}>
                <th scope="row">
                  <a href={`/kantor/laporan/${r.trackingId}`}>{r.trackingId}</a>
                </th>
                <td>{r.title}</td>
                <td>
                  <StatusTag ctx={ctx} status={r.status} />
                </td>
                <td>{r.agency ?? '–'}</td>
                <td>{r.created}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination ctx={ctx} page={p.page} pageSize={20} total={p.total} base={p.base} params={p.params} />
    </Layout>
  );
}

/** One invalid query field of a statistics page, with its label as the page's form names it. */
export interface StatsFieldError {
  label: string;
  message: string;
}

/**
 * The back-office error page of the statistics and evaluation pages (`src/http/web/stats-plugin.ts`): the
 * statistics menu, the message, the invalid fields by their labels, and links back into the back office (the
 * section's page without the bad query, the queue for staff) instead of the citizen links of the public error page.
 */
export function StatsErrorPage(p: {
  ctx: PageContext;
  status: number;
  message: string;
  fields: StatsFieldError[];
  links: { href: string; label: string }[];
}): VNode {
  const { ctx } = p;
  const title = p.status === 404 ? ctx.t('web.error.not_found_title') : ctx.t('web.error.title');
  return (
    <Layout ctx={ctx} title={title} nav={statsNav(ctx, null)}>
      <StatsStyles ctx={ctx} />
      <h1>{title}</h1>
      <p>{p.message}</p>
      {p.fields.length ? (
        <ul data-slot="field-errors">
          {p.fields.map((f) => (
            <li key={f.label}>
              <strong>{f.label}</strong>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {p.status === 404 ? <p>{ctx.t('web.error.not_found_help')}</p> : null}
      {p.links.length ? (
        <ul>
          {p.links.map((l) => (
            <li key={l.href}>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  );
}
