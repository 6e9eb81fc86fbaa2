/**
 * Sets the Open311 `type` of one service (category): realtime (the tracking number at once), batch (a
 * token, the number once verified) or blackbox (nothing returned). Stored as a setting, default realtime.
 */
import { settings } from '../db/schema.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { Caller, Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { SERVICE_TYPES_KEY, serviceTypeOverrides, type ServiceType } from '../queries/open311.ts';
import { requireCategory } from './lookups.ts';

/**
 * Records the type of `code`. A change is recorded in the administration log (`open311.service_type`, actor
 * `caller`, default the operator's CLI).
 */
export async function setOpen311ServiceType(
  svc: Services,
  code: string,
  type: ServiceType,
  caller: Caller | null = null,
): Promise<void> {
  if (!['realtime', 'batch', 'blackbox'].includes(type))
    throw invalid({ type: { key: 'one_of', params: { options: 'realtime, batch, blackbox' } } });
  await requireCategory(svc.db, Number(code), 'service_code');
  const overrides = await serviceTypeOverrides(svc.db);
  const before = overrides[code] ?? 'realtime';
  const value = { ...overrides, [code]: type };
  await svc.db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key: SERVICE_TYPES_KEY, value })
      .onConflictDoUpdate({ target: settings.key, set: { value } });
    if (before === type) return; // the type it already had: nothing to record
    await recordAdminAction(tx, caller, {
      action: 'open311.service_type',
      targetType: 'category',
      targetId: code,
      details: { categoryId: Number(code), from: before, to: type },
      at: svc.now(),
    });
  });
}
