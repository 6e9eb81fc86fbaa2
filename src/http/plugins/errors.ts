/**
 * Maps every error to the API's shape `{ error: { code, message, fields, translations } }` with messages in
 * Bahasa Indonesia and English. Bad input never becomes a 500: malformed JSON is 400, invalid values 422,
 * oversized bodies 413.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldIssue } from '../../app/errors.ts';
import { LANGS, t, type Lang } from '../../locales/index.ts';
import { loggableError } from '../../integrations/error-log.ts';

/** HTTP status per application error code. */
export const STATUS_BY_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 422,
  CONSENT_REQUIRED: 422,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  AGENCY_INACTIVE: 403,
  API_KEY_AGENCY_INACTIVE: 403,
  NOT_FOUND: 404,
  REPORT_NOT_FOUND: 404,
  ILLEGAL_TRANSITION: 409,
  AGENCY_ALREADY_ACTED: 409,
  NOT_WITHHELD: 409,
  ESCALATION_NOT_DUE: 409,
  ALREADY_SUPPORTED: 409,
  DUPLICATE_FOLLOW_UP: 409,
  DUPLICATE_NOTE: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  PERIOD_PUBLISHED: 409,
  ALREADY_PUBLISHED: 409,
  PREVIEW_CHANGED: 409,
  SNAPSHOT_REQUIRED: 409,
  SNAPSHOT_CHECKSUM_MISMATCH: 409,
  PREVIEW_REQUIRED: 428,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

interface ZodLikeIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * The field key of a zod issue path: segments joined with dots (`reporter.email`, `groups.0.name`), except that
 * trailing array indexes are dropped, so an item of a list of values is reported on the field itself
 * (`status=x` → `status`, not `status.0`; docs/api-v1.md "Errors").
 */
export function fieldKeyOf(instancePath: string): string {
  return (
    instancePath
      .replace(/^\//, '')
      .replace(/\//g, '.')
      .replace(/(?:^|\.)\d+(?:\.\d+)*$/, '') || '_'
  );
}

/** Translates one zod issue into a field path and a locale key. */
export function fieldIssueFromZod(issue: ZodLikeIssue): Array<[string, FieldIssue]> {
  const path = fieldKeyOf(issue.instancePath);
  const p = issue.params;
  switch (issue.keyword) {
    case 'invalid_type':
      return [[path, { key: /received undefined/.test(issue.message) ? 'required' : 'invalid_type' }]];
    case 'too_small':
      return [
        [
          path,
          p.origin === 'string'
            ? { key: 'too_short', params: { min: Number(p.minimum) } }
            : { key: 'too_small', params: { min: Number(p.minimum) } },
        ],
      ];
    case 'too_big':
      return [
        [
          path,
          p.origin === 'string'
            ? { key: 'too_long', params: { max: Number(p.maximum) } }
            : { key: 'too_big', params: { max: Number(p.maximum) } },
        ],
      ];
    case 'invalid_value':
      return [[path, { key: 'one_of', params: { options: ((p.values as unknown[]) ?? []).join(', ') } }]];
    case 'unrecognized_keys':
      return ((p.keys as string[]) ?? []).map((k) => [
        path === '_' ? k : `${path}.${k}`,
        { key: 'unknown_field' },
      ]);
    case 'invalid_format':
      return [
        [
          path,
          {
            key:
              p.format === 'email'
                ? 'invalid_email'
                : p.format === 'date'
                  ? 'invalid_date'
                  : 'invalid_format',
          },
        ],
      ];
    case 'custom': {
      const params = (p.params as { key?: string } | undefined) ?? {};
      return [[path, { key: params.key ?? 'invalid_format' }]];
    }
    default:
      return [[path, { key: 'invalid_format' }]];
  }
}

/** The JSON error body, with both languages. */
export function errorBody(
  code: string,
  fields: Record<string, FieldIssue>,
  lang: Lang,
  params: Record<string, string | number> = {},
) {
  const render = (l: Lang) => ({
    message: t(l, `errors.${code}`, params),
    fields: Object.fromEntries(
      Object.entries(fields).map(([k, f]) => [k, t(l, `errors.field.${f.key}`, f.params)]),
    ),
  });
  const translations = Object.fromEntries(LANGS.map((l) => [l, render(l)]));
  const main = render(lang);
  return {
    error: {
      code,
      message: main.message,
      fields: main.fields,
      ...(Object.keys(params).length ? { params } : {}),
      translations,
    },
  };
}

/** Normalises any thrown value into code + fields + status. */
export function classifyError(err: unknown): {
  status: number;
  code: string;
  fields: Record<string, FieldIssue>;
  params: Record<string, string | number>;
} {
  if (err instanceof AppError) {
    return {
      status: STATUS_BY_CODE[err.code] ?? 400,
      code: err.code,
      fields: err.fields,
      params: err.params,
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: Record<string, FieldIssue> = {};
    for (const issue of err.validation as unknown as ZodLikeIssue[]) {
      for (const [k, f] of fieldIssueFromZod(issue)) fields[k] ??= f;
    }
    return { status: 422, code: 'VALIDATION_FAILED', fields, params: {} };
  }
  const fe = err as FastifyError;
  if (fe && typeof fe === 'object' && typeof fe.code === 'string') {
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', fields: {}, params: {} };
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', fields: {}, params: {} };
    if (
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      fe instanceof SyntaxError
    ) {
      return { status: 400, code: 'INVALID_JSON', fields: {}, params: {} };
    }
    if (fe.statusCode === 429) return { status: 429, code: 'RATE_LIMITED', fields: {}, params: {} };
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
      return { status: fe.statusCode, code: 'BAD_REQUEST', fields: {}, params: {} };
  }
  if (err instanceof SyntaxError) return { status: 400, code: 'INVALID_JSON', fields: {}, params: {} };
  return { status: 500, code: 'INTERNAL', fields: {}, params: {} };
}

/** Language of a request: ?lang=, the `lang` cookie, then Accept-Language. */
export function requestLang(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, string> | undefined)?.lang;
  const cookie = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.lang;
  const fromQ = q === 'en' || q === 'id' ? q : undefined;
  const fromC = cookie === 'en' || cookie === 'id' ? cookie : undefined;
  const accept = req.headers['accept-language'];
  return (fromQ ?? fromC ?? (accept?.toLowerCase().startsWith('en') ? 'en' : 'id')) as Lang;
}

/** Sends an error as JSON. */
export function sendJsonError(reply: FastifyReply, req: FastifyRequest, err: unknown): FastifyReply {
  const c = classifyError(err);
  if (c.status >= 500) req.log.error({ err: loggableError(err) }, 'unhandled error');
  if (c.status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  return reply.status(c.status).send(errorBody(c.code, c.fields, requestLang(req), c.params));
}

/** Registers the JSON error handler and the JSON 404 (pages register their own for HTML requests). */
export function registerErrorHandling(app: FastifyInstance): void {
  // Every request logger serialises `err` with `loggableError`, so the other places that log a request's error
  // (pages, Open311, channel webhooks, `{ err }` warnings) never write a query's parameters either. Set here, before
  // any route exists: each route takes the factory in force when it is declared.
  app.setChildLoggerFactory((logger, bindings, opts) =>
    logger.child(bindings, {
      ...opts,
      serializers: {
        ...opts.serializers,
        err: (e: unknown) => (e instanceof Error ? loggableError(e) : e),
      },
    }),
  );
  app.setErrorHandler((err, req, reply) => sendJsonError(reply, req, err));
  app.setNotFoundHandler((req, reply) => sendJsonError(reply, req, new AppError('NOT_FOUND')));
}
