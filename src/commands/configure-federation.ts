/**
 * Federation set-up (docs/integrations.md): this instance's id (settings `federation.instance_id`, the
 * name other instances see in hop lists) and its peers (base URL + the API key they issued us, sealed).
 * Also the mapping of our timeline events to the Open311 extended statuses sent back to a sender.
 */
import { eq } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { federationPeers, settings } from '../db/schema.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { checkOutboundUrl } from '../integrations/outbound-guard.ts';

const INSTANCE_KEY = 'federation.instance_id';

/** Instance ids: short, stable, URL-safe (they travel in `attribute[hops]`). */
export const INSTANCE_ID = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** This instance's federation id, or null when federation is not configured. */
export async function instanceIdOf(db: AppDb | Tx): Promise<string | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, INSTANCE_KEY)).limit(1);
  return typeof row?.value === 'string' ? row.value : null;
}

/**
 * Sets this instance's federation id. The changes below are recorded in the administration log (`federation.*`):
 * `caller` is the signed-in national admin, null (the default) the operator's CLI.
 */
export async function setInstanceId(svc: Services, id: string, caller: Caller | null = null): Promise<void> {
  if (!INSTANCE_ID.test(id)) throw invalid({ instanceId: { key: 'invalid_format' } });
  await svc.db.transaction(async (tx) => {
    const before = await instanceIdOf(tx);
    if (before === id) return; // the id it already has: nothing changes, nothing to record
    await tx
      .insert(settings)
      .values({ key: INSTANCE_KEY, value: id })
      .onConflictDoUpdate({ target: settings.key, set: { value: id } });
    await recordAdminAction(tx, caller, {
      action: 'federation.instance',
      targetType: 'setting',
      targetId: INSTANCE_KEY,
      details: { from: before, to: id },
      at: svc.now(),
    });
  });
}

/** Adds (or replaces) a peer: its base URL and the API key it issued to us (scope open311 + federation). */
export async function addFederationPeer(
  svc: Services,
  input: { instanceId: string; baseUrl: string; apiKey: string },
  caller: Caller | null = null,
): Promise<void> {
  const fields: Record<string, { key: string }> = {};
  if (!INSTANCE_ID.test(input.instanceId)) fields.instanceId = { key: 'invalid_format' };
  if (!/^https?:\/\/[^\s/]+/.test(input.baseUrl)) fields.baseUrl = { key: 'invalid_format' };
  else {
    // SSRF guard (src/integrations/outbound-guard.ts); deliveries are checked again by the worker.
    const problem = await checkOutboundUrl(input.baseUrl.trim(), {
      allowHosts: svc.outboundAllowHosts ?? [],
    });
    if (problem) fields.baseUrl = { key: problem };
  }
  if (!input.apiKey.trim()) fields.apiKey = { key: 'required' };
  if (Object.keys(fields).length) throw invalid(fields);
  const row = {
    instanceId: input.instanceId,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    apiKeyEnc: svc.sealer.seal(input.apiKey.trim()),
    createdAt: svc.now(),
  };
  await svc.db.transaction(async (tx) => {
    const [old] = await tx
      .select({ id: federationPeers.instanceId })
      .from(federationPeers)
      .where(eq(federationPeers.instanceId, row.instanceId))
      .limit(1);
    await tx
      .insert(federationPeers)
      .values(row)
      .onConflictDoUpdate({
        target: federationPeers.instanceId,
        set: { baseUrl: row.baseUrl, apiKeyEnc: row.apiKeyEnc },
      });
    // The peer's host only, never its address or the key it issued us.
    await recordAdminAction(tx, caller, {
      action: 'federation.peer_add',
      targetType: 'federation_peer',
      targetId: row.instanceId,
      details: { instanceId: row.instanceId, host: hostOf(row.baseUrl), replaced: !!old },
      at: svc.now(),
    });
  });
}

/** A peer's host, for the administration log (its address may carry a path token). */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return '';
  }
}

/** Removes a peer (reports already forwarded keep their links; nothing more is sent to it). */
export async function removeFederationPeer(
  svc: Services,
  instanceId: string,
  caller: Caller | null = null,
): Promise<boolean> {
  return svc.db.transaction(async (tx) => {
    const gone = await tx
      .delete(federationPeers)
      .where(eq(federationPeers.instanceId, instanceId))
      .returning({ id: federationPeers.instanceId, baseUrl: federationPeers.baseUrl });
    if (!gone.length) return false;
    await recordAdminAction(tx, caller, {
      action: 'federation.peer_remove',
      targetType: 'federation_peer',
      targetId: instanceId,
      details: { instanceId, host: hostOf(gone[0]!.baseUrl) },
      at: svc.now(),
    });
    return true;
  });
}

/** The key a peer issued to us, opened to call it (`aduan federation test`); never printed or logged. */
export async function peerApiKey(svc: Services, instanceId: string): Promise<string> {
  const [row] = await svc.db
    .select({ apiKeyEnc: federationPeers.apiKeyEnc })
    .from(federationPeers)
    .where(eq(federationPeers.instanceId, instanceId))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND');
  return svc.sealer.open<string>(row.apiKeyEnc);
}

/**
 * The extended status (mySociety servicerequestupdates) a sender receives for one of our events on a
 * report it forwarded to us: follow-ups (interim IN_PROGRESS, final FIXED) and returns
 * (NOT_COUNCILS_RESPONSIBILITY). Other events stay local. Null = nothing to send.
 */
export function federationUpdateStatus(eventType: string, data: Record<string, unknown>): string | null {
  if (eventType === 'respond') return data.final === true ? 'FIXED' : 'IN_PROGRESS';
  if (eventType === 'return') return 'NOT_COUNCILS_RESPONSIBILITY';
  return null;
}
