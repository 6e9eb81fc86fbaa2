/**
 * The public statistics page `/statistik`: headline figures, received/completed per month, on-time
 * follow-up rate per agency and a kab/kota choropleth, each chart next to its data table. Aggregates
 * only (confidential reports are counted, never listed). Works without JavaScript.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { Select } from '../components/fields.tsx';
import { Choropleth, MonthlyChart, RateChart, type RegionFeature } from '../charts/svg-charts.tsx';
import {
  ChartWithTable,
  ExportLinks,
  Headline,
  IndicatorTable,
  monthLabel,
  num,
  TotalsTable,
  type ExportHref,
} from '../charts/stats-parts.tsx';
import type { StatsResult } from '../../queries/stats.ts';

/** What the statistics page shows. */
export interface StatsPageData {
  year: string;
  years: string[];
  province: string;
  provinces: { value: string; label: string }[];
  provinceName: string;
  months: StatsResult;
  agencies: StatsResult;
  regions: StatsResult;
  features: RegionFeature[];
}

/** Stylesheet of the statistics pages (linked from the page body: `body-ok`). */
export function StatsStyles({ ctx }: { ctx: PageContext }): VNode {
  return <link rel="stylesheet" href={`/static/stats.css?v=${ctx.assetVersion}`} />;
}

/** API export URL of a public statistics table (same range and language as the page). */
export function apiExport(ctx: PageContext, r: StatsResult, query = ''): ExportHref {
  return (ext) =>
    `/api/v1/stats.${ext}?groupBy=${r.groupBy}&from=${r.from}&to=${r.to}${query}&lang=${ctx.lang}`;
}

/** The months chart + table; `exportHref` adds CSV/XLSX links of the table. */
export function MonthsSection({
  ctx,
  months,
  id,
  exportHref,
}: {
  ctx: PageContext;
  months: StatsResult;
  id: string;
  exportHref?: ExportHref;
}): VNode {
  const data = months.items.map((m) => ({
    label: monthLabel(ctx, m.key, true),
    received: m.received,
    completed: m.completed,
  }));
  const peak = [...months.items].sort((a, b) => b.received - a.received)[0];
  return (
    <ChartWithTable
      id={id}
      heading={ctx.t('stats.months.heading')}
      caption={ctx.t('stats.months.caption')}
      chart={
        <MonthlyChart
          id={`${id}-chart`}
          format={(n) => num(ctx, Math.round(n))}
          title={ctx.t('stats.months.heading')}
          desc={
            peak
              ? ctx.t('stats.months.desc', {
                  n: months.items.length,
                  peak: monthLabel(ctx, peak.key),
                  max: num(ctx, peak.received),
                })
              : ctx.t('stats.no_data')
          }
          months={data}
          legend={{ received: ctx.t('stats.ind.received'), completed: ctx.t('stats.ind.completed') }}
        />
      }
      table={
        <IndicatorTable
          ctx={ctx}
          caption={ctx.t('stats.months.table')}
          keyHeader={ctx.t('stats.dim.month')}
          rows={months.items.map((m) => ({ ...m, display: monthLabel(ctx, m.key) }))}
          columns={['received', 'completed', 'completion_rate']}
          totals={months.totals}
        />
      }
    >
      {exportHref ? <ExportLinks ctx={ctx} table={ctx.t('stats.months.table')} href={exportHref} /> : null}
    </ChartWithTable>
  );
}

/** Every indicator of the range's totals (the public page and the monthly report). */
export function AllIndicators({ ctx, totals }: { ctx: PageContext; totals: StatsResult['totals'] }): VNode {
  return (
    <section aria-labelledby="semua-h">
      <h2 id="semua-h">{ctx.t('stats.public.all_heading')}</h2>
      <TotalsTable ctx={ctx} totals={totals} />
    </section>
  );
}

/** The choropleth + table of a province's kab/kota. */
export function MapSection(p: {
  ctx: PageContext;
  id: string;
  regions: StatsResult;
  features: RegionFeature[];
  provinceName: string;
  province: string;
  hrefFor?: (code: string) => string;
  exportHref?: ExportHref;
}): VNode {
  const { ctx } = p;
  const kab = p.regions.items.filter((r) => r.key.startsWith(`${p.province}.`));
  const values = new Map(kab.map((r) => [r.key, r.received]));
  const names = new Map(p.features.map((f) => [f.properties.kode, f.properties.nama]));
  return (
    <ChartWithTable
      id={p.id}
      heading={ctx.t('stats.map.heading', { province: p.provinceName })}
      caption={ctx.t('stats.map.caption')}
      chart={
        <Choropleth
          id={`${p.id}-chart`}
          format={(n) => num(ctx, Math.round(n))}
          title={ctx.t('stats.map.heading', { province: p.provinceName })}
          desc={ctx.t('stats.map.desc', { n: p.features.length, withData: kab.length })}
          features={p.features}
          values={values}
          noDataLabel={ctx.t('stats.no_data')}
        />
      }
      table={
        <IndicatorTable
          ctx={ctx}
          caption={ctx.t('stats.map.table')}
          keyHeader={ctx.t('stats.dim.region')}
          rows={kab.map((r) => ({
            ...r,
            display: names.get(r.key) ?? r.label,
            href: p.hrefFor?.(r.key),
          }))}
          columns={['received', 'completed', 'completion_rate']}
        />
      }
    >
      <p class="muted small">{ctx.t('stats.map.attribution')}</p>
      {p.exportHref ? <ExportLinks ctx={ctx} table={ctx.t('stats.map.table')} href={p.exportHref} /> : null}
    </ChartWithTable>
  );
}

/** The public statistics page. */
export function StatsPage({ ctx, d }: { ctx: PageContext; d: StatsPageData }): VNode {
  const agencies = d.agencies.items.filter((a) => a.key !== '-').slice(0, 12);
  return (
    <Layout ctx={ctx} title={ctx.t('stats.public.title')}>
      <StatsStyles ctx={ctx} />
      <h1>{ctx.t('stats.public.title')}</h1>
      <p class="lead">{ctx.t('stats.public.lead')}</p>
      <form method="get" action="/statistik" class="filter-row">
        <Select
          ctx={ctx}
          name="tahun"
          label={ctx.t('stats.filter.year')}
          value={d.year}
          options={d.years.map((y) => ({ value: y, label: y }))}
        />
        <Select
          ctx={ctx}
          name="prov"
          label={ctx.t('stats.filter.province')}
          value={d.province}
          options={d.provinces}
        />
        <Button variant="secondary">{ctx.t('stats.filter.show')}</Button>
      </form>
      <p class="muted">
        {ctx.t('stats.range', { from: d.months.from, to: d.months.to })}{' '}
        {d.months.refreshedAt
          ? ctx.t('stats.refreshed', { at: d.months.refreshedAt.slice(0, 16).replace('T', ' ') })
          : ''}
      </p>
      <Headline ctx={ctx} totals={d.months.totals} />
      <AllIndicators ctx={ctx} totals={d.months.totals} />
      <MonthsSection ctx={ctx} months={d.months} id="bulan" exportHref={apiExport(ctx, d.months)} />
      <ChartWithTable
        id="instansi"
        heading={ctx.t('stats.agencies.heading')}
        caption={ctx.t('stats.agencies.caption')}
        chart={
          <RateChart
            id="instansi-chart"
            title={ctx.t('stats.agencies.heading')}
            desc={ctx.t('stats.agencies.desc', { n: agencies.length })}
            rows={agencies.map((a) => ({ label: a.label, rate: a.followedUpOnTimeRate.rate }))}
          />
        }
        table={
          <IndicatorTable
            ctx={ctx}
            caption={ctx.t('stats.agencies.table')}
            keyHeader={ctx.t('stats.dim.agency')}
            rows={agencies}
            columns={['received', 'followed_up_on_time', 'verified_on_time', 'completion_rate']}
          />
        }
      >
        <ExportLinks ctx={ctx} table={ctx.t('stats.agencies.table')} href={apiExport(ctx, d.agencies)} />
      </ChartWithTable>
      <MapSection
        ctx={ctx}
        id="peta"
        regions={d.regions}
        features={d.features}
        provinceName={d.provinceName}
        province={d.province}
        exportHref={apiExport(ctx, d.regions, `&parent=${d.province}`)}
      />
      <h2>{ctx.t('stats.downloads.heading')}</h2>
      <ul>
        <li>
          <a href={`/statistik/bulanan?bulan=${d.months.to.slice(0, 7)}`}>
            {ctx.t('stats.downloads.monthly')}
          </a>
        </li>
        <li>
          <a
            href={`/api/v1/stats.csv?groupBy=agency&from=${d.months.from}&to=${d.months.to}&lang=${ctx.lang}`}
          >
            {ctx.t('stats.downloads.csv')}
          </a>
        </li>
        <li>
          <a
            href={`/api/v1/stats.xlsx?groupBy=agency&from=${d.months.from}&to=${d.months.to}&lang=${ctx.lang}`}
          >
            {ctx.t('stats.downloads.xlsx')}
          </a>
        </li>
        <li>
          <a href="/api/v1/open-data/reports.csv">{ctx.t('stats.downloads.open_data')}</a>
        </li>
      </ul>
      <p class="muted">{ctx.t('stats.public.privacy_note')}</p>
    </Layout>
  );
}
