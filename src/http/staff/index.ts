/**
 * The back office (`/kantor`): queue, report page with its action forms, and walk-in intake. Signed-in staff
 * only (cookie session; every POST carries the CSRF token). Errors render as HTML pages, never JSON.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../app/context.ts';
import { rememberLang } from '../web/pages.ts';
import { sendErrorPage } from '../web/render.ts';
import { staffQueueRoutes } from './queue.ts';
import { staffReportRoutes } from './report.ts';
import { staffWalkInRoutes } from './walk-in.ts';
import { staffAdminRoutes } from './admin.ts';
import { staffAdminUserRoutes } from './admin-users.ts';
import { staffAdminCalendarRoutes } from './admin-calendar.ts';
import { staffAdminRoutingRoutes } from './admin-routing.ts';
import { staffPasswordRoutes } from './password.ts';
import { staffNotificationRoutes, unreadBadgeHook } from './notifications.ts';
import { staffIntegrationRoutes } from './integrations.ts';
import { staffOmbudsmanRoutes } from './ombudsman-office.ts';

/** Registers every back-office route with an HTML error handler. */
export const staffRoutes: FastifyPluginAsync<{
  services: Services;
  secureCookies: boolean;
  /** The most rows one queue export holds (default `EXPORT_CAP`). */
  exportCap?: number | undefined;
}> = async (app, opts) => {
  app.addHook('preHandler', rememberLang(opts.secureCookies));
  app.addHook('preHandler', unreadBadgeHook(opts.services));
  app.setErrorHandler((err, req, reply) => sendErrorPage(reply, req, err));
  await app.register(staffQueueRoutes, { services: opts.services, exportCap: opts.exportCap });
  await app.register(staffReportRoutes, { services: opts.services });
  await app.register(staffWalkInRoutes, opts);
  await app.register(staffAdminRoutes, { services: opts.services });
  await app.register(staffAdminUserRoutes, opts);
  await app.register(staffAdminCalendarRoutes, { services: opts.services });
  await app.register(staffAdminRoutingRoutes, { services: opts.services });
  await app.register(staffPasswordRoutes, { services: opts.services });
  await app.register(staffNotificationRoutes, { services: opts.services });
  await app.register(staffIntegrationRoutes, opts);
  await app.register(staffOmbudsmanRoutes, { services: opts.services });
};
