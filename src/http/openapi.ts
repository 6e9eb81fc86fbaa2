/**
 * Completes the generated OpenAPI document (/api/docs/json); few routes declare response schemas (a zod response
 * schema serialises the answer and drops undeclared fields, so one must list every field: GET and POST /sla-rules, GET
 * /integrations/webhooks/{id}/deliveries): each operation gets its real success status (201 Created,
 * 204 No Content), the error responses it can give with the common error envelope (`#/components/schemas/Error`),
 * and `security` (which credentials it takes). The rules are by method and path, below; docs/api-v1.md is the
 * contract they describe.
 */

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';
type Operation = {
  parameters?: Array<{ in?: string }>;
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
};
type OpenApiDoc = {
  paths?: Record<string, Partial<Record<Method, Operation>>>;
  components?: Record<string, unknown> & { schemas?: Record<string, unknown> };
};

/** The error envelope every 4xx of the JSON API carries (src/http/plugins/errors.ts `errorBody`). */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'fields', 'translations'],
      properties: {
        code: { type: 'string', description: 'UPPER_SNAKE error code (docs/api-v1.md "Errors")' },
        message: { type: 'string', description: 'In the request language (?lang=, cookie, Accept-Language)' },
        fields: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'Per-field messages (dotted names for nested fields)',
        },
        params: {
          type: 'object',
          additionalProperties: { type: ['string', 'number'] },
          description: 'Details of some codes, e.g. `availableFrom` of ESCALATION_NOT_DUE',
        },
        translations: {
          type: 'object',
          properties: {
            id: { $ref: '#/components/schemas/ErrorText' },
            en: { $ref: '#/components/schemas/ErrorText' },
          },
        },
      },
    },
  },
} as const;

const ERROR_TEXT_SCHEMA = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'Malformed request (INVALID_JSON, BAD_REQUEST)',
  '401': 'Not signed in, or a credential that cannot be used (UNAUTHENTICATED)',
  '403':
    'Signed in without the right (FORBIDDEN, CSRF_INVALID, PASSWORD_CHANGE_REQUIRED), or an agency API token of a deactivated agency (AGENCY_INACTIVE)',
  '404': 'Not found, or not visible to the caller',
  '409': 'Not allowed in the current state (ILLEGAL_TRANSITION and others)',
  '413': 'Too large (PAYLOAD_TOO_LARGE)',
  '415': 'Unsupported content type (UNSUPPORTED_MEDIA_TYPE)',
  '422': 'Invalid values (VALIDATION_FAILED, with per-field messages)',
  '423': 'Account temporarily locked (ACCOUNT_LOCKED, with Retry-After)',
  '428':
    'A required precondition is missing (PREVIEW_REQUIRED: a publish names the preview it was reviewed on)',
  '429': 'Rate limited (RATE_LIMITED, with Retry-After)',
};

const P = '/api/v1';

/** Operations answering 201 Created. */
const CREATED = new Set([
  `post ${P}/reports`,
  `post ${P}/reports/{trackingId}/attachments`,
  `post ${P}/integrations/webhooks`,
  `post ${P}/integrations/tokens`,
  `post ${P}/holidays`,
  `post ${P}/sla-rules`,
  `post ${P}/evaluation/periods`,
  `post ${P}/evaluation/periods/{periodId}/scores`,
  `post ${P}/evaluation/periods/{periodId}/publish`,
]);

/** Operations answering 201 Created when they added something, and 200 for a dry run or nothing left to add. */
const CREATED_OR_OK = new Set([`post ${P}/holidays/load`]);

/** Operations answering 202 Accepted when they queue work, and 200 when there was nothing left to do. */
const ACCEPTED = new Set([`post ${P}/reports/{trackingId}/forward`]);

/** A multipart file field: one or more files (the operation reads every file part). */
const FILES = { type: 'array', items: { type: 'string', format: 'binary' }, maxItems: 5 } as const;

/** The multipart bodies of the upload operations (read from the raw request, so not in the route schemas). */
const MULTIPART: Record<string, { required?: string[]; properties: Record<string, unknown> }> = {
  [`post ${P}/reports/{trackingId}/attachments`]: {
    required: ['file'],
    properties: { file: { ...FILES, description: 'Images or PDF, at most 10 MB each; metadata stripped' } },
  },
  [`post ${P}/evaluation/periods/{periodId}/scores`]: {
    required: ['agencyId', 'indicator', 'score', 'justification'],
    properties: {
      agencyId: { type: 'string' },
      indicator: { type: 'string', description: 'A rubric indicator (docs/evaluation.md)' },
      score: { type: 'string', pattern: '^\\d{1,9}$', description: 'A whole number 0–100' },
      justification: { type: 'string' },
      evidence: { ...FILES, description: 'Evidence files, at most 10 MB each' },
    },
  },
};

/** Operations answering 204 No Content. */
const NO_CONTENT = (key: string) =>
  key.startsWith(`delete ${P}/integrations/`) || key === `post ${P}/auth/password-reset/confirm`;

/** Operations answering 202 Accepted always (the answer must not tell whether anything was queued). */
const ALWAYS_ACCEPTED = new Set([`post ${P}/auth/password-reset`]);

/** Security requirements: a session (bearer token or cookie), a reporter's access key, or none. */
type Security = Array<Record<string, string[]>>;
const SIGNED_IN: Security = [{ bearer: [] }, { session: [] }];
const REPORTER_OR_SIGNED_IN: Security = [...SIGNED_IN, { accessKey: [] }];
const ANYONE: Security = [{}, ...REPORTER_OR_SIGNED_IN];
const NONE: Security = [];

/** Reads and writes open to everyone (more with credentials: staff scope, the reporter's own report). */
const OPEN = [
  /^get \/api\/v1\/reports(\/\{trackingId\}(\/events|\/attachments\/\{attachmentId\})?)?$/,
  /^post \/api\/v1\/reports$/,
  /^post \/api\/v1\/reports\/\{trackingId\}\/actions\/support$/,
  /^get \/api\/v1\/similar$/,
];

/** Public reads that take no credentials at all, and sign-in itself. */
const PUBLIC = [
  /^get \/api\/v1\/(agencies|categories|regions|holidays|stats(\.csv|\.xlsx)?)$/,
  /^get \/api\/v1\/open-data\//,
  /^get \/api\/v1\/evaluation\/periods(\/\{periodId\}(\/results(\.xlsx)?)?)?$/,
  /^post \/api\/v1\/auth\/(login|password-reset(\/confirm)?)$/,
];

/** Report actions and attachments the reporter may take with the access key (or anyone signed in). */
const REPORTER = [
  /^post \/api\/v1\/reports\/\{trackingId\}\/actions\/(supplement|accept|dispute|escalate|comment)$/,
  /^post \/api\/v1\/reports\/\{trackingId\}\/attachments$/,
];

function securityOf(key: string): Security {
  if (PUBLIC.some((r) => r.test(key))) return NONE;
  if (OPEN.some((r) => r.test(key))) return ANYONE;
  if (REPORTER.some((r) => r.test(key))) return REPORTER_OR_SIGNED_IN;
  return SIGNED_IN;
}

/** The error statuses an operation can answer. */
function errorStatuses(key: string, op: Operation, security: Security): string[] {
  const [method, path] = key.split(' ') as [Method, string];
  const out = new Set<string>(['401']); // any /api/v1 call with an unusable Authorization header
  const write = method !== 'get' && method !== 'head';
  const input = !!op.parameters?.length || !!op.requestBody;
  if (write && !key.endsWith('/auth/logout')) out.add('400').add('413').add('415');
  if (input || write) out.add('422');
  if (security !== NONE) out.add('403');
  if (path.includes('{') || /snapshots\/latest/.test(path)) out.add('404');
  if (key === `post ${P}/holidays/confirm`) out.add('404'); // a date holding no prediction
  if (/\/actions\//.test(path) || /\/(publish|scores)$/.test(path)) out.add('409');
  if (/\/publish$/.test(path)) out.add('428'); // no previewSha256: review the preview first
  if (key === `post ${P}/auth/login`) out.add('423').add('429');
  if (key.startsWith(`post ${P}/auth/password-reset`)) out.add('429');
  if (key === `post ${P}/reports` || /actions\/support$/.test(path)) out.add('429');
  if (key === `post ${P}/reports`) out.add('409'); // an Idempotency-Key reused for another body
  return [...out].sort();
}

/** The Idempotency-Key request header and Idempotent-Replayed answer header of report creation (ADR 0014). */
function addIdempotencyKey(op: Operation): void {
  op.parameters = [
    ...(op.parameters ?? []),
    {
      in: 'header',
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: the same key and body within 24 hours answers the first answer again (same ' +
        'trackingId and accessKey) and files nothing; the same key with another body is 409. Scoped to the ' +
        'signed-in user, the agency API token, or the device cookie (docs/api-v1.md).',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
    } as { in: string },
  ];
  const created = op.responses?.['201'] as { headers?: Record<string, unknown> } | undefined;
  if (created)
    created.headers = {
      ...created.headers,
      'Idempotent-Replayed': {
        description: '`true` when this answers a retry (nothing new was filed)',
        schema: { type: 'string', enum: ['true'] },
      },
    };
}

/** `transformObject` of @fastify/swagger: fills in statuses, errors and security of the JSON API operations. */
export function completeOpenApi(doc: OpenApiDoc): OpenApiDoc {
  doc.components = {
    ...doc.components,
    securitySchemes: {
      ...(doc.components?.securitySchemes as Record<string, unknown> | undefined),
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'Token from POST /api/v1/auth/login, or an agency API token (ait_…)',
      },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'aduan_session',
        description: 'Session cookie (writes also need X-CSRF-Token)',
      },
      accessKey: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Access-Key',
        description: "The reporter's access key (or ?k=)",
      },
    },
    schemas: { ...doc.components?.schemas, Error: ERROR_SCHEMA, ErrorText: ERROR_TEXT_SCHEMA },
  };
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith(`${P}/`)) continue;
    for (const [method, op] of Object.entries(ops) as Array<[Method, Operation]>) {
      if (!op) continue;
      const key = `${method} ${path}`;
      const declared = op.responses ?? {};
      const success: Record<string, { description: string }> = CREATED.has(key)
        ? { '201': { description: 'Created' } }
        : CREATED_OR_OK.has(key)
          ? {
              '201': { description: 'Created (entries added)' },
              '200': { description: 'OK (a dry run, or nothing left to add)' },
            }
          : ALWAYS_ACCEPTED.has(key)
            ? { '202': { description: 'Accepted (whether or not an email was queued)' } }
            : ACCEPTED.has(key)
              ? {
                  '202': { description: 'Accepted (queued)' },
                  '200': { description: 'OK (nothing queued: already done)' },
                }
              : NO_CONTENT(key)
                ? { '204': { description: 'No Content' } }
                : { '200': { description: 'OK' } };
      // A route's own response schema (GET and POST /sla-rules, a webhook's deliveries) is kept under its status; the generator's placeholder
      // text is replaced by the status's description. A generated 200 of an operation that answers otherwise goes.
      const rest = Object.fromEntries(
        Object.entries(declared).filter(([status]) => status !== '200' && !(status in success)),
      );
      for (const [status, base] of Object.entries(success)) {
        const own = declared[status] as { description?: string } | undefined;
        if (own)
          success[status] = {
            ...own,
            description:
              own.description && own.description !== 'Default Response' ? own.description : base.description,
          };
      }
      const security = securityOf(key);
      const errors = Object.fromEntries(
        errorStatuses(key, op, security).map((s) => [
          s,
          {
            description: ERROR_DESCRIPTIONS[s] ?? 'Error',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      );
      const multipart = MULTIPART[key];
      if (multipart && !op.requestBody)
        op.requestBody = {
          required: true,
          content: { 'multipart/form-data': { schema: { type: 'object', ...multipart } } },
        };
      op.responses = { ...success, ...rest, ...errors };
      if (key === `post ${P}/reports`) addIdempotencyKey(op);
      op.security = security;
    }
  }
  return doc;
}
