/**
 * Back-office statistics: `/kantor/statistik` (dashboard of the caller's scope), its CSV/XLSX export
 * (`/kantor/statistik.csv|.xlsx`, the same scoped table) and the drill-down list
 * `/kantor/statistik/laporan` (reports the caller may see, through `listReports`).
 */
import { isCalendarDate } from '../../domain/shared/dates.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { localDate } from '../../domain/deadline/calendar.ts';
import { STATS_COLUMNS, toCsv, toXlsx } from '../../presenters/stats-table.ts';
import { mayViewRoutingAccuracy } from '../../queries/routing-accuracy.ts';
import { drillDownReports, drillKeyValid } from '../../queries/stats-drill.ts';
import { scopeName } from '../../queries/stats-labels.ts';
import { scopedStats, statsScopeOf, type StatsScope } from '../../queries/stats-scope.ts';
import { cachedStats } from '../../queries/stats-cache.ts';
import { STATS_GROUP_BY, type StatsGroupBy } from '../../queries/stats.ts';
import { DrillDownPage, StatsDashboardPage, dashQuery } from '../../views/staff/stats-dashboard.tsx';
import { formatDate } from '../../views/format.ts';
import { requestLang } from '../plugins/errors.ts';
import { pageContext, sendPage } from '../web/render.ts';
import { sendFieldErrorPage } from '../web/stats-pages.ts';
import { requireStaff } from './forms.ts';
import { t } from '../../locales/index.ts';

/** Parses `kelompok`, `dari`, `sampai` (defaults: agency, 1 January, today WITA); 422 on bad dates. */
export function dashboardParams(q: Record<string, string | undefined>, now: Date) {
  const today = localDate(now, 'WITA');
  const groupBy: StatsGroupBy = (STATS_GROUP_BY as readonly string[]).includes(q.kelompok ?? '')
    ? (q.kelompok as StatsGroupBy)
    : 'agency';
  const from = q.dari || `${today.slice(0, 4)}-01-01`;
  const to = q.sampai || today;
  const fields: Record<string, { key: string }> = {};
  if (!isCalendarDate(from)) fields.dari = { key: 'invalid_date' };
  if (!isCalendarDate(to)) fields.sampai = { key: 'invalid_date' };
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
    let p: ReturnType<typeof dashboardParams>;
    try {
      p = dashboardParams(req.query as Record<string, string | undefined>, svc.now());
    } catch (err) {
      return sendFieldErrorPage(reply, req, err);
    }
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
      }),
    );
  });

  for (const ext of ['csv', 'xlsx'] as const) {
    app.get(`/kantor/statistik.${ext}`, async (req, reply) => {
      if (!requireStaff(req, reply)) return reply;
      const scope = scopeFor(req);
      const p = dashboardParams(req.query as Record<string, string | undefined>, svc.now());
      const r = await scopedStats(svc.db, scope, { ...p, now: svc.now() });
      const lang = requestLang(req);
      const name = `aduan-statistik-${p.groupBy}-${p.from}-${p.to}.${ext}`;
      reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store');
      if (ext === 'csv')
        return reply.type('text/csv; charset=utf-8').send(toCsv(r.items, STATS_COLUMNS, lang));
      const buf = await toXlsx(r.items, STATS_COLUMNS, lang, `${p.groupBy} ${p.from} ${p.to}`);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
    });
  }

  app.get('/kantor/statistik/laporan', async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    scopeFor(req);
    const q = req.query as Record<string, string | undefined>;
    const p = dashboardParams(q, svc.now());
    const key = (q.kunci ?? '').slice(0, 100);
    if (!key) throw invalid({ kunci: { key: 'required' } });
    if (!drillKeyValid(p.groupBy, key)) throw invalid({ kunci: { key: 'invalid_format' } });
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const result = await drillDownReports(svc, req.caller, { ...p, key, page });
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
        heading: ctx.t('stats.drill.heading', { group: ctx.t(`stats.dim.${p.groupBy}`), key }),
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
