/**
 * Registers the statistics and evaluation pages (issue 6 and issue 3's statistics page) in their own
 * encapsulated plugin: public `/statistik`, `/statistik/bulanan`, `/evaluasi/:periodId` (+ certificate)
 * and back-office `/kantor/statistik` (+ exports, drill-down, routing accuracy `/kantor/statistik/rute`) and
 * `/kantor/evaluasi` (+ period forms, publishing).
 * HTML error pages in the page language; `?lang=` is remembered like on the other pages. Errors of the
 * back-office pages, for the staff and assessors who use them, get the back-office error page
 * (`StatsErrorPage`): the invalid fields by their labels and links back into the back office, never the
 * citizen links of the public error page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { has, t, type Lang } from '../../locales/index.ts';
import { StatsErrorPage, type StatsFieldError } from '../../views/staff/stats-dashboard.tsx';
import { classifyError } from '../plugins/errors.ts';
import { staffEvaluationAdminRoutes } from '../staff/evaluation-admin.ts';
import { staffEvaluationRoutes } from '../staff/evaluation-pages.ts';
import { staffRoutingAccuracyRoutes } from '../staff/routing-accuracy.ts';
import { staffStatsRoutes } from '../staff/stats-dashboard.ts';
import { evaluationResultRoutes } from './evaluation-results.ts';
import { rememberLang } from './pages.ts';
import { ownStaleFormPage, pageContext, pageIssueKey, sendErrorPage, sendPage } from './render.ts';
import { fieldLabel, publicStatsRoutes } from './stats-pages.ts';

/** Roles that use the back-office statistics and evaluation pages. */
const STAFF_PAGE_ROLES = ['national_admin', 'coordinator', 'agency_admin', 'officer', 'assessor'];
/** Roles with the report queue (`/kantor`). */
const QUEUE_ROLES = ['national_admin', 'coordinator', 'agency_admin', 'officer'];

/**
 * A field issue's message: the statistics pages word some for their own form (dates, not the API's `from`/`to`),
 * then the shared field messages, then the evaluation forms' own.
 */
function fieldMessage(lang: Lang, issue: { key: string; params?: Record<string, string | number> }): string {
  const keys = [
    `stats.error.issue.${issue.key}`,
    `errors.field.${pageIssueKey(issue.key)}`,
    `eval.field.${issue.key}`,
  ];
  return t(lang, keys.find((k) => has(lang, k)) ?? keys[1]!, issue.params ?? {});
}

/** The section page a back-office statistics URL belongs to, with its link text. */
function sectionOf(pathname: string): { href: string; key: string } {
  if (pathname.startsWith('/kantor/statistik/rute'))
    return { href: '/kantor/statistik/rute', key: 'routing' };
  if (pathname.startsWith('/kantor/evaluasi')) return { href: '/kantor/evaluasi', key: 'evaluation' };
  return { href: '/kantor/statistik', key: 'dashboard' };
}

/** The back-office error page: the message, the invalid fields by label, links back into the back office. */
function sendStaffErrorPage(reply: FastifyReply, req: FastifyRequest, err: unknown): FastifyReply {
  const c = classifyError(err);
  if (c.status >= 500) req.log.error({ err }, 'unhandled page error');
  const ctx = pageContext(req);
  const roles = ctx.user?.roles ?? [];
  const pathname = new URL(req.url, 'http://x').pathname;
  const links: { href: string; label: string }[] = [];
  if (req.method !== 'GET' && req.method !== 'HEAD')
    links.push({ href: ctx.langPath, label: ctx.t('web.error.back') });
  const section = sectionOf(pathname);
  // A refused section page would only lead back to the same refusal.
  if (!(pathname === section.href && (c.status === 403 || c.status === 404)))
    links.push({ href: section.href, label: ctx.t(`stats.error.back.${section.key}`) });
  if (roles.some((r) => QUEUE_ROLES.includes(r)))
    links.push({ href: '/kantor', label: ctx.t('web.error.queue') });
  // Assessors have no queue: their page is the evaluation list.
  else if (!links.some((l) => l.href === '/kantor/evaluasi'))
    links.push({ href: '/kantor/evaluasi', label: ctx.t('stats.error.back.evaluation') });
  const fields: StatsFieldError[] = Object.entries(c.fields).map(([name, issue]) => ({
    label: fieldLabel(ctx.lang, name),
    message: fieldMessage(ctx.lang, issue),
  }));
  return sendPage(
    reply,
    req,
    h(StatsErrorPage, {
      ctx,
      status: c.status,
      message: t(ctx.lang, `errors.${c.code}`, c.params),
      fields,
      links,
    }),
    c.status,
  );
}

/** The statistics and evaluation pages. */
export async function statsPagesPlugin(
  app: FastifyInstance,
  opts: { services: Services; secureCookies: boolean },
): Promise<void> {
  app.addHook('preHandler', rememberLang(opts.secureCookies));
  app.setErrorHandler((err, req, reply) => {
    // A period form posted with a stale token: the form again with what was typed (evaluation-admin.ts).
    const own = ownStaleFormPage(reply, req, err);
    if (own) return own;
    const staff =
      req.url.startsWith('/kantor') &&
      req.session?.actor.grants.some((g) => STAFF_PAGE_ROLES.includes(g.role)) === true;
    return staff ? sendStaffErrorPage(reply, req, err) : sendErrorPage(reply, req, err);
  });
  await app.register(publicStatsRoutes, { services: opts.services });
  await app.register(evaluationResultRoutes, { services: opts.services });
  await app.register(staffStatsRoutes, { services: opts.services });
  await app.register(staffRoutingAccuracyRoutes, { services: opts.services });
  // The period forms first: `/kantor/evaluasi/baru` must not be taken for a period id.
  await app.register(staffEvaluationAdminRoutes, { services: opts.services });
  await app.register(staffEvaluationRoutes, { services: opts.services });
}
