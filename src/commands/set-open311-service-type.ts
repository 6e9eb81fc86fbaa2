/**
 * Sets the Open311 `type` of one service (category): realtime (the tracking number at once), batch (a
 * token, the number once verified) or blackbox (nothing returned). Stored as a setting, default realtime.
 */
import { eq, sql } from 'drizzle-orm';
import { settings } from '../db/schema.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { Caller, Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { SERVICE_TYPES_KEY, type ServiceType } from '../queries/open311.ts';
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
  await svc.db.transaction(async (tx) => {
    // Read under a row lock and merge only this service's key, so two operators setting two services at once both
    // keep their change.
    const [row] = await tx
      .select({ value: settings.value })
      .from(settings)
      .where(eq(settings.key, SERVICE_TYPES_KEY))
      .for('update');
    const before = (row?.value as Record<string, ServiceType> | undefined)?.[code] ?? 'realtime';
    const value = { [code]: type };
    await tx
      .insert(settings)
      .values({ key: SERVICE_TYPES_KEY, value })
      .onConflictDoUpdate({ target: settings.key, set: { value: sql`${settings.value} || excluded.value` } });
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
