/**
 * The OpenAPI document at /api/docs/json (audit M3): real success statuses (201, 204), the common error envelope as
 * a component referenced by the 4xx responses, and `security` on operations that need credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';

let t: TestApp;
let doc: any;

beforeAll(async () => {
  t = await startTestApp();
  const r = await t.api('/api/docs/json');
  expect(r.status).toBe(200);
  doc = r.body;
});
afterAll(() => t?.close());

const op = (method: string, path: string) => {
  const found = doc.paths[`/api/v1${path}`]?.[method];
  expect(found, `${method} ${path}`).toBeTruthy();
  return found;
};

describe('OpenAPI document', () => {
  it('POST /reports declares the Idempotency-Key header, its 409 and the Idempotent-Replayed answer header', () => {
    const post = op('post', '/reports');
    const header = post.parameters.find((p: any) => p.in === 'header' && p.name === 'Idempotency-Key');
    expect(header).toMatchObject({
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
    expect(new RegExp(header.schema.pattern).test('abc-123 ~')).toBe(true);
    expect(new RegExp(header.schema.pattern).test('kunci\u00e9')).toBe(false);
    expect(Object.keys(post.responses)).toContain('409');
    expect(post.responses['201'].headers['Idempotent-Replayed']).toBeTruthy();
  });

  it('declares the real success status of each operation', () => {
    for (const [method, path] of [
      ['post', '/reports'],
      ['post', '/reports/{trackingId}/attachments'],
      ['post', '/integrations/webhooks'],
      ['post', '/integrations/tokens'],
    ]) {
      const responses = op(method!, path!).responses;
      expect(Object.keys(responses), `${method} ${path}`).toContain('201');
      expect(Object.keys(responses), `${method} ${path}`).not.toContain('200');
    }
    for (const path of ['/integrations/tokens/{id}', '/integrations/webhooks/{id}']) {
      const responses = op('delete', path).responses;
      expect(Object.keys(responses)).toContain('204');
      expect(Object.keys(responses)).not.toContain('200');
    }
    expect(Object.keys(op('get', '/reports').responses)).toContain('200');
    // Forwarding answers 202 when it queues the report and 200 when it was already forwarded.
    expect(Object.keys(op('post', '/reports/{trackingId}/forward').responses)).toEqual(
      expect.arrayContaining(['200', '202']),
    );
    // The yearly holiday load answers 201 when it added entries, 200 for a dry run or an already loaded year.
    expect(Object.keys(op('post', '/holidays/load').responses)).toEqual(
      expect.arrayContaining(['200', '201', '401', '403', '422']),
    );
    expect(Object.keys(op('post', '/holidays/confirm').responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '422']),
    );
    expect(JSON.stringify(doc)).not.toContain('Default Response');
  });

  /** The fields of one SLA rule version, in the GET list and the POST answer alike. */
  const SLA_RULE_FIELDS = [
    'id',
    'version',
    'regionCode',
    'clock',
    'classification',
    'supervisory',
    'workingDays',
    'dayUnit',
    'basis',
    'validFrom',
  ];

  it('declares the items of GET /sla-rules, with regionCode and overriddenBy', () => {
    const ok = op('get', '/sla-rules').responses['200'];
    expect(ok.description).toBe('OK');
    const item = ok.content['application/json'].schema.properties.items.items;
    expect(Object.keys(item.properties).sort()).toEqual([...SLA_RULE_FIELDS, 'overriddenBy'].sort());
    expect(JSON.stringify(item.properties.regionCode)).toContain('null');
    const capped = JSON.stringify(item.properties.overriddenBy);
    for (const k of ['id', 'version', 'regionCode', 'workingDays', 'dayUnit', 'basis', 'validFrom'])
      expect(capped).toContain(`"${k}"`);
  });

  it('declares the answer of POST /sla-rules: the rule and the regional rules it caps', () => {
    const responses = op('post', '/sla-rules').responses;
    expect(Object.keys(responses)).not.toContain('200');
    const created = responses['201'];
    expect(created.description).toBe('Created');
    const schema = created.content['application/json'].schema;
    const rule = SLA_RULE_FIELDS;
    expect(Object.keys(schema.properties).sort()).toEqual([...rule, 'caps'].sort());
    expect(schema.required).toEqual(expect.arrayContaining([...rule, 'caps']));
    const cap = schema.properties.caps.items;
    expect(Object.keys(cap.properties).sort()).toEqual([...rule, 'regionName'].sort());
    // A capped rule is always regional: its region code is a string, its name may be unknown.
    expect(cap.properties.regionCode.type).toBe('string');
    expect(JSON.stringify(cap.properties.regionName)).toContain('null');
  });

  it('declares the items of a webhook delivery history, with the stable reason code next to the raw text', () => {
    const ok = op('get', '/integrations/webhooks/{id}/deliveries').responses['200'];
    expect(ok.description).toBe('OK');
    const schema = ok.content['application/json'].schema;
    expect(Object.keys(schema.properties).sort()).toEqual(['expired', 'items']);
    const item = schema.properties.items.items;
    expect(Object.keys(item.properties).sort()).toEqual(
      [
        'id',
        'kind',
        'trackingId',
        'status',
        'attempts',
        'lastError',
        'reason',
        'reasonParams',
        'released',
        'createdAt',
        'sentAt',
      ].sort(),
    );
    const reason = JSON.stringify(item.properties.reason);
    for (const code of ['held_paused', 'held_agency_inactive', 'expired', 'http_status', 'unreachable'])
      expect(reason).toContain(`"${code}"`);
    expect(reason).toContain('null');
    expect(JSON.stringify(item.properties.released)).toContain('"agency_reactivated"');
    expect(item.properties.status.enum).toEqual(['pending', 'sent', 'dead', 'expired']);
    expect(Object.keys(op('get', '/integrations/webhooks/{id}/deliveries').responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404']),
    );
  });

  it('declares the webhook subscriptions list, with the count of expired held deliveries of each', () => {
    const ok = op('get', '/integrations/webhooks').responses['200'];
    const item = ok.content['application/json'].schema.properties.items.items;
    expect(Object.keys(item.properties)).toEqual(
      expect.arrayContaining(['id', 'url', 'events', 'pausedAt', 'expiredDeliveries']),
    );
    expect(item.properties.expiredDeliveries.type).toBe('integer');
    expect(item.properties.expiredDeliveries.description).toContain('ADUAN_WEBHOOK_HOLD_DAYS');
    expect(item.required).toContain('expiredDeliveries');
  });

  it('lists the event types of a webhook subscription, though the command checks them', () => {
    const body = op('post', '/integrations/webhooks').requestBody.content['application/json'].schema;
    expect(body.properties.events.items.enum).toEqual(['dispatched', 'reporter_replied', 'deadline_due']);
    expect(body.properties.url.type).toBe('string');
  });

  it('describes the multipart bodies of the upload operations', () => {
    const attach = op('post', '/reports/{trackingId}/attachments').requestBody;
    expect(attach?.required).toBe(true);
    expect(attach?.content?.['multipart/form-data']?.schema?.properties?.file).toBeTruthy();
    const score = op('post', '/evaluation/periods/{periodId}/scores').requestBody;
    expect(score?.required).toBe(true);
    expect(Object.keys(score?.content?.['multipart/form-data']?.schema?.properties ?? {})).toEqual(
      expect.arrayContaining(['agencyId', 'indicator', 'score', 'justification', 'evidence']),
    );
  });

  it('references the common error envelope from the 4xx responses', () => {
    const error = doc.components.schemas.Error;
    expect(error.properties.error.required).toEqual(['code', 'message', 'fields', 'translations']);
    const actions = op('post', '/reports/{trackingId}/actions/verify').responses;
    for (const status of ['401', '403', '404', '409', '422'])
      expect(actions[status].content['application/json'].schema, status).toEqual({
        $ref: '#/components/schemas/Error',
      });
    const submit = op('post', '/reports').responses;
    for (const status of ['400', '413', '415', '422', '429']) expect(submit[status], status).toBeTruthy();
    expect(op('post', '/auth/login').responses['423']).toBeTruthy();
    // Every $ref of the document resolves.
    for (const ref of JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [])
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeTruthy();
  });

  it('says which operations need credentials', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      accessKey: { type: 'apiKey', in: 'header', name: 'X-Access-Key' },
    });
    expect(op('get', '/auth/me').security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(op('post', '/reports/{trackingId}/actions/verify').security).toEqual([
      { bearer: [] },
      { session: [] },
    ]);
    expect(op('get', '/integrations/tokens').security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(op('post', '/reports/{trackingId}/actions/accept').security).toContainEqual({ accessKey: [] });
    // Optional credentials: anonymous ({}) or any of them.
    expect(op('get', '/reports/{trackingId}').security).toContainEqual({});
    expect(op('post', '/reports').security).toContainEqual({});
    // Public data: none.
    expect(op('get', '/open-data/dictionary').security).toEqual([]);
    expect(op('post', '/auth/login').security).toEqual([]);
  });
});
