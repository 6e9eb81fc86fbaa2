/**
 * The receiving side of federation (docs/integrations.md): an Open311 POST requests that carries
 * `attribute[origin_instance]`, `attribute[origin_request_id]` (the chain's first instance and its id),
 * `attribute[sender_request_id]` (the sender's own id, where updates go back) and `attribute[hops]` (the
 * instances it passed through, comma-separated). Only keys with the `federation` scope may send them.
 * A hop list that already contains this instance is a loop (400). A replay of the same origin returns the
 * report filed the first time: looked up before filing, and made race-safe by the unique link index.
 */
import { and, eq } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { federationLinks, open311Requests, reports } from '../db/schema.ts';
import type { FederationOrigin } from '../db/repositories/federation.ts';
import type { Services } from '../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../app/errors.ts';
import { instanceIdOf, INSTANCE_ID } from './configure-federation.ts';
import { MAX_HOPS } from './forward-report.ts';
import {
  submitOpen311Request,
  type Open311Submission,
  type Open311SubmitResult,
} from './submit-open311-request.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/**
 * Reads and checks the federation attributes of a POST. Returns null for an ordinary request; throws
 * 403 for a key without the `federation` scope, 400 for malformed values or a loop.
 */
export async function federationOf(
  svc: Services,
  partner: { scopes: string[] },
  attrs: Record<string, string | string[]>,
): Promise<FederationOrigin | null> {
  const originInstance = first(attrs.origin_instance);
  const originRequestId = first(attrs.origin_request_id);
  const rawHops = attrs.hops;
  if (!originInstance && !originRequestId && rawHops === undefined) return null;
  if (!partner.scopes.includes('federation')) throw new AppError('FORBIDDEN');
  const hops = (Array.isArray(rawHops) ? rawHops : [rawHops ?? ''])
    .flatMap((h) => h.split(','))
    .map((h) => h.trim())
    .filter(Boolean);
  const senderRequestId = first(attrs.sender_request_id) ?? originRequestId;
  const issues: Record<string, FieldIssue> = {};
  if (!originInstance || !INSTANCE_ID.test(originInstance))
    issues['attribute[origin_instance]'] = { key: originInstance ? 'invalid_format' : 'required' };
  if (!originRequestId || !REQUEST_ID.test(originRequestId))
    issues['attribute[origin_request_id]'] = { key: originRequestId ? 'invalid_format' : 'required' };
  if (senderRequestId && !REQUEST_ID.test(senderRequestId))
    issues['attribute[sender_request_id]'] = { key: 'invalid_format' };
  if (hops.length === 0 || hops.length > MAX_HOPS || hops.some((h) => !INSTANCE_ID.test(h)))
    issues['attribute[hops]'] = { key: 'invalid_format' };
  if (Object.keys(issues).length) throw invalid(issues);
  const self = await instanceIdOf(svc.db);
  if (!self) throw invalid({ 'attribute[hops]': { key: 'federation_not_configured' } });
  if (hops.includes(self) || originInstance === self)
    throw invalid({ 'attribute[hops]': { key: 'federation_loop' } });
  return {
    originInstance: originInstance!,
    originRequestId: originRequestId!,
    senderRequestId: senderRequestId!,
    hops,
  };
}

/** The answer given the first time for this origin, or null when it was never received. */
export async function findFederatedRequest(
  db: AppDb | Tx,
  origin: Pick<FederationOrigin, 'originInstance' | 'originRequestId'>,
): Promise<Open311SubmitResult | null> {
  const [row] = await db
    .select({
      trackingId: reports.trackingId,
      token: open311Requests.token,
      type: open311Requests.serviceType,
    })
    .from(federationLinks)
    .innerJoin(reports, eq(reports.id, federationLinks.reportId))
    .innerJoin(open311Requests, eq(open311Requests.reportId, federationLinks.reportId))
    .where(
      and(
        eq(federationLinks.direction, 'in'),
        eq(federationLinks.originInstance, origin.originInstance),
        eq(federationLinks.originRequestId, origin.originRequestId),
      ),
    )
    .limit(1);
  if (!row) return null;
  const serviceNotice = 'Sudah diterima sebelumnya. / Already received.';
  if (row.type === 'batch') return { token: row.token, serviceNotice, trackingId: row.trackingId };
  return { serviceRequestId: row.trackingId, serviceNotice, trackingId: row.trackingId };
}

/**
 * Files a federated request once: a replay (same origin and origin request id) returns the first answer
 * with `replay: true`; two concurrent first deliveries race on the unique link and the loser answers
 * like a replay.
 */
export async function submitFederatedRequest(
  svc: Services,
  input: Open311Submission & { federation: FederationOrigin },
): Promise<Open311SubmitResult & { replay?: boolean }> {
  const before = await findFederatedRequest(svc.db, input.federation);
  if (before) return { ...before, replay: true };
  try {
    return await submitOpen311Request(svc, input);
  } catch (e) {
    const again = await findFederatedRequest(svc.db, input.federation);
    if (again) return { ...again, replay: true };
    throw e;
  }
}
