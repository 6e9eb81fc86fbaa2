/**
 * The citizen pages plugin: static assets, the language cookie, HTML error and not-found pages, and the
 * page routes (home, report journey, tracking, public feed, sign-in). Registered once in src/http/app.ts.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { sendJsonError } from '../plugins/errors.ts';
import { sendErrorPage } from './render.ts';
import { homeRoutes } from './home.ts';
import { authPages } from './auth-pages.ts';
import { reportJourney } from './report-journey.ts';
import { trackPages } from './track-pages.ts';
import { feedPages } from './feed-pages.ts';
import { unsubscribePages } from './unsubscribe-pages.ts';

/** Options of the citizen pages plugin. */
export interface PagesOptions {
  services: Services;
  secureCookies: boolean;
  limits?: { submitPerMinute?: number; loginPerMinute?: number; supportPerHour?: number };
}

/** Sets the `lang` cookie when `?lang=id|en` is given, so the choice sticks without JavaScript. */
export function rememberLang(secure: boolean) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const q = (req.query as Record<string, unknown> | undefined)?.lang;
    if ((q === 'id' || q === 'en') && req.cookies.lang !== q) {
      reply.setCookie('lang', q, { path: '/', sameSite: 'lax', secure, maxAge: 365 * 86400 });
    }
  };
}

/** True when the request wants a page rather than JSON (not under /api, /open311, /metrics …). */
export function wantsHtml(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0]!;
  if (/^\/(api|open311|metrics|healthz|readyz|channels)(\/|$)/.test(path)) return false;
  const accept = req.headers.accept ?? '';
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

/** Registers the citizen pages. */
export async function pagesPlugin(app: FastifyInstance, opts: PagesOptions): Promise<void> {
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('./static/', import.meta.url)),
    prefix: '/static/',
    maxAge: 7 * 24 * 3600 * 1000,
    immutable: false,
    etag: true,
    lastModified: true,
  });
  app.addHook('preHandler', rememberLang(opts.secureCookies));
  app.setErrorHandler((err, req, reply) => sendErrorPage(reply, req, err));
  await app.register(homeRoutes, { services: opts.services });
  await app.register(authPages, {
    services: opts.services,
    secureCookies: opts.secureCookies,
    loginPerMinute: opts.limits?.loginPerMinute ?? 10,
  });
  await app.register(reportJourney, {
    services: opts.services,
    secureCookies: opts.secureCookies,
    submitPerMinute: opts.limits?.submitPerMinute ?? 20,
  });
  await app.register(trackPages, { services: opts.services });
  await app.register(feedPages, {
    services: opts.services,
    supportPerHour: opts.limits?.supportPerHour ?? 30,
  });
  await app.register(unsubscribePages, { services: opts.services });
  // The root 404 handler answers JSON; this catch-all (lowest priority in the router) answers unknown GETs
  // with an HTML page when a page was asked for, and with the same JSON error otherwise.
  app.get('/*', async (req, reply) =>
    wantsHtml(req) ? htmlNotFound(req, reply) : sendJsonError(reply, req, new AppError('NOT_FOUND')),
  );
}

/** The app-wide 404: an HTML page for page requests, the JSON error otherwise (see src/http/app.ts). */
export function htmlNotFound(req: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply> {
  return sendErrorPage(reply, req, new AppError('NOT_FOUND'));
}
