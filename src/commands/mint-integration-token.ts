/**
 * Agency API tokens (docs/integrations.md): an agency admin mints a token for its own system. It is an
 * `api_keys` row with scope `integration` bound to the agency (only the SHA-256 is stored; the clear token
 * `ait_…` is returned once). As `Authorization: Bearer` it acts with the `integration` role: list, read,
 * respond to and return reports handled in the agency's subtree (src/policies/can.ts).
 */
import { and, eq } from 'drizzle-orm';
import { apiKeys } from '../db/schema.ts';
import { randomToken, sha256 } from '../integrations/crypto.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { requireIntegrationAdmin } from './manage-agency-webhooks.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';

/** Mints a token for `agencyId`; returns its id and the clear token (shown once). */
export async function mintIntegrationToken(
  svc: Services,
  caller: Caller,
  input: { agencyId: string; name: string },
): Promise<{ id: string; token: string }> {
  const name = input.name.trim();
  if (!name) throw invalid({ name: { key: 'required' } });
  if (name.length > 100) throw invalid({ name: { key: 'too_long', params: { max: 100 } } });
  const agency = await requireIntegrationAdmin(svc, caller, input.agencyId);
  const token = `ait_${randomToken(24)}`;
  const id = await svc.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        name,
        keyHash: sha256(token),
        agencyId: agency.id,
        scopes: ['integration'],
        createdAt: svc.now(),
      })
      .returning({ id: apiKeys.id });
    await recordAdminAction(tx, caller, {
      action: 'token.mint',
      targetType: 'api_key',
      targetId: row!.id,
      agencyId: agency.id,
      details: { name, agencyId: agency.id, agencyName: agency.name },
      at: svc.now(),
    });
    return row!.id;
  });
  return { id, token };
}

/** Revokes one of the agency's tokens (it answers 401 from then on). */
export async function revokeIntegrationToken(svc: Services, caller: Caller, id: string): Promise<void> {
  const [row] = /^[0-9a-f-]{36}$/i.test(id)
    ? await svc.db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1)
    : [];
  if (!row || !row.agencyId || !(row.scopes as string[]).includes('integration'))
    throw new AppError('NOT_FOUND');
  await requireIntegrationAdmin(svc, caller, row.agencyId);
  // Already revoked: nothing changes, nothing to record (the first revocation's time stays).
  if (row.revokedAt) return;
  const agencyId = row.agencyId;
  await svc.db.transaction(async (tx) => {
    await tx
      .update(apiKeys)
      .set({ revokedAt: svc.now() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.agencyId, agencyId)));
    await recordAdminAction(tx, caller, {
      action: 'token.revoke',
      targetType: 'api_key',
      targetId: id,
      agencyId,
      details: { name: row.name, agencyId },
      at: svc.now(),
    });
  });
}
