/**
 * The monthly report `/statistik/bulanan?bulan=YYYY-MM` ("Laporan Bulanan" in spirit): totals, the
 * kab/kota map, top categories, the agency table and notable resolved public cases. Printable to PDF
 * from the browser (print rules in stats.css hide navigation and keep tables whole).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import type { RegionFeature } from '../charts/svg-charts.tsx';
import { ExportLinks, Headline, IndicatorTable, monthLabel } from '../charts/stats-parts.tsx';
import { AllIndicators, MapSection, StatsStyles, apiExport } from './stats-page.tsx';
import type { StatsResult } from '../../queries/stats.ts';
import type { NotableCase } from '../../queries/notable-cases.ts';

/** What the monthly report shows. */
export interface MonthlyReportData {
  month: string;
  prev: string | null;
  next: string | null;
  province: string;
  provinceName: string;
  categories: StatsResult;
  agencies: StatsResult;
  regions: StatsResult;
  features: RegionFeature[];
  cases: NotableCase[];
}

/** The monthly report page. */
export function MonthlyReportPage({ ctx, d }: { ctx: PageContext; d: MonthlyReportData }): VNode {
  const title = ctx.t('stats.monthly.title', { month: monthLabel(ctx, d.month) });
  return (
    <Layout ctx={ctx} title={title}>
      <StatsStyles ctx={ctx} />
      <h1>{title}</h1>
      <p class="lead">{ctx.t('stats.monthly.lead')}</p>
      <nav class="no-print month-nav" aria-label={ctx.t('stats.monthly.nav')}>
        {d.prev ? (
          <a href={`/statistik/bulanan?bulan=${d.prev}&prov=${d.province}`}>
            {ctx.t('stats.monthly.prev', { month: monthLabel(ctx, d.prev) })}
          </a>
        ) : null}
        {d.next ? (
          <a href={`/statistik/bulanan?bulan=${d.next}&prov=${d.province}`}>
            {ctx.t('stats.monthly.next', { month: monthLabel(ctx, d.next) })}
          </a>
        ) : null}
        <span>{ctx.t('stats.monthly.print_hint')}</span>
      </nav>
      <h2>{ctx.t('stats.monthly.totals')}</h2>
      <Headline ctx={ctx} totals={d.categories.totals} />
      <AllIndicators ctx={ctx} totals={d.categories.totals} />
      <MapSection
        ctx={ctx}
        id="peta"
        regions={d.regions}
        features={d.features}
        provinceName={d.provinceName}
        province={d.province}
        exportHref={apiExport(ctx, d.regions, `&parent=${d.province}`)}
      />
      <section aria-labelledby="kategori-h">
        <h2 id="kategori-h">{ctx.t('stats.monthly.top_categories')}</h2>
        <div
          class="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={ctx.t('stats.monthly.top_categories_caption')}
        >
          <IndicatorTable
            ctx={ctx}
            caption={ctx.t('stats.monthly.top_categories_caption')}
            keyHeader={ctx.t('stats.dim.category')}
            rows={d.categories.items.filter((c) => c.key !== '-').slice(0, 10)}
            columns={['received', 'completed', 'completion_rate']}
          />
        </div>
        <ExportLinks
          ctx={ctx}
          table={ctx.t('stats.monthly.top_categories_caption')}
          href={apiExport(ctx, d.categories)}
        />
      </section>
      <section aria-labelledby="instansi-h">
        <h2 id="instansi-h">{ctx.t('stats.monthly.agencies')}</h2>
        {/* Wide at 360 px: it scrolls in its own region (as the chart sections' tables), not the page. */}
        <div
          class="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={ctx.t('stats.monthly.agencies_caption')}
        >
          <IndicatorTable
            ctx={ctx}
            caption={ctx.t('stats.monthly.agencies_caption')}
            keyHeader={ctx.t('stats.dim.agency')}
            rows={d.agencies.items.filter((a) => a.key !== '-').slice(0, 25)}
            columns={[
              'received',
              'verified_on_time',
              'followed_up_on_time',
              'completed',
              'median_days_completion',
            ]}
          />
        </div>
        <ExportLinks
          ctx={ctx}
          table={ctx.t('stats.monthly.agencies_caption')}
          href={apiExport(ctx, d.agencies)}
        />
      </section>
      <section aria-labelledby="kasus-h">
        <h2 id="kasus-h">{ctx.t('stats.monthly.cases')}</h2>
        {d.cases.length === 0 ? (
          <p>{ctx.t('stats.monthly.no_cases')}</p>
        ) : (
          <ul class="case-list">
            {d.cases.map((c) => (
              <li key={c.trackingId}>
                <h3>
                  <a href={`/laporan/${c.trackingId}`}>{c.title}</a>
                </h3>
                <p class="muted">
                  {ctx.t('stats.monthly.case_meta', {
                    id: c.trackingId,
                    category: c.category ?? '–',
                    agency: c.agency ?? '–',
                    region: c.region ?? '–',
                    days: c.workingDays ?? '–',
                  })}
                  {c.rating ? ` ${ctx.t('stats.monthly.case_rating', { rating: c.rating })}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p class="muted small">{ctx.t('stats.public.privacy_note')}</p>
    </Layout>
  );
}
