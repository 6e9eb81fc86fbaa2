/**
 * The HTTP composition root: Fastify with Zod schemas, the JSON API v1, OpenAPI at /api/docs, health and
 * metrics. Pages, Open311 and channel webhooks register here too as they are built.
 */
import { plainTextDeep } from '../domain/shared/text.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Services } from '../app/context.ts';
import { isReady } from '../queries/health.ts';
import { authPlugin } from './plugins/auth.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { clientErrorHandler, frameworkErrorHandler } from './plugins/client-errors.ts';
import { registerCors } from './plugins/cors.ts';
import { AppError } from '../app/errors.ts';
import { reportRoutes } from './api/v1/reports.ts';
import { actionRoutes } from './api/v1/actions.ts';
import { authRoutes } from './api/v1/auth.ts';
import { referenceRoutes } from './api/v1/reference.ts';
import { slaRoutes } from './api/v1/sla.ts';
import { attachmentRoutes } from './api/v1/attachments.ts';
import { statsRoutes } from './api/v1/stats.ts';
import { evaluationRoutes } from './api/v1/evaluation.ts';
import { routingRoutes } from './api/v1/routing.ts';
import { open311Routes, type Open311Limits } from './open311/index.ts';
import { channelRoutes, type ChannelOptions } from './channels/index.ts';
import { pagesPlugin } from './web/pages.ts';
import { collectFormPosts, redirectFormGets } from './web/form-gets.ts';
import { staffRoutes } from './staff/index.ts';
import { accountRoutes } from './account/index.ts';
import { invitationPages } from './web/invitation-pages.ts';
import { statsPagesPlugin } from './web/stats-plugin.ts';
import { notificationRoutes } from './api/v1/notifications.ts';
import { integrationRoutes } from './api/v1/integrations.ts';
import { registerStrictJsonParser } from './api/v1/json-body.ts';
import { completeOpenApi } from './openapi.ts';
import { registerAppMetrics } from './metrics.ts';
import { metricsGuard } from './metrics-access.ts';
import { registerCompression } from './plugins/compression.ts';

/** What the HTTP layer needs from the process. */
export interface AppOptions {
  services: Services;
  logLevel?: string;
  /** Where logs go (default stdout); tests capture them to prove no personal data is logged. */
  logStream?: NodeJS.WritableStream;
  secureCookies?: boolean;
  /**
   * Proxies trusted to give the client address in X-Forwarded-For (Fastify's trustProxy; config
   * ADUAN_TRUST_PROXY). Default false: the TCP peer is the client, so a forged header cannot dodge rate limits.
   */
  trustProxy?: boolean | string[];
  /** Requests per minute per client IP. */
  limits?: { submitPerMinute?: number; loginPerMinute?: number; supportPerHour?: number };
  /** Largest JSON body in bytes. */
  bodyLimit?: number;
  /** Open311 reads/writes per minute (per client or API key). */
  open311?: Open311Limits;
  /** SMS gateway and inbound email secrets and limits. */
  channels?: ChannelOptions;
  /** Bearer token /metrics asks for (config ADUAN_METRICS_TOKEN); undefined = requests from this machine only. */
  metricsToken?: string | undefined;
  /** The most rows one back-office queue export holds (default `EXPORT_CAP`, 10,000; tests lower it). */
  exportCap?: number | undefined;
}

/** Builds the Fastify app (not listening). */
/** Query parameters whose values are logged; every other value is `[redacted]`. */
const LOGGED_QUERY_KEYS = new Set([
  'lang',
  'page',
  'pageSize',
  'page_size',
  'status',
  'tab',
  'groupBy',
  'from',
  'to',
  'format',
  'extensions',
  'jurisdiction_id',
  'service_code',
  'start_date',
  'end_date',
]);

/**
 * The request URL as logged: the path, and the query with only known harmless values. Why: clients put personal data
 * in query strings (Open311 `first_name`/`email`/`phone` on POST, a staff search `q=<phone or NIK>`, the private
 * link's `k=`), and logs must never hold an anonymous reporter's identity.
 */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = new URLSearchParams(url.slice(at + 1));
  const parts = [...query.keys()].map((key) =>
    LOGGED_QUERY_KEYS.has(key)
      ? `${encodeURIComponent(key)}=${encodeURIComponent(query.get(key) ?? '')}`
      : `${encodeURIComponent(key)}=[redacted]`,
  );
  return `${url.slice(0, at)}?${[...new Set(parts)].join('&')}`;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-access-key"]',
          'req.headers["x-api-key"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req) => ({ method: req.method, url: loggedUrl(String(req.url)) }),
      },
    },
    bodyLimit: opts.bodyLimit ?? 256 * 1024,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    trustProxy: opts.trustProxy ?? false,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // Cross-origin reads of the keyless public GETs only (plugins/cors.ts); first, so a preflight costs nothing else.
  registerCors(app);
  // Every parsed input string is cleaned once, before validation: NUL and control characters dropped, unpaired
  // surrogates repaired (src/domain/shared/text.ts), so no input reaches PostgreSQL as a 500. Raw bodies kept for
  // signatures (SMS) are untouched; multipart readers clean their fields with `plainText` themselves.
  app.addHook('preValidation', async (req) => {
    if (req.body !== null && typeof req.body === 'object' && !Buffer.isBuffer(req.body))
      req.body = plainTextDeep(req.body);
    req.query = plainTextDeep(req.query);
    req.params = plainTextDeep(req.params);
  });

  const services = opts.services;
  const secureCookies = opts.secureCookies ?? false;
  await app.register(cookie);
  await registerCompression(app);
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 5 } });
  await app.register(swagger, {
    hideUntagged: true,
    openapi: {
      openapi: '3.1.0',
      info: { title: 'aduan API', version: '1.0.0', description: 'JSON API v1 of aduan (docs/api-v1.md).' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          accessKey: { type: 'apiKey', in: 'header', name: 'X-Access-Key' },
        },
      },
    },
    transform: jsonSchemaTransform,
    // Success statuses, error responses and security per operation, without response schemas on the routes.
    transformObject: (doc) =>
      'openapiObject' in doc
        ? (completeOpenApi(
            doc.openapiObject as Parameters<typeof completeOpenApi>[0],
          ) as typeof doc.openapiObject)
        : doc.swaggerObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(authPlugin, { services, secureCookies });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    // A page may ask for a stricter policy (the password-reset page, whose URL holds its token: no-referrer).
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });

  const limits = {
    submitPerMinute: opts.limits?.submitPerMinute ?? 20,
    loginPerMinute: opts.limits?.loginPerMinute ?? 10,
    supportPerHour: opts.limits?.supportPerHour ?? 30,
  };
  await app.register(
    async (api) => {
      // JSON bodies are strict UTF-8 (api/v1/json-body.ts): invalid bytes are a 400, not stored as U+FFFD.
      registerStrictJsonParser(api);
      // A JSON body sent as text/plain or without a content type is refused as such (415), not as a puzzling
      // "invalid value type" on the whole body (422). Multipart routes declare no JSON body schema.
      api.addHook('preValidation', async (req) => {
        if (!['POST', 'PUT', 'PATCH'].includes(req.method) || !req.routeOptions.schema?.body) return;
        const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || !!req.headers['transfer-encoding'];
        if (hasBody && !/\bjson\b/i.test(String(req.headers['content-type'] ?? '')))
          throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      });
      await api.register(authRoutes, {
        services,
        secureCookies,
        limits: { loginPerMinute: limits.loginPerMinute },
      });
      await api.register(reportRoutes, { services, limits: { submitPerMinute: limits.submitPerMinute } });
      await api.register(actionRoutes, { services, supportPerHour: limits.supportPerHour });
      await api.register(attachmentRoutes, { services });
      await api.register(referenceRoutes, { services });
      await api.register(slaRoutes, { services });
      await api.register(statsRoutes, { services });
      await api.register(evaluationRoutes, { services });
      await api.register(routingRoutes, { services });
      await api.register(notificationRoutes, { services });
      await api.register(integrationRoutes, { services });
    },
    { prefix: '/api/v1' },
  );
  await app.register(open311Routes, { services, limits: opts.open311 ?? {}, prefix: '/open311' });
  await app.register(channelRoutes, { services, channels: opts.channels ?? {}, prefix: '/channels' });
  // A GET on a citizen form's POST-only address goes back to the form's page (web/form-gets.ts).
  const formPosts = collectFormPosts(app);
  await app.register(pagesPlugin, { services, secureCookies, limits });
  await app.register(staffRoutes, { services, secureCookies, exportCap: opts.exportCap });
  await app.register(accountRoutes, { services, secureCookies, registerPerMinute: limits.loginPerMinute });
  await app.register(invitationPages, { services, secureCookies, acceptPerMinute: limits.loginPerMinute });
  await app.register(statsPagesPlugin, { services, secureCookies });
  redirectFormGets(app, formPosts);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerAppMetrics(registry, services);
  // Not public: a bearer token (ADUAN_METRICS_TOKEN), else this machine only (metrics-access.ts).
  app.get(
    '/metrics',
    { schema: { hide: true }, onRequest: metricsGuard(opts.metricsToken) },
    async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const ready = await isReady(services.db);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready' });
  });
  return app;
}
