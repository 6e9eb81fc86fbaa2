/**
 * Called by the fan-out (src/commands/fan-out-event.ts) for every timeline event, inside its transaction:
 * 1. agency webhooks: one outbox row (channel 'webhook', payload { url, body, secretEnc, subscriptionId })
 *    per active, unpaused subscription of an active agency that asked for the event's type and may see the report (subtree; confidential
 *    reports only to the handling agency's own subscriptions). Bodies never carry reporter identity.
 * 2. federation back-channel: when the report came from another aduan instance, follow-ups and returns go
 *    back to the sender as Open311 `servicerequestupdates` (outbox channel 'federation').
 * Keys `<eventKey>:webhook:<subscriptionId>` / `<eventKey>:federation:<peer>` keep re-runs idempotent.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { agencies, agencyWebhooks, federationLinks, federationPeers } from '../db/schema.ts';
import { pathIds } from '../db/repositories/agencies.ts';
import type { NewOutboxRow } from '../db/repositories/outbox.ts';
import {
  affectedAgencyOf,
  subscriberReceives,
  webhookEventOf,
} from '../domain/integration/webhook-events.ts';
import type { Services } from '../app/context.ts';
import { federationUpdateStatus, instanceIdOf } from './configure-federation.ts';

/** The event and report columns this module reads (rows of report_events / reports). */
export interface WebhookSource {
  event: {
    type: string;
    seq: number;
    body: string | null;
    data: unknown;
    createdAt: Date;
    visibility: string;
  };
  report: {
    id: string;
    trackingId: string;
    title: string;
    status: string;
    classification: string;
    categoryId: number | null;
    regionCode: string | null;
    agencyId: string | null;
    targetAgencyId: string | null;
    dueAt: Date | null;
    anonymous: boolean;
    confidential: boolean;
  };
  /** The idempotency key of the event's outbox row. */
  eventKey: string;
}

const REPLY_TYPES = new Set(['reporter_reply', 'comment', 'supplement', 'dispute']);

/** The JSON an agency receives: report facts and the event, never who reported. */
export function webhookBody(svc: Services, src: WebhookSource, kind: string, subscriptionId: string) {
  const { event, report } = src;
  return {
    id: `${src.eventKey}:webhook:${subscriptionId}`,
    type: kind,
    subscription: subscriptionId,
    occurredAt: event.createdAt.toISOString(),
    event: {
      type: event.type,
      seq: event.seq,
      ...(REPLY_TYPES.has(event.type) && event.body ? { body: event.body } : {}),
    },
    report: {
      trackingId: report.trackingId,
      title: report.title,
      status: report.status,
      classification: report.classification,
      categoryId: report.categoryId,
      regionCode: report.regionCode,
      agencyId: report.agencyId,
      dueAt: report.dueAt ? report.dueAt.toISOString() : null,
      anonymous: report.anonymous,
      confidential: report.confidential,
      url: `${svc.publicUrl}/kantor/laporan/${report.trackingId}`,
      api: `${svc.publicUrl}/api/v1/reports/${report.trackingId}`,
    },
  };
}

async function webhookRows(svc: Services, tx: Tx, src: WebhookSource): Promise<NewOutboxRow[]> {
  const kind = webhookEventOf(src.event.type);
  if (!kind) return [];
  const data = (src.event.data ?? {}) as Record<string, unknown>;
  const affected = affectedAgencyOf(src.event.type, data, src.report);
  if (!affected) return [];
  const [agency] = await tx.select().from(agencies).where(eq(agencies.id, affected)).limit(1);
  const path = pathIds(agency);
  if (path.length === 0) return [];
  // A deactivated agency's subscriptions are treated as paused: nothing is queued for them (docs/integrations.md).
  const subs = (
    await tx
      .select({ s: agencyWebhooks })
      .from(agencyWebhooks)
      .innerJoin(agencies, eq(agencies.id, agencyWebhooks.agencyId))
      .where(and(eq(agencyWebhooks.active, true), eq(agencies.active, true)))
  ).map((r) => r.s);
  const out: NewOutboxRow[] = [];
  for (const s of subs) {
    if (s.pausedAt || !(s.events as string[]).includes(kind)) continue;
    if (!subscriberReceives(s.agencyId, path, src.report.confidential)) continue;
    out.push({
      kind: `webhook.${src.event.type}`,
      channel: 'webhook',
      recipient: s.url,
      reportId: src.report.id,
      payload: {
        url: s.url,
        subscriptionId: s.id,
        secretEnc: s.secretEnc,
        body: webhookBody(svc, src, kind, s.id),
      },
      idempotencyKey: `${src.eventKey}:webhook:${s.id}`,
      // Its age decides when it expires if held (ADUAN_WEBHOOK_HOLD_DAYS): by the clock the worker compares it with.
      createdAt: svc.now(),
    });
  }
  return out;
}

async function federationRows(svc: Services, tx: Tx, src: WebhookSource): Promise<NewOutboxRow[]> {
  const status = federationUpdateStatus(src.event.type, (src.event.data ?? {}) as Record<string, unknown>);
  if (!status) return [];
  const links = await tx
    .select()
    .from(federationLinks)
    .where(and(eq(federationLinks.reportId, src.report.id), eq(federationLinks.direction, 'in')));
  const self = links.length ? await instanceIdOf(tx) : null;
  const out: NewOutboxRow[] = [];
  for (const link of links) {
    const [peer] = await tx
      .select()
      .from(federationPeers)
      .where(eq(federationPeers.instanceId, link.peerInstance))
      .limit(1);
    if (!peer || !link.peerRequestId) continue;
    const description =
      src.event.body?.trim() ||
      (typeof (src.event.data as Record<string, unknown>)?.note === 'string'
        ? String((src.event.data as Record<string, unknown>).note)
        : status);
    out.push({
      kind: 'federation.update',
      channel: 'federation',
      recipient: new URL(peer.baseUrl).host,
      reportId: src.report.id,
      payload: {
        url: `${peer.baseUrl.replace(/\/$/, '')}/open311/v2/servicerequestupdates.json`,
        peer: peer.instanceId,
        apiKeyEnc: peer.apiKeyEnc,
        form: {
          service_request_id: link.peerRequestId,
          update_id: `${self ?? 'aduan'}:${src.report.trackingId}:${src.event.seq}`,
          status,
          description: description.slice(0, 4000),
          updated_datetime: src.event.createdAt.toISOString(),
        },
      },
      idempotencyKey: `${src.eventKey}:federation:${link.peerInstance}`,
    });
  }
  return out;
}

/**
 * The outbox rows for one fanned-out event (webhooks and federation updates); the fan-out inserts them
 * with its other rows. Why here and not in the fan-out file: integrations are a separate area.
 */
export async function enqueueAgencyWebhooks(
  svc: Services,
  tx: Tx,
  src: WebhookSource,
): Promise<NewOutboxRow[]> {
  return [...(await webhookRows(svc, tx, src)), ...(await federationRows(svc, tx, src))];
}
