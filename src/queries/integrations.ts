/**
 * Read side of agency integrations (docs/integrations.md): resolving an agency API token to an actor,
 * the subscriptions and tokens an admin manages, and a subscription's delivery history (its outbox rows).
 */
import { and, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { agencies, agencyWebhooks, apiKeys, federationPeers, outbox } from '../db/schema.ts';
import { pathIds } from '../db/repositories/agencies.ts';
import { sha256 } from '../integrations/crypto.ts';
import type { Actor } from '../policies/can.ts';
import {
  deliveryReason,
  type DeliveryReasonCode,
  type ReleaseCode,
} from '../domain/integration/delivery-reasons.ts';

/** The scope an api_keys row needs to be used as `Authorization: Bearer` on the JSON API. */
export const INTEGRATION_SCOPE = 'integration';

/**
 * The actor of an agency API token (an `integration` grant on its agency), or null if unknown/revoked; `agencyActive`
 * false when its agency is deactivated (the caller refuses it: 403 AGENCY_INACTIVE, docs/integrations.md).
 */
export async function resolveIntegrationToken(
  db: AppDb,
  token: string,
): Promise<{ actor: Actor; keyId: string; name: string; agencyActive: boolean } | null> {
  if (!token.startsWith('ait_')) return null;
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, agency: agencies })
    .from(apiKeys)
    .innerJoin(agencies, eq(agencies.id, apiKeys.agencyId))
    .where(and(eq(apiKeys.keyHash, sha256(token)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || !(row.scopes as string[]).includes(INTEGRATION_SCOPE)) return null;
  return {
    keyId: row.id,
    name: row.name,
    agencyActive: row.agency.active,
    actor: {
      userId: null,
      grants: [
        {
          role: 'integration',
          agencyId: row.agency.id,
          regionCode: row.agency.regionCode,
          agencyPath: pathIds(row.agency),
        },
      ],
    },
  };
}

/** One subscription as the back office lists it (never the secret). */
export interface SubscriptionView {
  id: string;
  agencyId: string;
  agencyName: string;
  url: string;
  events: string[];
  active: boolean;
  /** When it was paused (nothing is queued for it until resumed), or null. */
  pausedAt: string | null;
  createdAt: string;
  /** How many of its deliveries expired unsent (held past ADUAN_WEBHOOK_HOLD_DAYS), all time. */
  expiredDeliveries: number;
}

/** Agencies in the subtrees of `agencyIds` (a SQL condition over `agencies`). */
function inSubtrees(agencyIds: string[]) {
  return sql`(${sql.join(
    agencyIds.map((id) => sql`${agencies.path} like ${`%/${id}/%`}`),
    sql` or `,
  )})`;
}

/** Active subscriptions of the given agencies and their units. */
export async function listSubscriptions(db: AppDb, agencyIds: string[]): Promise<SubscriptionView[]> {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .select({ s: agencyWebhooks, agencyName: agencies.name })
    .from(agencyWebhooks)
    .innerJoin(agencies, eq(agencies.id, agencyWebhooks.agencyId))
    .where(and(inSubtrees(agencyIds), eq(agencyWebhooks.active, true)))
    .orderBy(desc(agencyWebhooks.createdAt));
  const expired = await expiredDeliveryCounts(
    db,
    rows.map(({ s }) => s.id),
  );
  return rows.map(({ s, agencyName }) => ({
    id: s.id,
    agencyId: s.agencyId,
    agencyName,
    url: s.url,
    events: s.events as string[],
    active: s.active,
    pausedAt: s.pausedAt ? s.pausedAt.toISOString() : null,
    createdAt: s.createdAt.toISOString(),
    expiredDeliveries: expired.get(s.id) ?? 0,
  }));
}

/**
 * One subscription by id (for authorization before showing or removing it, and for the worker at delivery time), with
 * whether its agency is active (a deactivated agency's webhooks are held: docs/integrations.md).
 */
export async function findSubscription(db: AppDb, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db
    .select({ ...getTableColumns(agencyWebhooks), agencyActive: agencies.active })
    .from(agencyWebhooks)
    .innerJoin(agencies, eq(agencies.id, agencyWebhooks.agencyId))
    .where(eq(agencyWebhooks.id, id))
    .limit(1);
  return row ?? null;
}

/** One agency API token as listed (never the token). */
export interface TokenView {
  id: string;
  name: string;
  agencyId: string;
  createdAt: string;
  /** When the token last authenticated (written at most once a minute), or null. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Agency API tokens of the given agencies and their units. */
export async function listIntegrationTokens(db: AppDb, agencyIds: string[]): Promise<TokenView[]> {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .select({ k: apiKeys })
    .from(apiKeys)
    .innerJoin(agencies, eq(agencies.id, apiKeys.agencyId))
    .where(
      and(inSubtrees(agencyIds), sql`${apiKeys.scopes} @> ${JSON.stringify([INTEGRATION_SCOPE])}::jsonb`),
    )
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(({ k: r }) => ({
    id: r.id,
    name: r.name,
    agencyId: r.agencyId!,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt ? r.lastUsedAt.toISOString() : null,
    revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
  }));
}

/** One delivery of a subscription (an outbox row; the body is not repeated here). */
export interface DeliveryView {
  id: number;
  kind: string;
  trackingId: string | null;
  /** `pending`, `sent`, `dead` (failed for good) or `expired` (held past the hold limit, never sent). */
  status: string;
  attempts: number;
  /**
   * The stored text (docs/integrations.md "Reasons in the delivery logs"). Safe for the subscription's admins: a
   * webhook body never names the reporter, so neither can a receiver's answer quoting it, and the worker masks
   * contacts and query values before storing any error (docs/security.md "Logs").
   */
  lastError: string | null;
  /** The stable code of `lastError` (delivery-reasons.ts), or null: no error, or a text that is not a known reason. */
  reason: DeliveryReasonCode | null;
  /** The values the reason names (host, HTTP status, channel, refusal problem, days). */
  reasonParams: Record<string, string>;
  /** Why a held row was released, or null. */
  released: ReleaseCode | null;
  createdAt: string;
  sentAt: string | null;
}

const ofSubscription = (subscriptionId: string) =>
  and(eq(outbox.channel, 'webhook'), sql`${outbox.payload}->>'subscriptionId' = ${subscriptionId}`);

/** The latest deliveries of one subscription, newest first. */
export async function deliveryHistory(
  db: AppDb,
  subscriptionId: string,
  limit = 100,
): Promise<DeliveryView[]> {
  const rows = await db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
      trackingId: sql<string | null>`(select tracking_id from reports where reports.id = ${outbox.reportId})`,
    })
    .from(outbox)
    .where(ofSubscription(subscriptionId))
    .orderBy(desc(outbox.id))
    .limit(limit);
  return rows.map((r) => {
    const why = r.lastError ? deliveryReason(r.lastError) : null;
    return {
      id: Number(r.id),
      kind: r.kind,
      trackingId: r.trackingId,
      status: r.status,
      attempts: r.attempts,
      lastError: r.lastError,
      reason: why?.code ?? null,
      reasonParams: why?.code ? why.params : {},
      released: why?.released ?? null,
      createdAt: new Date(r.createdAt).toISOString(),
      sentAt: r.sentAt ? new Date(r.sentAt).toISOString() : null,
    };
  });
}

/** How many of a subscription's deliveries expired unsent (held past the hold limit), all time. */
export async function expiredDeliveryCount(db: AppDb, subscriptionId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(and(ofSubscription(subscriptionId), eq(outbox.status, 'expired')));
  return Number(row?.n ?? 0);
}

/** How many deliveries of each subscription expired unsent (held past the hold limit), all time; absent = 0. */
export async function expiredDeliveryCounts(
  db: AppDb,
  subscriptionIds: string[],
): Promise<Map<string, number>> {
  if (subscriptionIds.length === 0) return new Map();
  const subscription = sql<string>`${outbox.payload}->>'subscriptionId'`;
  const rows = await db
    .select({ id: subscription, n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(
      and(
        eq(outbox.channel, 'webhook'),
        eq(outbox.status, 'expired'),
        inArray(subscription, subscriptionIds),
      ),
    )
    .groupBy(subscription);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** A federation peer as the worker needs it at delivery time (its current sealed key), or null once removed. */
export async function findFederationPeer(db: AppDb, instanceId: string) {
  const [row] = await db
    .select({ instanceId: federationPeers.instanceId, apiKeyEnc: federationPeers.apiKeyEnc })
    .from(federationPeers)
    .where(eq(federationPeers.instanceId, instanceId))
    .limit(1);
  return row ?? null;
}
