/**
 * Back-office routing accuracy `/kantor/statistik/rute` (issue 7): what the figures mean, the period's
 * overall top-1/top-3 accuracy and misrouting rate, one bar chart per figure by month (RateChart) and, below
 * them, the month table that is their accessible equivalent; the viewer's scope (national, region or agency
 * subtree) is named under the heading. Aggregates only: no report data, no names. Model training times are in
 * the viewer's zone (a WITA coordinator reads WITA, as on the deadlines of the other staff pages).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { Select } from '../components/fields.tsx';
import { RateChart } from '../charts/svg-charts.tsx';
import { monthLabel, num, pct } from '../charts/stats-parts.tsx';
import { StatsStyles } from '../pages/stats-page.tsx';
import { formatDateTime } from '../format.ts';
import { formatIsoInZone, zoneForRegion } from '../../domain/deadline/calendar.ts';
import type { ZoneName } from '../../domain/report/report.ts';
import type { RoutingModelInfo } from '../../queries/routing-models.ts';
import { ROUTING_ACCURACY_PATH, statsNav } from './stats-dashboard.tsx';
import type {
  ConfidenceBand,
  RoutingMonth,
  RoutingScope,
  RoutingTotals,
} from '../../queries/routing-accuracy.ts';

/** Periods offered in the filter (any 1–60 works in the URL). */
const PERIODS = [6, 12, 24, 36, 60];

/** A rate as a percentage, "—" when there was nothing to divide by. */
const rate = (x: number | null) => (x === null ? '—' : pct(x));

type Figure = 'top1Accuracy' | 'top3Accuracy' | 'misroutingRate';
const FIGURES: [Figure, string][] = [
  ['top1Accuracy', 'top1'],
  ['top3Accuracy', 'top3'],
  ['misroutingRate', 'misrouting'],
];

/** Period-only figures (no monthly chart): how often the category, classification and unit suggestions were taken. */
const OTHER_FIGURES = [
  ['categoryTop1Accuracy', 'category_top1'],
  ['classificationTop1Accuracy', 'type_top1'],
  ['unitTop1Accuracy', 'unit_top1'],
] as const;

function Explanation({ ctx }: { ctx: PageContext }): VNode {
  return (
    <section aria-labelledby="rute-arti-h">
      <h2 id="rute-arti-h">{ctx.t('stats.routing.terms')}</h2>
      <dl class="summary-list">
        {[...FIGURES, ...OTHER_FIGURES].map(([, key]) => (
          <div class="summary-row" key={key}>
            <dt>{ctx.t(`stats.routing.${key}`)}</dt>
            <dd>{ctx.t(`stats.routing.${key}_def`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** A table head: the row-header column (locale key `first`), then numeric columns `stats.routing.<col>`. */
function HeadRow({ ctx, first, cols }: { ctx: PageContext; first: string; cols: string[] }): VNode {
  return (
    <thead>
      <tr>
        <th scope="col">{ctx.t(first)}</th>
        {cols.map((c) => (
          <th scope="col" class="num" key={c}>
            {ctx.t(`stats.routing.${c}`)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function MonthTable(p: { ctx: PageContext; months: RoutingMonth[]; totals: RoutingTotals }): VNode {
  const { ctx, totals } = p;
  const cols = [
    'decided',
    'accepted_top1',
    'top1',
    'in_top3',
    'top3',
    'verifications',
    'returns',
    'misrouting',
  ];
  // A month or the period's totals: the columns both have.
  const cells = (m: RoutingMonth | RoutingTotals) => [
    num(ctx, m.decided),
    num(ctx, m.acceptedTop1),
    rate(m.top1Accuracy),
    num(ctx, m.inTop3),
    rate(m.top3Accuracy),
    num(ctx, m.verifications),
    num(ctx, m.returns),
    rate(m.misroutingRate),
  ];
  return (
    <table class="data-table data-table-dense">
      <caption>{ctx.t('stats.routing.table')}</caption>
      <HeadRow ctx={ctx} first="stats.dim.month" cols={cols} />
      <tbody>
        {p.months.map((m) => (
          <tr key={m.month} data-month={m.month}>
            <th scope="row">{monthLabel(ctx, m.month)}</th>
            {cells(m).map((v, i) => (
              <td class="num" key={cols[i]}>
                {v}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{ctx.t('stats.total')}</th>
          {cells(totals).map((v, i) => (
            <td class="num" key={cols[i]}>
              {v}
            </td>
          ))}
        </tr>
      </tfoot>
    </table>
  );
}

/** Agency suggestions by confidence band: decided, followed, the rate and the band's share of all. */
function ConfidenceTable({ ctx, bands }: { ctx: PageContext; bands: ConfidenceBand[] }): VNode {
  const cols = ['decided', 'accepted_top1', 'top1', 'confidence_share'];
  return (
    <section aria-labelledby="rute-yakin-h">
      <h2 id="rute-yakin-h">{ctx.t('stats.routing.confidence_title')}</h2>
      <p>{ctx.t('stats.routing.confidence_hint')}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="rute-yakin-h">
        <table class="data-table">
          <caption>{ctx.t('stats.routing.confidence_caption')}</caption>
          <HeadRow ctx={ctx} first="stats.routing.confidence_band" cols={cols} />
          <tbody>
            {bands.map((b) => (
              <tr key={b.from} data-band={b.from}>
                <th scope="row">
                  {ctx.t('stats.routing.confidence_range', {
                    from: Math.round(b.from * 100),
                    to: Math.round(b.to * 100),
                  })}
                </th>
                <td class="num">{num(ctx, b.decided)}</td>
                <td class="num">{num(ctx, b.acceptedTop1)}</td>
                <td class="num">{rate(b.top1Accuracy)}</td>
                <td class="num">{rate(b.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The active model of each kind: version, when trained, on how much, and its cross-validated figures. */
function ModelTable({
  ctx,
  models,
  zone,
}: {
  ctx: PageContext;
  models: RoutingModelInfo[];
  zone: ZoneName;
}): VNode {
  const cols = [
    'model_version',
    'model_trained',
    'model_rows',
    'model_labels',
    'model_cv_accuracy',
    'model_cv_macro_f1',
  ];
  return (
    <section aria-labelledby="rute-model-h">
      <h2 id="rute-model-h">{ctx.t('stats.routing.models_title')}</h2>
      <p>{ctx.t('stats.routing.models_hint')}</p>
      {models.length === 0 ? (
        <p data-empty="models">{ctx.t('stats.routing.models_none')}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="rute-model-h">
          <table class="data-table">
            <caption>{ctx.t('stats.routing.models_caption')}</caption>
            <HeadRow ctx={ctx} first="stats.routing.model_kind_col" cols={cols} />
            <tbody>
              {models.map((m) => (
                <tr key={m.kind} data-model={m.kind}>
                  <th scope="row">{ctx.t(`stats.routing.model_kind.${m.kind}`)}</th>
                  <td class="num">{num(ctx, m.version)}</td>
                  <td class="num">
                    {formatDateTime(formatIsoInZone(new Date(m.trainedAt), zone), ctx.lang)}
                  </td>
                  <td class="num">{num(ctx, m.trainingRows)}</td>
                  <td class="num">{m.labels === null ? '—' : num(ctx, m.labels)}</td>
                  <td class="num">{rate(m.cv?.accuracy ?? null)}</td>
                  <td class="num">{rate(m.cv?.macroF1 ?? null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Whose figures these are: "Nasional", "Wilayah: Kota Balikpapan" or "Instansi: …", with what counts. */
function ScopeLine({ ctx, scope }: { ctx: PageContext; scope: RoutingScope }): VNode {
  const name = scope.kind === 'national' ? '' : scope.name;
  return (
    <p data-scope={scope.kind}>
      <strong>{ctx.t(`stats.routing.scope.${scope.kind}`, { name })}</strong>{' '}
      {ctx.t(`stats.routing.scope_hint.${scope.kind}`)}
    </p>
  );
}

/** The routing accuracy page. */
export function RoutingAccuracyPage(p: {
  ctx: PageContext;
  period: number;
  scope: RoutingScope;
  months: RoutingMonth[];
  totals: RoutingTotals;
  confidence: ConfidenceBand[];
  models: RoutingModelInfo[];
  /** The viewer's zone for times (`scopeZone`); by default the region's, else WIB. */
  zone?: ZoneName | undefined;
}): VNode {
  const { ctx, months, totals } = p;
  const zone = p.zone ?? (p.scope.kind === 'region' ? zoneForRegion(p.scope.regionCode) : 'WIB');
  const title = ctx.t('stats.routing.title');
  const periods = [...new Set([...PERIODS, p.period])].sort((a, b) => a - b);
  // Every month is listed; the charts and table appear once any month has something to show.
  const active = months.some(
    (m) =>
      m.decided ||
      m.categoryDecided ||
      m.classificationDecided ||
      m.unitDecided ||
      m.verifications ||
      m.returns,
  );
  const first = active ? months[0] : undefined;
  const last = active ? months[months.length - 1] : undefined;
  return (
    <Layout ctx={ctx} title={title} nav={statsNav(ctx, 'stats')}>
      <StatsStyles ctx={ctx} />
      <h1>{title}</h1>
      <p class="lead">{ctx.t('stats.routing.lead')}</p>
      <ScopeLine ctx={ctx} scope={p.scope} />
      <Explanation ctx={ctx} />
      <form method="get" action={ROUTING_ACCURACY_PATH} class="filter-row">
        <Select
          ctx={ctx}
          name="bulan"
          label={ctx.t('stats.routing.period')}
          value={String(p.period)}
          options={periods.map((n) => ({
            value: String(n),
            label: ctx.t('stats.routing.period_option', { n }),
          }))}
        />
        <Button variant="secondary">{ctx.t('stats.filter.show')}</Button>
      </form>
      {totals.decided === 0 ? (
        <div class="panel" data-empty="routing">
          <p>{ctx.t('stats.routing.empty')}</p>
          <p>
            {ctx.t('stats.routing.empty_train')} <code>aduan routing train</code>
          </p>
        </div>
      ) : null}
      {first && last ? (
        <>
          <h2>{ctx.t('stats.routing.headline', { n: p.period })}</h2>
          <ul class="stats stat-grid">
            <li>
              <strong>{num(ctx, totals.decided)}</strong> {ctx.t('stats.routing.decided')}
            </li>
            {FIGURES.map(([f, key]) => (
              <li key={f}>
                <strong>{rate(totals[f])}</strong> {ctx.t(`stats.routing.${key}`)}
              </li>
            ))}
            {OTHER_FIGURES.map(([f, key]) => (
              <li key={f} data-figure={key}>
                <strong>{rate(totals[f])}</strong> {ctx.t(`stats.routing.${key}`)}
              </li>
            ))}
          </ul>
          {/* Charts above the full-width table (nine columns do not fit beside a chart). */}
          <section class="chart-section" aria-labelledby="rute-h">
            <h2 id="rute-h">{ctx.t('stats.routing.chart_heading')}</h2>
            <figure class="chart-figure">
              {FIGURES.map(([f, key]) => (
                <div key={f}>
                  <h3>{ctx.t(`stats.routing.${key}`)}</h3>
                  <RateChart
                    id={`rute-${key}`}
                    title={ctx.t(`stats.routing.${key}`)}
                    desc={ctx.t('stats.routing.chart_desc', {
                      figure: ctx.t(`stats.routing.${key}`),
                      n: months.length,
                      from: monthLabel(ctx, first.month),
                      to: monthLabel(ctx, last.month),
                    })}
                    rows={months.map((m) => ({ label: monthLabel(ctx, m.month), rate: m[f] }))}
                  />
                </div>
              ))}
              <figcaption>{ctx.t('stats.routing.chart_caption')}</figcaption>
            </figure>
            <div class="table-scroll" tabIndex={0} role="region" aria-label={ctx.t('stats.routing.table')}>
              <MonthTable ctx={ctx} months={months} totals={totals} />
            </div>
            <p>
              <a href={`${ROUTING_ACCURACY_PATH}.csv?bulan=${p.period}`} download>
                {ctx.t('stats.routing.download_csv', { n: p.period })}
              </a>
            </p>
          </section>
          {totals.decided > 0 ? <ConfidenceTable ctx={ctx} bands={p.confidence} /> : null}
        </>
      ) : null}
      <ModelTable ctx={ctx} models={p.models} zone={zone} />
    </Layout>
  );
}
