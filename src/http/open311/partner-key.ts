/**
 * The partner behind an Open311 call's `api_key` (every keyed endpoint: POST requests and servicerequestupdates, and
 * the keyed reads of requests, tokens, updates and media). An unknown or revoked key answers 403 API_KEY_INVALID; a
 * key bound to a deactivated agency answers 403 API_KEY_AGENCY_INACTIVE (it is not revoked: it works again once the
 * agency is reactivated, as the agency's JSON API tokens do; docs/open311.md). A key bound to no agency is unaffected.
 */
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { recordApiKeyUse } from '../../commands/manage-partner-keys.ts';
import { findApiKey, type ApiKeyInfo } from '../../queries/open311.ts';

/** The partner of a usable `key`, its use recorded; undefined without a key; throws for a key it may not use. */
export async function partnerOf(svc: Services, key: string | undefined): Promise<ApiKeyInfo | undefined> {
  if (!key) return undefined;
  const found = await findApiKey(svc.db, key);
  if (!found) throw new AppError('API_KEY_INVALID');
  if (!found.agencyActive) throw new AppError('API_KEY_AGENCY_INACTIVE');
  await recordApiKeyUse(svc, found.id);
  return found;
}
