/**
 * Reads of the integrations page (/kantor/integrasi): partner API keys, agency API tokens, webhook
 * subscriptions (with paused state) and federation peers, limited to the agencies the caller manages
 * (`agenciesInScope(…, 'manage_api_keys')`); national partner keys and peers only for the national admin.
 * Never a key, token or secret: only their metadata.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { agencies, agencyWebhooks, apiKeys, federationPeers } from '../db/schema.ts';
import { expiredDeliveryCounts } from './integrations.ts';

/** One API key or agency token as listed. */
export interface KeyRow {
  id: string;
  name: string;
  agencyId: string | null;
  agencyName: string | null;
  /**
   * Whether its agency is active; null for a key bound to no agency. A key of a deactivated agency is refused
   * (403 API_KEY_AGENCY_INACTIVE on Open311, AGENCY_INACTIVE on the JSON API) until the agency is reactivated.
   */
  agencyActive: boolean | null;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const integrationScope = sql`${apiKeys.scopes} @> '["integration"]'::jsonb`;

async function keys(db: AppDb, agencyIds: string[], national: boolean, tokens: boolean): Promise<KeyRow[]> {
  const kind = tokens ? integrationScope : sql`not (${integrationScope})`;
  const scope = national ? undefined : agencyIds.length ? inArray(apiKeys.agencyId, agencyIds) : sql`false`;
  const rows = await db
    .select({ k: apiKeys, agencyName: agencies.name, agencyActive: agencies.active })
    .from(apiKeys)
    .leftJoin(agencies, eq(agencies.id, apiKeys.agencyId))
    .where(and(kind, scope))
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.createdAt))
    .limit(500);
  return rows.map(({ k, agencyName, agencyActive }) => ({
    id: k.id,
    name: k.name,
    agencyId: k.agencyId,
    agencyName,
    agencyActive: k.agencyId ? agencyActive : null,
    scopes: k.scopes as string[],
    createdAt: k.createdAt,
    revokedAt: k.revokedAt,
    lastUsedAt: k.lastUsedAt,
  }));
}

/** Partner keys (Open311 / agency / federation) of the agencies; all of them for the national admin. */
export function listPartnerKeys(db: AppDb, agencyIds: string[], national: boolean): Promise<KeyRow[]> {
  return keys(db, agencyIds, national, false);
}

/** Agency API tokens (scope `integration`) of the agencies (every agency for the national admin). */
export function listAgencyTokens(db: AppDb, agencyIds: string[], national: boolean): Promise<KeyRow[]> {
  return keys(db, agencyIds, national, true);
}

/** One webhook subscription as listed (never its secret). */
export interface WebhookRow {
  id: string;
  agencyId: string;
  agencyName: string;
  url: string;
  events: string[];
  pausedAt: Date | null;
  createdAt: Date;
  /** How many of its deliveries expired unsent (held past ADUAN_WEBHOOK_HOLD_DAYS), all time. */
  expiredDeliveries: number;
}

/** Subscriptions (not removed) of the agencies. */
export async function listWebhooks(db: AppDb, agencyIds: string[]): Promise<WebhookRow[]> {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .select({ s: agencyWebhooks, agencyName: agencies.name })
    .from(agencyWebhooks)
    .innerJoin(agencies, eq(agencies.id, agencyWebhooks.agencyId))
    .where(and(inArray(agencyWebhooks.agencyId, agencyIds), eq(agencyWebhooks.active, true)))
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
    pausedAt: s.pausedAt,
    createdAt: s.createdAt,
    expiredDeliveries: expired.get(s.id) ?? 0,
  }));
}

/** One federation peer (never the key it issued us). */
export interface PeerRow {
  instanceId: string;
  baseUrl: string;
  createdAt: Date;
}

/** The configured federation peers. */
export async function listFederationPeers(db: AppDb): Promise<PeerRow[]> {
  return db
    .select({
      instanceId: federationPeers.instanceId,
      baseUrl: federationPeers.baseUrl,
      createdAt: federationPeers.createdAt,
    })
    .from(federationPeers)
    .orderBy(federationPeers.instanceId);
}
