/**
 * Back-office routing accuracy `GET /kantor/statistik/rute?bulan=12` (issue 7): the live accuracy of the
 * routing suggestions and the misrouting rate by month (`routingAccuracy`). Signed-out visitors go to the
 * sign-in page; whoever has no grant with `view_evaluation` (officers, citizens) gets 403; a bad `bulan`
 * gets 422 with the field message.
 */
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { mayViewRoutingAccuracy, routingAccuracy, routingTotals } from '../../queries/routing-accuracy.ts';
import { RoutingAccuracyPage } from '../../views/staff/routing-accuracy.tsx';
import { ROUTING_ACCURACY_PATH } from '../../views/staff/stats-dashboard.tsx';
import { pageContext, sendPage } from '../web/render.ts';
import { sendFieldErrorPage } from '../web/stats-pages.ts';

/** `bulan`: whole months 1–60, 12 when absent or blank. */
export function monthsParam(raw: unknown): number {
  if (raw === undefined || raw === '') return 12;
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw.trim()))
    throw invalid({ bulan: { key: 'invalid_format' } });
  const n = Number(raw.trim());
  if (n < 1) throw invalid({ bulan: { key: 'too_small', params: { min: 1 } } });
  if (n > 60) throw invalid({ bulan: { key: 'too_big', params: { max: 60 } } });
  return n;
}

/** Registers the routing accuracy page. */
export async function staffRoutingAccuracyRoutes(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  const svc = opts.services;

  app.get(ROUTING_ACCURACY_PATH, async (req, reply) => {
    // The same people as the JSON API (assessors included, who have no other back-office page here).
    if (!req.session) return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`, 303);
    if (!mayViewRoutingAccuracy(req.caller.actor)) throw new AppError('FORBIDDEN');
    let period: number;
    try {
      period = monthsParam((req.query as Record<string, unknown>).bulan);
    } catch (err) {
      return sendFieldErrorPage(reply, req, err);
    }
    const { months } = await routingAccuracy(svc, req.caller, period);
    return sendPage(
      reply,
      req,
      h(RoutingAccuracyPage, { ctx: pageContext(req), period, months, totals: routingTotals(months) }),
    );
  });
}
