/**
 * Agency webhook subscriptions (docs/integrations.md): an agency admin (or a coordinator / national admin
 * in scope, `manage_api_keys`) subscribes a URL to event types; the signing secret is generated here,
 * stored sealed and returned ONCE. Removing deactivates the row so its delivery history stays readable.
 */
import { eq } from 'drizzle-orm';
import { agencyWebhooks } from '../db/schema.ts';
import { findAgency, pathIds } from '../db/repositories/agencies.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { WEBHOOK_EVENTS, WEBHOOK_HELD, type WebhookEvent } from '../domain/integration/webhook-events.ts';
import { RELEASE_NOTE } from '../domain/integration/delivery-reasons.ts';
import { releaseHeldWebhookRows } from '../db/repositories/outbox.ts';
import { heldExpiry } from './release-held-webhooks.ts';
import { canManageAgencyBranch } from '../policies/agency-branch.ts';
import { branchKinds } from './manage-agencies.ts';
import { randomToken } from '../integrations/crypto.ts';
import { checkOutboundUrl } from '../integrations/outbound-guard.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../app/errors.ts';

/** Input of a new subscription. */
export interface CreateWebhookInput {
  agencyId: string;
  url: string;
  events: string[];
}

/** Most active subscriptions one agency may have. */
export const MAX_SUBSCRIPTIONS = 20;

/** Throws FORBIDDEN unless the caller manages integrations of `agencyId` (404 for an unknown agency). */
export async function requireIntegrationAdmin(svc: Services, caller: Caller, agencyId: string) {
  const agency = await findAgency(svc.db, agencyId);
  if (!agency) throw invalid({ agencyId: { key: 'unknown_agency' } });
  // Like the agency's other administration: a ministry's or lembaga's office is not its region's coordinator's, an
  // Ombudsman office the national admin's alone (policies/agency-branch.ts).
  if (
    !caller.actor.userId ||
    !canManageAgencyBranch(
      caller.actor,
      agency,
      pathIds(agency),
      await branchKinds(svc.db, agency),
      'manage_api_keys',
    )
  )
    throw new AppError('FORBIDDEN');
  return agency;
}

/** Validates a receiver URL: absolute http(s), no credentials, at most 2000 characters. */
export function checkWebhookUrl(url: string): FieldIssue | null {
  if (!url.trim()) return { key: 'required' };
  if (url.length > 2000) return { key: 'too_long', params: { max: 2000 } };
  try {
    const u = new URL(url);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password)
      return { key: 'invalid_format' };
  } catch {
    return { key: 'invalid_format' };
  }
  return null;
}

/**
 * The SSRF check of a receiver URL (src/integrations/outbound-guard.ts): http(s) only, and its host must not
 * resolve to a private, local or reserved address unless it is in ADUAN_OUTBOUND_ALLOW_HOSTS. The worker
 * checks again at every delivery (DNS may change).
 */
export async function checkReceiverAddress(svc: Services, url: string): Promise<FieldIssue | null> {
  const problem = await checkOutboundUrl(url.trim(), { allowHosts: svc.outboundAllowHosts ?? [] });
  return problem ? { key: problem } : null;
}

/** Creates a subscription; returns its id and the clear secret (shown once). */
export async function createAgencyWebhook(
  svc: Services,
  caller: Caller,
  input: CreateWebhookInput,
): Promise<{ id: string; secret: string }> {
  const issues: Record<string, FieldIssue> = {};
  const urlIssue = checkWebhookUrl(input.url) ?? (await checkReceiverAddress(svc, input.url));
  if (urlIssue) issues.url = urlIssue;
  const events = [...new Set(input.events)];
  if (events.length === 0) issues.events = { key: 'required' };
  else if (events.some((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e)))
    issues.events = { key: 'one_of', params: { options: WEBHOOK_EVENTS.join(', ') } };
  if (!input.agencyId) issues.agencyId = { key: 'required' };
  if (Object.keys(issues).length) throw invalid(issues);
  const agency = await requireIntegrationAdmin(svc, caller, input.agencyId);
  const active = await svc.db.select().from(agencyWebhooks).where(eq(agencyWebhooks.agencyId, agency.id));
  if (active.filter((w) => w.active).length >= MAX_SUBSCRIPTIONS)
    throw invalid({ url: { key: 'too_many', params: { max: MAX_SUBSCRIPTIONS } } });
  const secret = `whsec_${randomToken(24)}`;
  const id = await svc.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(agencyWebhooks)
      .values({
        agencyId: agency.id,
        url: input.url.trim(),
        events: events as WebhookEvent[],
        secretEnc: svc.sealer.seal(secret),
        active: true,
        createdAt: svc.now(),
      })
      .returning({ id: agencyWebhooks.id });
    // The receiver's address is left out (a URL may carry credentials): the host only.
    await recordAdminAction(tx, caller, {
      action: 'webhook.add',
      targetType: 'webhook',
      targetId: row!.id,
      agencyId: agency.id,
      details: { agencyId: agency.id, agencyName: agency.name, host: new URL(input.url.trim()).host, events },
      at: svc.now(),
    });
    return row!.id;
  });
  return { id, secret };
}

/** Deactivates a subscription (no more deliveries: the worker drops its pending ones, src/jobs/integration-delivery.ts). */
export async function removeAgencyWebhook(svc: Services, caller: Caller, id: string): Promise<void> {
  const [row] = /^[0-9a-f-]{36}$/i.test(id)
    ? await svc.db.select().from(agencyWebhooks).where(eq(agencyWebhooks.id, id)).limit(1)
    : [];
  if (!row) throw new AppError('NOT_FOUND');
  await requireIntegrationAdmin(svc, caller, row.agencyId);
  if (!row.active) return; // already removed: nothing changes, nothing to record
  await svc.db.transaction(async (tx) => {
    await tx.update(agencyWebhooks).set({ active: false }).where(eq(agencyWebhooks.id, id));
    await recordAdminAction(tx, caller, {
      action: 'webhook.remove',
      targetType: 'webhook',
      targetId: id,
      agencyId: row.agencyId,
      details: { agencyId: row.agencyId },
      at: svc.now(),
    });
  });
}

/**
 * Pauses or resumes a subscription; the secret and history stay. While paused nothing new is queued for it and the
 * rows already queued are held by the worker; resuming releases them, except those held past the limit, which expire
 * unsent. Returns how many held rows were released and how many expired (none when pausing).
 */
export async function setAgencyWebhookPaused(
  svc: Services,
  caller: Caller,
  id: string,
  paused: boolean,
): Promise<{ released: number; expired: number }> {
  let outcome = { released: 0, expired: 0 };
  const [row] = /^[0-9a-f-]{36}$/i.test(id)
    ? await svc.db.select().from(agencyWebhooks).where(eq(agencyWebhooks.id, id)).limit(1)
    : [];
  if (!row || !row.active) throw new AppError('NOT_FOUND');
  await requireIntegrationAdmin(svc, caller, row.agencyId);
  if (!!row.pausedAt === paused) return outcome; // already so: nothing changes, nothing to record
  await svc.db.transaction(async (tx) => {
    await tx
      .update(agencyWebhooks)
      .set({ pausedAt: paused ? svc.now() : null })
      .where(eq(agencyWebhooks.id, id));
    // Deliveries queued before the pause (retries included) were held, not sent: they go now, with the attempts they
    // had left (a held row never counted one).
    // Rows held past the limit (ADUAN_WEBHOOK_HOLD_DAYS) expire unsent instead.
    if (!paused)
      outcome = await releaseHeldWebhookRows(
        tx,
        [id],
        WEBHOOK_HELD.paused,
        RELEASE_NOTE.resumed,
        svc.now(),
        heldExpiry(svc.now(), svc.webhookHoldDays),
      );
    await recordAdminAction(tx, caller, {
      action: paused ? 'webhook.pause' : 'webhook.resume',
      targetType: 'webhook',
      targetId: id,
      agencyId: row.agencyId,
      details: { agencyId: row.agencyId, host: hostOfReceiver(row.url) },
      at: svc.now(),
    });
  });
  return outcome;
}

/** The receiver's host (never its full address, which may carry credentials or a path token). */
function hostOfReceiver(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
