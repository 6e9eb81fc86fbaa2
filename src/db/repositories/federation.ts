/**
 * Federation links (table federation_links): the inbound record written in the same transaction as a
 * forwarded report, so a replay of the same origin finds it (docs/integrations.md).
 */
import type { AppDb, Tx } from '../client.ts';
import { federationLinks } from '../schema.ts';

/** Where a federated request comes from. */
export interface FederationOrigin {
  originInstance: string;
  originRequestId: string;
  senderRequestId: string;
  hops: string[];
}

/** Records the inbound link inside the filing transaction (called by submitOpen311Request); the
 * sender is the last hop, and `peer_request_id` its own id of the request.. */
export async function recordInboundLink(
  db: AppDb | Tx,
  reportId: string,
  origin: FederationOrigin,
  now: Date,
): Promise<void> {
  await db.insert(federationLinks).values({
    direction: 'in',
    reportId,
    peerInstance: origin.hops.at(-1)!,
    originInstance: origin.originInstance,
    originRequestId: origin.originRequestId,
    peerRequestId: origin.senderRequestId,
    hops: origin.hops,
    createdAt: now,
  });
}
