/**
 * Partner API keys (Open311 clients, agency systems, federated instances): the key is printed once and
 * only its SHA-256 is stored (D12). A key bound to an agency acts for that agency's subtree.
 */
import { eq } from 'drizzle-orm';
import { apiKeys } from '../db/schema.ts';
import { randomToken, sha256 } from '../integrations/crypto.ts';
import type { Caller, Services } from '../app/context.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { AppError } from '../app/errors.ts';
import { requireAgency } from './lookups.ts';

/** Scopes a key may carry. */
export const API_KEY_SCOPES = ['open311', 'agency', 'federation'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Creates a key; returns the clear key (shown once) and its id. The admin log records who issued it (`caller` null:
 * the operator's CLI): its name, agency and scopes, never the key.
 */
export async function createApiKey(
  svc: Services,
  input: { name: string; agencyId?: string | undefined; scopes?: ApiKeyScope[] | undefined; key?: string },
  caller: Caller | null = null,
): Promise<{ id: string; key: string }> {
  if (!input.name.trim()) throw new AppError('VALIDATION_FAILED', { name: { key: 'required' } });
  if (input.agencyId) await requireAgency(svc.db, input.agencyId, 'agencyId');
  const key = input.key ?? `ak_${randomToken(24)}`;
  const scopes = input.scopes ?? (input.agencyId ? ['open311', 'agency'] : ['open311']);
  const id = await svc.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        name: input.name.trim(),
        keyHash: sha256(key),
        agencyId: input.agencyId ?? null,
        scopes,
        createdAt: svc.now(),
      })
      .returning({ id: apiKeys.id });
    await recordAdminAction(tx, caller, {
      action: 'api_key.issue',
      targetType: 'api_key',
      targetId: row!.id,
      agencyId: input.agencyId ?? null,
      details: { name: input.name.trim(), agencyId: input.agencyId ?? null, scopes },
      at: svc.now(),
    });
    return row!.id;
  });
  return { id, key };
}

/** Revokes a key by id (requests with it answer 403 from then on). */
export async function revokeApiKey(svc: Services, id: string): Promise<void> {
  await svc.db.update(apiKeys).set({ revokedAt: svc.now() }).where(eq(apiKeys.id, id));
}
