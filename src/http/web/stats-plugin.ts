/**
 * Registers the statistics and evaluation pages (issue 6 and issue 3's statistics page) in their own
 * encapsulated plugin: public `/statistik`, `/statistik/bulanan`, `/evaluasi/:periodId` (+ certificate)
 * and back-office `/kantor/statistik` (+ exports, drill-down, routing accuracy `/kantor/statistik/rute`) and
 * `/kantor/evaluasi` (+ period forms, publishing).
 * HTML error pages in the page language; `?lang=` is remembered like on the other pages.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/context.ts';
import { staffEvaluationAdminRoutes } from '../staff/evaluation-admin.ts';
import { staffEvaluationRoutes } from '../staff/evaluation-pages.ts';
import { staffRoutingAccuracyRoutes } from '../staff/routing-accuracy.ts';
import { staffStatsRoutes } from '../staff/stats-dashboard.ts';
import { evaluationResultRoutes } from './evaluation-results.ts';
import { rememberLang } from './pages.ts';
import { sendErrorPage } from './render.ts';
import { publicStatsRoutes } from './stats-pages.ts';

/** The statistics and evaluation pages. */
export async function statsPagesPlugin(
  app: FastifyInstance,
  opts: { services: Services; secureCookies: boolean },
): Promise<void> {
  app.addHook('preHandler', rememberLang(opts.secureCookies));
  app.setErrorHandler((err, req, reply) => sendErrorPage(reply, req, err));
  await app.register(publicStatsRoutes, { services: opts.services });
  await app.register(evaluationResultRoutes, { services: opts.services });
  await app.register(staffStatsRoutes, { services: opts.services });
  await app.register(staffRoutingAccuracyRoutes, { services: opts.services });
  // The period forms first: `/kantor/evaluasi/baru` must not be taken for a period id.
  await app.register(staffEvaluationAdminRoutes, { services: opts.services });
  await app.register(staffEvaluationRoutes, { services: opts.services });
}
