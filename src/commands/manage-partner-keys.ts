/**
 * Partner API keys issued from the back office (/kantor/integrasi): Open311 keys for city apps and other
 * partners, optionally bound to an agency (scope `agency`: the partner may post updates for that agency's
 * reports) and, for the national admin only, `federation` keys for peer instances. The clear key is
 * returned once (createApiKey stores only its SHA-256). Agency API tokens (scope `integration`) have
 * their own command (mint-integration-token.ts).
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { apiKeys } from '../db/schema.ts';
import { canStaff } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../app/errors.ts';
import { createApiKey, type ApiKeyScope } from './create-api-key.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { requireIntegrationAdmin } from './manage-agency-webhooks.ts';

/** What the issue form asks. */
export interface IssuePartnerKeyInput {
  name: string;
  /** Bound agency; empty = a national partner key (national admin only). */
  agencyId?: string | undefined;
  /** The partner may act for the bound agency (post service request updates). */
  actForAgency?: boolean | undefined;
  /** A key for a federated instance (national admin only). */
  federation?: boolean | undefined;
}

/** True when the caller holds `manage_api_keys` nationally (only the national admin). */
export function managesAllKeys(caller: Caller): boolean {
  return !!caller.actor.userId && canStaff(caller.actor, 'manage_api_keys');
}

/** Issues a partner key; returns its id and the clear key (shown once). */
export async function issuePartnerKey(
  svc: Services,
  caller: Caller,
  input: IssuePartnerKeyInput,
): Promise<{ id: string; key: string }> {
  const name = input.name.trim();
  const issues: Record<string, FieldIssue> = {};
  if (!name) issues.name = { key: 'required' };
  else if (name.length > 100) issues.name = { key: 'too_long', params: { max: 100 } };
  if (input.actForAgency && !input.agencyId) issues.agencyId = { key: 'required' };
  if (Object.keys(issues).length) throw invalid(issues);
  if (input.agencyId) await requireIntegrationAdmin(svc, caller, input.agencyId);
  else if (!managesAllKeys(caller)) throw invalid({ agencyId: { key: 'required' } });
  if (input.federation && !managesAllKeys(caller)) throw new AppError('FORBIDDEN');
  const scopes: ApiKeyScope[] = ['open311'];
  if (input.agencyId && input.actForAgency) scopes.push('agency');
  if (input.federation) scopes.push('federation');
  return createApiKey(svc, { name, agencyId: input.agencyId || undefined, scopes }, caller);
}

/** Revokes a partner key the caller manages (404 for keys it may not see, and for agency tokens). */
export async function revokePartnerKey(svc: Services, caller: Caller, id: string): Promise<void> {
  const [row] = /^[0-9a-f-]{36}$/i.test(id)
    ? await svc.db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1)
    : [];
  if (!row || (row.scopes as string[]).includes('integration')) throw new AppError('NOT_FOUND');
  if (row.agencyId) {
    try {
      await requireIntegrationAdmin(svc, caller, row.agencyId);
    } catch (e) {
      if (e instanceof AppError && e.code === 'FORBIDDEN') throw new AppError('NOT_FOUND');
      throw e;
    }
  } else if (!managesAllKeys(caller)) throw new AppError('NOT_FOUND');
  if (row.revokedAt) return;
  await svc.db.transaction(async (tx) => {
    await tx.update(apiKeys).set({ revokedAt: svc.now() }).where(eq(apiKeys.id, id));
    await recordAdminAction(tx, caller, {
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: id,
      agencyId: row.agencyId,
      details: { name: row.name, agencyId: row.agencyId },
      at: svc.now(),
    });
  });
}

/**
 * Records that a key was just used (Open311 requests, agency API tokens). At most one write per key and
 * minute, so busy partners do not turn every read into a write.
 */
export async function recordApiKeyUse(svc: Services, id: string): Promise<void> {
  const now = svc.now();
  await svc.db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - 60_000))),
      ),
    );
}
