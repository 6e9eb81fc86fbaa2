/**
 * Back-office statistics: `/kantor/statistik` (dashboard of the caller's scope), its CSV/XLSX export
 * (`/kantor/statistik.csv|.xlsx`, the same scoped table, each download logged: `export.stats`) and the drill-down list
 * `/kantor/statistik/laporan` (the reports behind a row of the caller's dashboard that the caller may see,
 * through `listReports`). Invalid query fields are thrown to the plugin's error handler, which renders the
 * back-office error page (`src/http/web/stats-plugin.ts`).
 */
import { calendarDateProblem } from '../../domain/shared/dates.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { homeZone, type Services } from '../../app/context.ts';
import type { ZoneName } from '../../domain/report/report.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { recordStatsExport } from '../../commands/record-stats-export.ts';
import { localDate } from '../../domain/deadline/calendar.ts';
import { STAFF_STATS_COLUMNS, statsCsv, statsXlsx } from '../../presenters/stats-table.ts';
import { mayViewRoutingAccuracy } from '../../queries/routing-accuracy.ts';
import { drillDownReports, drillKeyName, drillKeyValid } from '../../queries/stats-drill.ts';
import { scopeName } from '../../queries/stats-labels.ts';
import { scopedStats, statsScopeOf, type StatsScope } from '../../queries/stats-scope.ts';
import { cachedStats } from '../../queries/stats-cache.ts';
import { STATS_GROUP_BY, type StatsGroupBy } from '../../queries/stats.ts';
import { DrillDownPage, StatsDashboardPage, dashQuery } from '../../views/staff/stats-dashboard.tsx';
import { formatDate } from '../../views/format.ts';
import { requestLang } from '../plugins/errors.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { requireStaff } from './forms.ts';
import { refuseUnusedPeriodParams } from '../period-params.ts';
import { has, t, type Lang } from '../../locales/index.ts';
import { tabsFor } from '../../queries/queues.ts';
import { monthLabel } from '../../views/charts/stats-parts.tsx';
import type { PageContext } from '../../views/context.ts';

/**
 * Parses `kelompok`, `dari`, `sampai` (defaults: agency, 1 January, today in the home zone); 422 on bad dates, on an unknown
 * `kelompok` and on a period parameter the dashboard does not take (`tahun`, `bulan`, …), never a silent default.
 */
export function dashboardParams(q: Record<string, string | undefined>, now: Date, zone: ZoneName) {
  refuseUnusedPeriodParams(q, ['dari', 'sampai'], 'dari, sampai');
  const today = localDate(now, zone);
  if (q.kelompok && !(STATS_GROUP_BY as readonly string[]).includes(q.kelompok))
    throw invalid({ kelompok: { key: 'one_of', params: { options: STATS_GROUP_BY.join(', ') } } });
  const groupBy: StatsGroupBy = (q.kelompok || 'agency') as StatsGroupBy;
  const from = q.dari || `${today.slice(0, 4)}-01-01`;
  const to = q.sampai || today;
  const fields: Record<string, { key: string }> = {};
  const fromProblem = calendarDateProblem(from);
  if (fromProblem) fields.dari = { key: fromProblem };
  const toProblem = calendarDateProblem(to);
  if (toProblem) fields.sampai = { key: toProblem };
  if (!fields.dari && !fields.sampai && from > to) fields.dari = { key: 'date_range' };
  if (Object.keys(fields).length) throw invalid(fields);
  return { groupBy, from, to };
}

async function scopeLabel(svc: Services, req: FastifyRequest, scope: StatsScope): Promise<string> {
  const lang = requestLang(req);
  if (scope.kind === 'national') return t(lang, 'stats.scope.national');
  return scopeName(svc.db, scope);
}

function scopeFor(req: FastifyRequest): StatsScope {
  const scope = statsScopeOf(req.caller.actor);
  if (!scope) throw new AppError('FORBIDDEN');
  return scope;
}

/** Registers the dashboard, exports and drill-down. */
export async function staffStatsRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const svc = opts.services;

  app.get('/kantor/statistik', async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    const scope = scopeFor(req);
    const p = dashboardParams(req.query as Record<string, string | undefined>, svc.now(), homeZone(svc));
    const now = svc.now();
    const [result, months, label] = await Promise.all([
      cachedStats(svc.db, ['scoped', scope, p], now, () => scopedStats(svc.db, scope, { ...p, now })),
      p.groupBy === 'month'
        ? null
        : cachedStats(svc.db, ['scoped', scope, { ...p, groupBy: 'month' }], now, () =>
            scopedStats(svc.db, scope, { ...p, groupBy: 'month', now }),
          ),
      scopeLabel(svc, req, scope),
    ]);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(StatsDashboardPage, {
        ctx,
        scopeLabel: label,
        result,
        months: months ?? result,
        routingAccuracy: mayViewRoutingAccuracy(req.caller.actor),
        transferred: {
          count: result.totals.transferred,
          queueHref: tabsFor(req.caller.actor).includes('ombudsman') ? '/kantor?tab=ombudsman' : undefined,
        },
      }),
    );
  });

  for (const ext of ['csv', 'xlsx'] as const) {
    app.get(`/kantor/statistik.${ext}`, async (req, reply) => {
      if (!requireStaff(req, reply)) return reply;
      const scope = scopeFor(req);
      const p = dashboardParams(req.query as Record<string, string | undefined>, svc.now(), homeZone(svc));
      const r = await scopedStats(svc.db, scope, { ...p, now: svc.now() });
      // Logged before a byte is sent: no entry, no file. Rows: the groups and the totals row.
      await recordStatsExport(svc, req.caller, {
        table: 'statistics',
        format: ext,
        rows: r.items.length + 1,
        scope,
        params: { groupBy: p.groupBy, from: p.from, to: p.to },
      });
      const lang = requestLang(req);
      const name = `aduan-statistik-${p.groupBy}-${p.from}-${p.to}.${ext}`;
      reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store');
      if (ext === 'csv')
        return reply.type('text/csv; charset=utf-8').send(statsCsv(r, lang, STAFF_STATS_COLUMNS));
      const buf = await statsXlsx(r, lang, `${p.groupBy} ${p.from} ${p.to}`, STAFF_STATS_COLUMNS);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
    });
  }

  app.get('/kantor/statistik/laporan', async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    const scope = scopeFor(req);
    const q = req.query as Record<string, string | undefined>;
    const p = dashboardParams(q, svc.now(), homeZone(svc));
    const key = (q.kunci ?? '').slice(0, 100);
    if (!key) throw invalid({ kunci: { key: 'required' } });
    if (!drillKeyValid(p.groupBy, key)) throw invalid({ kunci: { key: 'invalid_format' } });
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const [result, name, label] = await Promise.all([
      drillDownReports(svc, req.caller, { ...p, key, page, scope }),
      drillKeyName(svc.db, p.groupBy, key),
      scopeLabel(svc, req, scope),
    ]);
    const ctx = pageContext(req);
    const rows = result.items.map((r) => ({
      trackingId: r.row.trackingId,
      title: r.row.title,
      status: r.row.status,
      agency: r.agency?.name ?? null,
      created: formatDate(r.row.createdAt, ctx.lang),
    }));
    return sendPage(
      reply,
      req,
      h(DrillDownPage, {
        ctx,
        heading: ctx.t('stats.drill.heading', {
          group: ctx.t(`stats.dim.${p.groupBy}`),
          key: drillKeyLabel(ctx, p.groupBy, key, name),
        }),
        lead: ctx.t('stats.drill.lead', {
          from: formatDay(p.from, ctx.lang),
          to: formatDay(p.to, ctx.lang),
          scope: label,
        }),
        backHref: `/kantor/statistik?${dashQuery(p.groupBy, p.from, p.to)}`,
        rows,
        total: result.total,
        page,
        base: '/kantor/statistik/laporan',
        params: { kelompok: p.groupBy, dari: p.from, sampai: p.to, kunci: key },
      }),
    );
  });
}

/** A calendar day `YYYY-MM-DD` as "1 Maret 2026" / "1 March 2026". */
function formatDay(day: string, lang: Lang): string {
  return formatDate(`${day}T12:00:00+07:00`, lang);
}

/**
 * The row key as the dashboard labels it: the agency's, region's or category's name (with the code of a region, as
 * the calendar shows it), the month, classification or channel in words; the raw key only when nothing names it.
 */
function drillKeyLabel(ctx: PageContext, groupBy: StatsGroupBy, key: string, name: string | null): string {
  switch (groupBy) {
    case 'region':
      return name ? `${name} (${key})` : key;
    case 'month':
      return monthLabel(ctx, key);
    case 'classification':
      return has(ctx.lang, `web.classification.${key}`) ? ctx.t(`web.classification.${key}`) : key;
    case 'channel':
      return has(ctx.lang, `stats.channel.${key}`) ? ctx.t(`stats.channel.${key}`) : key;
    default:
      return name ?? key;
  }
}
