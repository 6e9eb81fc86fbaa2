/**
 * mySociety's servicerequestupdates extension: GET lists public timeline events as updates with extended
 * statuses; POST lets a partner add an update (as the reporter of its own requests, or as the agency its
 * key is bound to). Replayed update_ids answer 400 "already exists" and change nothing.
 */
import type { FastifyInstance } from 'fastify';
import { AppError, invalid } from '../../app/errors.ts';
import { postOpen311Update } from '../../commands/post-open311-update.ts';
import { listOpen311Updates } from '../../queries/open311.ts';
import { presentUpdate } from '../../presenters/open311.ts';
import { EXTENDED_STATUSES } from '../../domain/open311/statuses.ts';
import { readAnswer, type Open311Context } from './context.ts';
import { formatParam, send } from './format.ts';
import { partnerOf } from './partner-key.ts';
import { attributesOf, createdWindow, dateParam, paging, param, readBody, type Fields } from './input.ts';

/** Registers GET and POST servicerequestupdates on one endpoint. */
export async function updateRoutes(ep: FastifyInstance, ctx: Open311Context): Promise<void> {
  const { svc } = ctx;

  ep.get(
    '/servicerequestupdates.:format',
    { schema: { hide: true }, preHandler: ctx.readLimit },
    async (req, reply) => {
      const q = (req.query ?? {}) as Fields;
      // ETag and Cache-Control as every read: private with a key (the partner's own texts are unmasked, D13).
      return readAnswer(ctx, req, reply, formatParam(req), 'service_request_updates', async () => {
        const partner = await partnerOf(svc, param(q, 'api_key'));
        const { limit, offset } = paging(q);
        const window = createdWindow(q, svc.now(), false);
        // The sandbox checks the arguments as production does (D10); it has no updates to list.
        if (ctx.endpoint === 'test') return [];
        const rows = await listOpen311Updates(svc, {
          from: window.from!,
          to: window.to!,
          apiKeyId: partner?.id,
          limit,
          offset,
        });
        return rows.map(presentUpdate);
      });
    },
  );

  ep.post(
    '/servicerequestupdates.:format',
    { schema: { hide: true }, preHandler: ctx.writeLimit, config: { skipCsrf: true } },
    async (req, reply) => {
      const format = formatParam(req);
      const { fields } = await readBody(req);
      const key = param(fields, 'api_key');
      if (!key) throw new AppError('API_KEY_INVALID');
      await partnerOf(svc, key);
      const missing = ['service_request_id', 'update_id', 'status', 'description', 'updated_datetime'].filter(
        (f) => !param(fields, f),
      );
      if (missing.length) throw invalid(Object.fromEntries(missing.map((f) => [f, { key: 'required' }])));
      dateParam(fields, 'updated_datetime'); // a W3C datetime (§1); 400 otherwise
      // One rating: several different values are refused like any repeated parameter (input.ts `param`).
      const ratings = new Set([attributesOf(fields).rating ?? []].flat().map((x) => x.trim()));
      ratings.delete('');
      if (ratings.size > 1) throw invalid({ 'attribute[rating]': { key: 'conflicting_values' } });
      const rating = ratings.values().next().value;
      const r = rating === undefined ? undefined : Number(rating);
      if (r !== undefined && (!Number.isInteger(r) || r < 1 || r > 5))
        throw invalid({ 'attribute[rating]': { key: 'rating_range' } });
      if (ctx.endpoint === 'test') {
        // The sandbox validates the fields as production does (D10: postOpen311Update's checks) and answers
        // the same 201, but stores nothing and changes no report.
        const status = param(fields, 'status')!.trim().toUpperCase();
        const issues: Record<string, { key: string; params?: Record<string, string> }> = {};
        if (!(EXTENDED_STATUSES as readonly string[]).includes(status))
          issues.status = { key: 'one_of', params: { options: EXTENDED_STATUSES.join(', ') } };
        if (param(fields, 'description')!.length > 4000)
          issues.description = { key: 'too_long', params: { max: '4000' } };
        if (Object.keys(issues).length) throw invalid(issues);
        return send(reply, format, 'service_request_updates', [{ update_id: param(fields, 'update_id')! }], {
          status: 201,
        });
      }
      const result = await postOpen311Update(svc, key, {
        serviceRequestId: param(fields, 'service_request_id')!,
        updateId: param(fields, 'update_id')!,
        status: param(fields, 'status')!,
        description: param(fields, 'description')!,
        rating: r,
      });
      return send(reply, format, 'service_request_updates', [{ update_id: result.updateId }], {
        status: 201,
      });
    },
  );
}
