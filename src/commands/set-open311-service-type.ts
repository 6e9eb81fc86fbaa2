/**
 * Sets the Open311 `type` of one service (category): realtime (the tracking number at once), batch (a
 * token, the number once verified) or blackbox (nothing returned). Stored as a setting, default realtime.
 */
import { settings } from '../db/schema.ts';
import type { Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { SERVICE_TYPES_KEY, serviceTypeOverrides, type ServiceType } from '../queries/open311.ts';
import { requireCategory } from './lookups.ts';

/** Records the type of `code`. */
export async function setOpen311ServiceType(svc: Services, code: string, type: ServiceType): Promise<void> {
  if (!['realtime', 'batch', 'blackbox'].includes(type))
    throw invalid({ type: { key: 'one_of', params: { options: 'realtime, batch, blackbox' } } });
  await requireCategory(svc.db, Number(code), 'service_code');
  const value = { ...(await serviceTypeOverrides(svc.db)), [code]: type };
  await svc.db
    .insert(settings)
    .values({ key: SERVICE_TYPES_KEY, value })
    .onConflictDoUpdate({ target: settings.key, set: { value } });
}
