/**
 * Back-office routing accuracy `GET /kantor/statistik/rute?bulan=12` (issue 7): the live accuracy of the
 * routing suggestions and the misrouting rate by month (`routingAccuracy`). Signed-out visitors go to the
 * sign-in page; whoever has no grant with `view_evaluation` (officers, citizens) gets 403; a bad `bulan`
 * gets 422 with the field message (the back-office error page of `stats-plugin.ts`). Times are shown in the
 * viewer's zone (`scopeZone`). The figures are the viewer's scope (`routingAccuracyScope`: national, the
 * coordinator's region or the agency admin's subtree), named on the page. `…/rute.csv?bulan=` is the same
 * figures as CSV (one row per month, the category suggestions included; the scope in the file name), for the
 * coordinators' own reports; each download is logged (`export.stats`, commands/record-stats-export.ts).
 */
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { recordStatsExport } from '../../commands/record-stats-export.ts';
import type { StatsScope } from '../../queries/stats.ts';
import {
  mayViewRoutingAccuracy,
  routingAccuracy,
  routingTotals,
  type ConfidenceBand,
  type RoutingMonth,
  type RoutingScope,
} from '../../queries/routing-accuracy.ts';
import { activeRoutingModels } from '../../queries/routing-models.ts';
import { scopeZone } from '../../queries/stats-drill.ts';
import { RoutingAccuracyPage } from '../../views/staff/routing-accuracy.tsx';
import { ROUTING_ACCURACY_PATH } from '../../views/staff/stats-dashboard.tsx';
import { pageContext, sendPage } from '../web/render.ts';

/** `bulan`: whole months 1–60, 12 when absent or blank. */
function monthsParam(raw: unknown): number {
  if (raw === undefined || raw === '') return 12;
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw.trim()))
    throw invalid({ bulan: { key: 'invalid_format' } });
  const n = Number(raw.trim());
  if (n < 1) throw invalid({ bulan: { key: 'too_small', params: { min: 1 } } });
  if (n > 60) throw invalid({ bulan: { key: 'too_big', params: { max: 60 } } });
  return n;
}

/** The CSV columns: the `RoutingMonth` fields, in this order. */
const ROUTING_CSV_COLUMNS: readonly (keyof RoutingMonth)[] = [
  'month',
  'decided',
  'acceptedTop1',
  'inTop3',
  'top1Accuracy',
  'top3Accuracy',
  'categoryDecided',
  'categoryAcceptedTop1',
  'verifications',
  'returns',
  'misroutingRate',
  // Added later: at the end, so the earlier columns keep their positions for existing readers.
  'classificationDecided',
  'classificationAcceptedTop1',
  'unitDecided',
  'unitAcceptedTop1',
];

/** The scope in the CSV file name: `national`, `region-64.71` or `agency-pupr-kaltim`. */
function scopeSlug(scope: RoutingScope): string {
  const raw =
    scope.kind === 'national'
      ? 'national'
      : `${scope.kind}-${scope.kind === 'region' ? scope.regionCode : scope.agencyId}`;
  return raw.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The scope without its name (the log names it when read). */
function statsScope(scope: RoutingScope): StatsScope {
  if (scope.kind === 'region') return { kind: 'region', regionCode: scope.regionCode };
  if (scope.kind === 'agency') return { kind: 'agency', agencyId: scope.agencyId };
  return { kind: 'national' };
}

/** Registers the routing accuracy page and its CSV. */
export async function staffRoutingAccuracyRoutes(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  const svc = opts.services;

  /**
   * One route: the same people as the JSON API (assessors included, who have no other back-office page here);
   * signed out → sign-in, without the right → 403, a bad `bulan` → 422; then `send` gets the period's months.
   */
  const route = (
    path: string,
    send: (
      req: FastifyRequest,
      reply: FastifyReply,
      period: number,
      result: { scope: RoutingScope; months: RoutingMonth[]; confidence: ConfidenceBand[] },
    ) => unknown,
  ) =>
    app.get(path, async (req, reply) => {
      if (!req.session) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`, 303);
      if (!mayViewRoutingAccuracy(req.caller.actor)) throw new AppError('FORBIDDEN');
      // A bad `bulan` goes to the plugin's back-office error page (field label, link back to this page).
      const period = monthsParam((req.query as Record<string, unknown>).bulan);
      return send(req, reply, period, await routingAccuracy(svc, req.caller, period));
    });

  route(`${ROUTING_ACCURACY_PATH}.csv`, async (req, reply, period, { scope, months }) => {
    // Logged before a byte is sent: no entry, no file.
    await recordStatsExport(svc, req.caller, {
      table: 'routing_accuracy',
      format: 'csv',
      rows: months.length,
      scope: statsScope(scope),
      params: { months: period },
    });
    const csv = stringify([
      ROUTING_CSV_COLUMNS,
      ...months.map((m) => ROUTING_CSV_COLUMNS.map((c) => m[c] ?? '')),
    ]);
    reply.header(
      'content-disposition',
      `attachment; filename="aduan-routing-accuracy-${scopeSlug(scope)}-${period}m.csv"`,
    );
    return reply.type('text/csv; charset=utf-8').send(csv);
  });

  route(ROUTING_ACCURACY_PATH, async (req, reply, period, { scope, months, confidence }) =>
    sendPage(
      reply,
      req,
      h(RoutingAccuracyPage, {
        ctx: pageContext(req),
        period,
        scope,
        months,
        totals: routingTotals(months),
        confidence,
        models: await activeRoutingModels(svc.db),
        // Times in the viewer's zone (a WITA province reads WITA), not the server's.
        zone: await scopeZone(svc.db, scope),
      }),
    ),
  );
}
