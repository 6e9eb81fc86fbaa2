/**
 * JSON API for agency integrations (docs/integrations.md): agency API tokens, webhook subscriptions with
 * their delivery history, and forwarding a report to another aduan instance. Managing needs a signed-in
 * person with `manage_api_keys` over the agency (an agency token itself cannot mint tokens).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, Services } from '../../../app/context.ts';
import { AppError } from '../../../app/errors.ts';
import { mintIntegrationToken, revokeIntegrationToken } from '../../../commands/mint-integration-token.ts';
import {
  createAgencyWebhook,
  removeAgencyWebhook,
  requireIntegrationAdmin,
} from '../../../commands/manage-agency-webhooks.ts';
import { forwardReport } from '../../../commands/forward-report.ts';
import {
  deliveryHistory,
  expiredDeliveryCount,
  findSubscription,
  listIntegrationTokens,
  listSubscriptions,
} from '../../../queries/integrations.ts';
import { WEBHOOK_EVENTS } from '../../../domain/integration/webhook-events.ts';
import { DELIVERY_REASON_CODES, RELEASE_CODES } from '../../../domain/integration/delivery-reasons.ts';
import { TrackingParams } from './schemas.ts';

const AgencyField = z.string().trim().min(1).max(80).optional();

/** One webhook delivery as GET …/deliveries lists it (queries/integrations.ts `DeliveryView`). */
const DeliveryItem = z.object({
  id: z.number().int(),
  kind: z.string().meta({ description: 'webhook.<event type>' }),
  trackingId: z.string().nullable(),
  status: z.string().meta({
    enum: ['pending', 'sent', 'dead', 'expired'],
    description: 'pending; sent; dead (failed for good); expired (held past the hold limit, never sent)',
  }),
  attempts: z.number().int(),
  lastError: z.string().nullable().meta({
    description:
      'The stored reason as text (English, stable; a receiver’s answer or a transport’s error kept as it came)',
  }),
  reason: z.enum(DELIVERY_REASON_CODES).nullable().meta({
    description: 'Stable code of lastError; null when there is none or the text is not a known reason',
  }),
  reasonParams: z.record(z.string(), z.string()).meta({
    description: 'The values the reason names: host, status (HTTP), channel, problem, days',
  }),
  released: z
    .enum(RELEASE_CODES)
    .nullable()
    .meta({ description: 'Why a held delivery was released (made due again), or null' }),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

const DeliveryHistory = z.object({
  items: z.array(DeliveryItem),
  expired: z.number().int().meta({
    description: 'How many deliveries of this subscription expired unsent (all time, not only these items)',
  }),
});
const IdParams = z.object({ id: z.string().uuid() });

/** One webhook subscription as GET /integrations/webhooks lists it (queries/integrations.ts `SubscriptionView`). */
const WebhookItem = z.object({
  id: z.string(),
  agencyId: z.string(),
  agencyName: z.string(),
  url: z.string(),
  events: z.array(z.string().meta({ enum: [...WEBHOOK_EVENTS] })),
  active: z.boolean(),
  pausedAt: z
    .string()
    .nullable()
    .meta({ description: 'When it was paused (nothing is queued until resumed)' }),
  createdAt: z.string(),
  expiredDeliveries: z.number().int().meta({
    description:
      'How many of its held deliveries expired unsent, after waiting more than ADUAN_WEBHOOK_HOLD_DAYS (all time)',
  }),
});

/** The agencies whose integrations the signed-in caller manages (its agency_admin grants). */
export function managedAgencies(caller: Caller): string[] {
  return [
    ...new Set(
      caller.actor.grants.filter((g) => g.role === 'agency_admin' && g.agencyId).map((g) => g.agencyId!),
    ),
  ];
}

function signedIn(req: FastifyRequest): Caller {
  if (!req.session) throw new AppError('UNAUTHENTICATED');
  return req.caller;
}

function agencyOf(caller: Caller, given: string | undefined): string {
  const id = given ?? managedAgencies(caller)[0];
  if (!id) throw new AppError('FORBIDDEN');
  return id;
}

export const integrationRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  app.post(
    '/integrations/tokens',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Mint an agency API token (shown once)',
        body: z.object({ name: z.string().trim().min(1).max(100), agencyId: AgencyField }).strict(),
      },
    },
    async (req, reply) => {
      const caller = signedIn(req);
      const out = await mintIntegrationToken(svc, caller, {
        name: req.body.name,
        agencyId: agencyOf(caller, req.body.agencyId),
      });
      return reply.status(201).send(out);
    },
  );

  app.get(
    '/integrations/tokens',
    { schema: { tags: ['integrations'], summary: 'Agency API tokens of my agencies' } },
    async (req) => ({ items: await listIntegrationTokens(svc.db, managedAgencies(signedIn(req))) }),
  );

  app.delete(
    '/integrations/tokens/:id',
    { schema: { tags: ['integrations'], summary: 'Revoke an agency API token', params: IdParams } },
    async (req, reply) => {
      await revokeIntegrationToken(svc, signedIn(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/integrations/webhooks',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Subscribe a URL to event types (the secret is shown once)',
        body: z
          .object({
            // Only the shape is checked here: the values (URL, event types) are checked by createAgencyWebhook,
            // which answers every field's problem at once (a bad URL and bad events: both messages in one 422).
            url: z.string().max(2000).optional().meta({ description: 'Required: the http(s) receiver URL' }),
            events: z
              .array(
                z
                  .string()
                  .max(40)
                  .meta({ enum: [...WEBHOOK_EVENTS] }),
              )
              .max(10)
              .optional()
              .meta({ description: `Required: one or more of ${WEBHOOK_EVENTS.join(', ')}` }),
            agencyId: AgencyField,
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const caller = signedIn(req);
      const out = await createAgencyWebhook(svc, caller, {
        url: req.body.url ?? '',
        events: req.body.events ?? [],
        agencyId: agencyOf(caller, req.body.agencyId),
      });
      return reply.status(201).send(out);
    },
  );

  app.get(
    '/integrations/webhooks',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Webhook subscriptions of my agencies',
        response: { 200: z.object({ items: z.array(WebhookItem) }) },
      },
    },
    async (req) => ({ items: await listSubscriptions(svc.db, managedAgencies(signedIn(req))) }),
  );

  app.delete(
    '/integrations/webhooks/:id',
    { schema: { tags: ['integrations'], summary: 'Remove a subscription', params: IdParams } },
    async (req, reply) => {
      await removeAgencyWebhook(svc, signedIn(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/integrations/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Delivery history of a subscription (its last 100 deliveries, newest first)',
        params: IdParams,
        response: { 200: DeliveryHistory },
      },
    },
    async (req) => {
      const caller = signedIn(req);
      const sub = await findSubscription(svc.db, req.params.id);
      if (!sub) throw new AppError('NOT_FOUND');
      await requireIntegrationAdmin(svc, caller, sub.agencyId);
      return {
        items: await deliveryHistory(svc.db, sub.id),
        expired: await expiredDeliveryCount(svc.db, sub.id),
      };
    },
  );

  app.post(
    '/reports/:trackingId/forward',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Forward a report to another aduan instance (federation)',
        params: TrackingParams,
        body: z
          .object({ peer: z.string().trim().min(2).max(63), note: z.string().trim().max(1000).optional() })
          .strict(),
      },
    },
    async (req, reply) => {
      const out = await forwardReport(svc, req.caller, req.params.trackingId, req.body);
      return reply.status(out.queued ? 202 : 200).send(out);
    },
  );
};
