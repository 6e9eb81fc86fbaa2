/**
 * Open311 GeoReport v2 (docs/open311.md): discovery at /open311/discovery.{xml,json}, the production
 * endpoint at /open311/v2 and the test sandbox at /open311/test/v2 (D10). Every answer, errors included,
 * is in the format of the URL suffix with Open311's `errors` list (§9); reads are rate limited per client
 * and writes per API key.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { sha256 } from '../../integrations/crypto.ts';
import { findOpen311Service, listOpen311Services } from '../../queries/open311.ts';
import { presentService, presentServiceDefinition, w3c } from '../../presenters/open311.ts';
import { open311Changeset } from '../../commands/open311-changeset.ts';
import { classifyError, requestLang } from '../plugins/errors.ts';
import { rateLimit } from '../plugins/rate-limit.ts';
import { bilingual, formatOfUrl, formatParam, send } from './format.ts';
import { MAX_REQUESTS, param, type Fields } from './input.ts';
import { requestRoutes } from './requests.ts';
import { updateRoutes } from './updates.ts';
import { mediaRoutes } from './media.ts';
import { readAnswer, type Open311Context, type Open311Limits } from './context.ts';
import { AnswerCache, answerOf, sendAnswer } from './cache.ts';
import { registerUtf8BodyParsers, strictUtf8 } from './utf8-body.ts';

export type { Open311Limits } from './context.ts';

const STATUS: Record<string, number> = {
  API_KEY_INVALID: 403,
  API_KEY_AGENCY_INACTIVE: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REPORT_NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  METHOD_NOT_ALLOWED: 405,
  IDEMPOTENCY_KEY_REUSED: 409,
};

/** Field names of our commands as Open311 names them. */
const FIELD_ALIAS: Record<string, string> = {
  regionCode: 'address_id',
  lon: 'long',
  'reporter.name': 'first_name',
  occurredOn: 'attribute[waktu_kejadian]',
  categoryId: 'service_code',
  file: 'media',
};

/** Sends any error as an Open311 `errors` body in the URL's format, each description in Indonesian and English. */
export function sendOpen311Error(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const c = classifyError(err);
  const status = STATUS[c.code] ?? (c.status >= 500 ? 500 : c.status === 429 ? 429 : 400);
  if (status >= 500) req.log.error({ err }, 'open311 error');
  const lang = requestLang(req);
  const both = (key: string, params: Record<string, string | number> | undefined) =>
    bilingual(lang, key, params);
  const fields = Object.entries(c.fields);
  const errors = fields.length
    ? fields.map(([k, f]) => ({
        code: status,
        description: `${FIELD_ALIAS[k] ?? k}: ${both(`errors.field.${f.key}`, f.params)}`,
      }))
    : [{ code: status, description: both(`errors.${c.code}`, c.params) }];
  if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  return send(reply, formatOfUrl(req.url), 'errors', errors, { status });
}

/** Registers Open311 under the prefix it is mounted at (`/open311`). */
export async function open311Routes(
  app: FastifyInstance,
  opts: { services: Services; limits?: Open311Limits },
): Promise<void> {
  const svc = opts.services;
  const keyOf = (req: FastifyRequest) => {
    const q = req.query as Fields | undefined;
    const b = req.body && typeof req.body === 'object' ? (req.body as Fields) : undefined;
    let key: string | undefined;
    try {
      key = param(q, 'api_key') ?? param(b, 'api_key');
    } catch {
      // Conflicting keys: counted per address here; the route answers 400.
    }
    return key ? `key:${sha256(key).slice(0, 32)}` : `ip:${req.ip}`;
  };
  // A limit of 0 switches that limiter off (benchmarks measure the read path without it as well).
  const limiter = (name: string, max: number) =>
    max > 0 ? rateLimit(svc, name, max, 60, keyOf) : async () => undefined;
  const readLimit = limiter('open311-read', opts.limits?.readsPerMinute ?? 600);
  const writeLimit = limiter('open311-write', opts.limits?.writesPerMinute ?? 60);

  const xml = new XMLParser({
    parseTagValue: false,
    ignoreAttributes: true,
    isArray: (n) => n.endsWith('[]'),
  });
  // Bodies are UTF-8 (§1): a form, JSON or XML body with bytes that are not is a 400, never stored as U+FFFD.
  registerUtf8BodyParsers(app);
  for (const type of ['text/xml', 'application/xml']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => {
      const text = strictUtf8(body as Buffer);
      if (text === undefined) return done(new AppError('INVALID_XML'), undefined);
      // No client needs a DTD; refusing it rules out entity expansion and external entities (XXE).
      if (/<!DOCTYPE/i.test(text) || XMLValidator.validate(text) !== true)
        return done(new AppError('INVALID_XML'), undefined);
      let doc: Record<string, unknown>;
      try {
        doc = xml.parse(text) as Record<string, unknown>;
      } catch {
        return done(new AppError('INVALID_XML'), undefined);
      }
      const root = Object.keys(doc).find((k) => k !== '?xml');
      const fields = root ? doc[root] : {};
      done(null, fields && typeof fields === 'object' ? fields : {});
    });
  }
  // Keyless reads of the production endpoint may be served from a short-lived cache (context.ts).
  const cacheSeconds = Math.max(0, opts.limits?.listCacheSeconds ?? 0);
  const cache =
    cacheSeconds > 0 ? new AnswerCache(cacheSeconds * 1000, () => svc.now().getTime()) : undefined;
  if (cache && opts.limits?.changes) {
    const unsubscribe = await opts.limits.changes(() => cache.clear());
    app.addHook('onClose', async () => unsubscribe());
  }
  app.setErrorHandler((err, req, reply) => sendOpen311Error(req, reply, err));
  // The methods each resource answers, so a known resource asked with another method gets 405 and `Allow`.
  const resources: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  app.addHook('onRoute', (route) => {
    if (route.url.endsWith('/*')) return;
    const source = route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+?');
    const pattern = new RegExp(`^${source}$`);
    const methods = [route.method].flat();
    const known = resources.find((r) => r.pattern.source === pattern.source);
    if (known) for (const m of methods) known.methods.add(m);
    else resources.push({ pattern, methods: new Set(methods) });
  });
  // A catch-all under the prefix, so unknown Open311 resources also answer with an `errors` body.
  app.all('/*', { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = resources.find((r) => r.pattern.test(path))?.methods;
    if (!allowed) return sendOpen311Error(req, reply, new AppError('NOT_FOUND'));
    reply.header('allow', [...allowed].sort().join(', '));
    return sendOpen311Error(
      req,
      reply,
      new AppError('METHOD_NOT_ALLOWED', {}, { allowed: [...allowed].sort().join(', ') }),
    );
  });

  // Both endpoints serve the same services, so they share one changeset: when the services or their
  // definition last changed (commands/open311-changeset.ts); the document itself changes only with it.
  const discovery = async () => {
    const changeset = w3c(await open311Changeset(svc));
    return {
      changeset,
      contact: 'Pengelola aduan — kontak melalui menu Bantuan / contact through the Help page',
      key_service:
        'API key per mitra diterbitkan admin (aduan open311 key create --name NAMA) / keys are issued per partner by the administrator',
      // A number, as FixMyStreet's discovery gives it (JSON number, XML text).
      max_requests: MAX_REQUESTS,
      endpoints: (['production', 'test'] as const).map((type) => ({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${svc.publicUrl}/open311/${type === 'production' ? 'v2' : 'test/v2'}`,
        changeset,
        type,
        formats: ['text/xml', 'application/json'],
      })),
    };
  };
  for (const format of ['xml', 'json'] as const) {
    // ETag (If-None-Match → 304) and revalidation, as every read: clients refresh when the changeset moves.
    app.get(`/discovery.${format}`, { schema: { hide: true }, preHandler: readLimit }, async (req, reply) =>
      sendAnswer(req, reply, answerOf(format, 'discovery', await discovery(), true), 'no-cache'),
    );
  }

  for (const [base, endpoint] of [
    ['/v2', 'production'],
    ['/test/v2', 'test'],
  ] as const) {
    const ctx: Open311Context = {
      svc,
      endpoint,
      readLimit,
      writeLimit,
      cache: endpoint === 'production' ? cache : undefined,
      cacheSeconds,
    };
    await app.register(
      async (ep) => {
        ep.get('/services.:format', { schema: { hide: true }, preHandler: readLimit }, async (req, reply) => {
          const format = formatParam(req);
          return readAnswer(ctx, req, reply, format, 'services', async () =>
            (await listOpen311Services(svc.db)).map(presentService),
          );
        });
        ep.get(
          '/services/:code.:format',
          { schema: { hide: true }, preHandler: readLimit },
          async (req, reply) => {
            const format = formatParam(req);
            const { code } = req.params as { code: string };
            return readAnswer(ctx, req, reply, format, 'service_definition', async () => {
              const service = await findOpen311Service(svc.db, code);
              if (!service) throw new AppError('SERVICE_NOT_FOUND');
              return presentServiceDefinition(service.code);
            });
          },
        );
        await requestRoutes(ep, ctx);
        await updateRoutes(ep, ctx);
        // The sandbox never stores files, so only production serves media.
        if (endpoint === 'production') await mediaRoutes(ep, ctx);
      },
      { prefix: base },
    );
  }
}
