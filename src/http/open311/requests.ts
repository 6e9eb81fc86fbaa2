/**
 * Open311 requests: POST requests (§6), GET requests (§8 plus page/page_size, updated_after/updated_before
 * and extensions=true), GET requests/{id} and GET tokens/{token} (§7, D4). Reads use the public read model;
 * a valid `api_key` in the query string also shows that partner's own requests (D13).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../../app/errors.ts';
import type { FieldIssue } from '../../app/errors.ts';
import { validateAttributes } from '../../domain/open311/service-definition.ts';
import { statusesFor } from '../../domain/open311/statuses.ts';
import { STATUSES, type ReportStatus } from '../../domain/report/report.ts';
import { submitOpen311Request } from '../../commands/submit-open311-request.ts';
import { federationOf, submitFederatedRequest } from '../../commands/receive-federated-request.ts';
import {
  findOpen311Service,
  getOpen311Request,
  listOpen311Requests,
  listSandboxRequests,
  mediaOf,
  publicNotes,
  resolveOpen311Token,
  resolveSandboxToken,
  SERVICE_CODE,
  type ApiKeyInfo,
  type Open311Row,
} from '../../queries/open311.ts';
import { coordinate, presentRequest, w3c, zoneOf } from '../../presenters/open311.ts';
import { decimalNumber, parseGeoFilter } from '../../domain/open311/geo.ts';
import { ReporterSchema } from '../api/v1/schemas.ts';
import { readAnswer, type Open311Context } from './context.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { formatParam, send } from './format.ts';
import { mediaPath } from './media.ts';
import { partnerOf } from './partner-key.ts';
import {
  attributesOf,
  createdWindow,
  dateParam,
  listParam,
  paging,
  param,
  readBody,
  type Fields,
} from './input.ts';

const MAX_DESCRIPTION = 4000;
const EMAIL_MAX = ReporterSchema.shape.email.unwrap().maxLength ?? 200;

/** The partner key of a read (query string only; reads without a key are public). */
function readerKey(ctx: Open311Context, req: FastifyRequest): Promise<ApiKeyInfo | undefined> {
  return partnerOf(ctx.svc, param(req.query as Fields, 'api_key'));
}

async function present(ctx: Open311Context, rows: Open311Row[], extensions: boolean) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const notes = extensions ? await publicNotes(ctx.svc, ids) : new Map();
  // Long lists leave media to one query (queries/open311.ts INLINE_MEDIA_MAX).
  const media = rows.some((r) => r.media_ids === null)
    ? await mediaOf(ctx.svc.db, ids, new Set(rows.filter((r) => r.own).map((r) => r.id)))
    : undefined;
  const base = ctx.svc.publicUrl;
  return rows.map((r) =>
    presentRequest(r, extensions, {
      notes: notes.get(r.id) ?? [],
      // Served by GET media/{id}: public files to anyone, the partner's own with its api_key (media.ts).
      mediaUrls: (r.media_ids ?? media?.get(r.id) ?? []).map((a) => `${base}/open311/v2${mediaPath(a)}`),
    }),
  );
}

function sandboxItem(row: Awaited<ReturnType<typeof listSandboxRequests>>[number]) {
  const r = row.request as Record<string, unknown>;
  const region = typeof r.region_code === 'string' ? r.region_code : null;
  const at = w3c(row.createdAt, zoneOf({ zone: null, region_code: region }));
  return {
    service_request_id: row.id,
    status: 'open',
    status_notes: 'Test endpoint: never dispatched',
    service_name: String(r.service_name ?? ''),
    service_code: row.serviceCode,
    description: String(r.description ?? ''),
    agency_responsible: '',
    service_notice: '',
    requested_datetime: at,
    updated_datetime: at,
    expected_datetime: '',
    address: String(r.address ?? ''),
    address_id: String(r.region_code ?? ''),
    zipcode: '',
    lat: typeof r.lat === 'number' ? coordinate(r.lat) : '',
    long: typeof r.lon === 'number' ? coordinate(r.lon) : '',
    media_url: '',
  };
}

function number(fields: Fields, name: string, issues: Record<string, FieldIssue>): number | undefined {
  const v = param(fields, name);
  if (v === undefined) return undefined;
  const n = decimalNumber(v);
  if (n === undefined || !Number.isFinite(n)) issues[name] = { key: 'invalid_type' };
  return n ?? NaN;
}

/** Registers the request routes on one endpoint. */
export async function requestRoutes(ep: FastifyInstance, ctx: Open311Context): Promise<void> {
  const { svc } = ctx;

  ep.post(
    '/requests.:format',
    { schema: { hide: true }, preHandler: ctx.writeLimit, config: { skipCsrf: true } },
    async (req, reply) => {
      const format = formatParam(req);
      const { fields, files } = await readBody(req);
      const key = param(fields, 'api_key');
      if (!key) throw new AppError('API_KEY_INVALID');
      const partner = (await partnerOf(svc, key))!;
      if (!partner.scopes.includes('open311')) throw new AppError('API_KEY_INVALID');
      const code = param(fields, 'service_code');
      if (!code) throw invalid({ service_code: { key: 'required' } });
      const service = await findOpen311Service(svc.db, code);
      if (!service) throw new AppError('SERVICE_NOT_FOUND');

      const issues: Record<string, FieldIssue> = {};
      const lat = number(fields, 'lat', issues);
      const lon = number(fields, 'long', issues);
      if ((lat === undefined) !== (lon === undefined))
        issues[lat === undefined ? 'lat' : 'long'] = { key: 'lat_long_pair' };
      const addressString = param(fields, 'address_string');
      const addressId = param(fields, 'address_id');
      if (lat === undefined && lon === undefined && !addressString && !addressId)
        issues.location = { key: 'location_required' };
      const description = param(fields, 'description');
      // Lengths count characters (code points) as the JSON API does: an emoji is one, not two.
      if (description && [...description].length > MAX_DESCRIPTION)
        issues.description = { key: 'too_long', params: { max: MAX_DESCRIPTION } };
      const mediaUrl = param(fields, 'media_url');
      if (mediaUrl && (!/^https?:\/\/\S+$/i.test(mediaUrl) || mediaUrl.length > 2000))
        issues.media_url = { key: 'invalid_format' };
      // The reporter's contact follows the JSON API's rules (ReporterSchema), so a report filed here holds only
      // what one filed there may hold, and the SMS and email notifications it triggers can be delivered.
      const email = param(fields, 'email');
      if (email && email.length > EMAIL_MAX) issues.email = { key: 'too_long', params: { max: EMAIL_MAX } };
      else if (email && !ReporterSchema.shape.email.safeParse(email).success)
        issues.email = { key: 'invalid_email' };
      const phone = param(fields, 'phone');
      if (phone && !ReporterSchema.shape.phone.safeParse(phone).success)
        issues.phone = { key: 'invalid_phone' };
      for (const f of ['first_name', 'last_name', 'address_string']) {
        const v = param(fields, f);
        if (v && [...v].length > 300) issues[f] = { key: 'too_long', params: { max: 300 } };
      }
      const attrs = validateAttributes(attributesOf(fields));
      for (const i of attrs.issues)
        issues[`attribute[${i.code}]`] = { key: i.key, ...(i.params ? { params: i.params } : {}) };
      let idempotencyKey: string | undefined;
      try {
        idempotencyKey = idempotencyKeyOf(req);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        Object.assign(issues, e.fields);
      }
      if (Object.keys(issues).length) throw invalid(issues);
      // Federation between aduan instances (docs/integrations.md): origin, hop list, idempotent replays.
      const federation = await federationOf(svc, partner, attributesOf(fields));

      const name = [param(fields, 'first_name'), param(fields, 'last_name')].filter(Boolean).join(' ');
      const result = await (federation ? submitFederatedRequest : submitOpen311Request)(svc, {
        apiKeyId: partner.id,
        endpoint: ctx.endpoint,
        service,
        attributes: attrs.values!,
        lat,
        lon,
        addressString,
        addressId,
        description,
        mediaUrl,
        reporter: {
          ...(name ? { name } : {}),
          ...(email ? { email } : {}),
          ...(phone ? { phone } : {}),
        },
        media: files,
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(federation ? { hops: federation.hops, federation } : {}),
      } as Parameters<typeof submitFederatedRequest>[1]);
      const item: Record<string, string> = {};
      if (result.serviceRequestId !== undefined) item.service_request_id = result.serviceRequestId;
      if (result.token !== undefined) item.token = result.token;
      item.service_notice = result.serviceNotice;
      const account = param(fields, 'account_id');
      if (account) item.account_id = account;
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return send(reply, format, 'service_requests', [item], { status: 201 });
    },
  );

  ep.get('/requests.:format', { schema: { hide: true }, preHandler: ctx.readLimit }, async (req, reply) =>
    readAnswer(ctx, req, reply, formatParam(req), 'service_requests', () => listRequests(req)),
  );

  /** GET requests: the items of one list query (validation errors throw). */
  async function listRequests(req: FastifyRequest): Promise<unknown[]> {
    const q = (req.query ?? {}) as Fields;
    const partner = await readerKey(ctx, req);
    const extensions = param(q, 'extensions') === 'true';
    const ids = listParam(q, 'service_request_id');
    if (ids) {
      // §8: the ids "override all other arguments": no filter, date or paging argument is read (or refused).
      // Who reads (api_key, D13) and how (extensions) are not filters.
      const many = { ids: ids.slice(0, MAX_IDS), limit: Math.min(ids.length, MAX_IDS), offset: 0 };
      if (ctx.endpoint === 'test')
        return (await listSandboxRequests(svc.db, { ...many, apiKeyId: partner?.id })).map(sandboxItem);
      return present(ctx, await listOpen311Requests(svc.db, { ...many, apiKeyId: partner?.id }), extensions);
    }
    const { limit, offset } = paging(q);
    let statuses: ReportStatus[] | undefined;
    const wanted = listParam(q, 'status');
    if (wanted) {
      const bad = wanted.filter((s) => s !== 'open' && s !== 'closed');
      if (bad.length) throw invalid({ status: { key: 'one_of', params: { options: 'open, closed' } } });
      statuses = [...new Set(wanted)].flatMap((s) => statusesFor(s as 'open' | 'closed', STATUSES));
    }
    const codes = listParam(q, 'service_code')?.map((c) => (SERVICE_CODE.test(c) ? Number(c) : -1));
    const updatedAfter = dateParam(q, 'updated_after');
    const updatedBefore = dateParam(q, 'updated_before');
    if (updatedAfter && updatedBefore && updatedAfter > updatedBefore)
      throw invalid({ updated_before: { key: 'updated_order' } });
    const window = createdWindow(q, svc.now(), updatedAfter !== undefined || updatedBefore !== undefined);
    // Geographic extension (docs/open311.md).
    const geo = parseGeoFilter({
      bbox: param(q, 'bbox'),
      lat: param(q, 'lat'),
      long: param(q, 'long'),
      radius: param(q, 'radius'),
    });
    if (Object.keys(geo.issues).length) throw invalid(geo.issues);
    // The sandbox checks every argument as production does (D10), then lists its own requests (all open).
    if (ctx.endpoint === 'test')
      return (await listSandboxRequests(svc.db, { limit, offset, apiKeyId: partner?.id })).map(sandboxItem);
    const rows = await listOpen311Requests(svc.db, {
      serviceCodes: codes,
      statuses,
      createdFrom: window.from,
      createdTo: window.to,
      updatedAfter: updatedAfter?.toISOString(),
      updatedBefore: updatedBefore?.toISOString(),
      geo: geo.filter,
      apiKeyId: partner?.id,
      limit,
      offset,
    });
    return present(ctx, rows, extensions);
  }

  ep.get(
    '/requests/:id.:format',
    { schema: { hide: true }, preHandler: ctx.readLimit },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const q = (req.query ?? {}) as Fields;
      return readAnswer(ctx, req, reply, formatParam(req), 'service_requests', async () => {
        const partner = await readerKey(ctx, req);
        if (ctx.endpoint === 'test') {
          const [row] = await listSandboxRequests(svc.db, {
            ids: [id],
            limit: 1,
            offset: 0,
            apiKeyId: partner?.id,
          });
          if (!row) throw new AppError('REPORT_NOT_FOUND');
          return [sandboxItem(row)];
        }
        const row = await getOpen311Request(svc.db, id, partner?.id);
        if (!row) throw new AppError('REPORT_NOT_FOUND');
        return present(ctx, [row], param(q, 'extensions') === 'true');
      });
    },
  );

  ep.get(
    '/tokens/:token.:format',
    { schema: { hide: true }, preHandler: ctx.readLimit },
    async (req, reply) => {
      const { token } = req.params as { token: string };
      // With the submitting partner's key the id shows in every status (D4, D13); keyless reads and other
      // keys get it once the request is public. ETag and Cache-Control as every read (private with a key).
      return readAnswer(ctx, req, reply, formatParam(req), 'service_requests', async () => {
        const partner = await readerKey(ctx, req);
        const info =
          ctx.endpoint === 'test'
            ? await resolveSandboxToken(svc.db, token, partner?.id)
            : await resolveOpen311Token(svc.db, token, partner?.id);
        if (!info) throw new AppError('TOKEN_NOT_FOUND');
        return [{ service_request_id: info.serviceRequestId, token: info.token }];
      });
    },
  );
}

/** Most ids one `service_request_id=a,b,…` query may name. */
const MAX_IDS = 1000;
