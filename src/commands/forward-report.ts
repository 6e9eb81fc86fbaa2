/**
 * Forwards a report to another aduan instance (federation, docs/integrations.md): a kabupaten sends a
 * report that belongs to the province to the province's instance, or back. The delivery is an Open311
 * POST requests with `attribute[origin_instance]`, `attribute[origin_request_id]` and `attribute[hops]`,
 * written to the outbox (channel 'federation') in the same transaction as an internal note, and sent by
 * the worker with retries. The hop list prevents loops; the (peer, origin) link makes forwarding
 * idempotent here and the receiver's (origin, origin request id) link makes replays return one report.
 * Never forwarded: the reporter's identity and contact (the receiving instance files it without them).
 */
import { and, eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { federationLinks, federationPeers } from '../db/schema.ts';
import { enqueueOutbox } from '../db/repositories/outbox.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { can } from '../policies/can.ts';
import { authorize } from '../queries/access.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { instanceIdOf } from './configure-federation.ts';
import { noteReport } from './note-report.ts';

/** Input of a forward: the peer instance id and an optional note for the receiver. */
export interface ForwardReportInput {
  peer: string;
  note?: string | undefined;
}

/** The result: where it goes and whether this call queued it (false = already forwarded). */
export interface ForwardReportResult {
  peer: string;
  originInstance: string;
  originRequestId: string;
  hops: string[];
  queued: boolean;
}

/** Most instances one report may pass through. */
export const MAX_HOPS = 10;

/** Queues the forward of `trackingId` to `input.peer`. Signed-in staff who may return or verify the report only. */
export async function forwardReport(
  svc: Services,
  caller: Caller,
  trackingId: string,
  input: ForwardReportInput,
): Promise<ForwardReportResult> {
  const report = await loadReport(svc.db, trackingId);
  const subject = authorize(report, caller, 'view');
  // Staff only: an agency API token (role `integration`) may return a report but never send it to another
  // instance (docs/integrations.md §2), which would carry its content, rahasia or not, outside the agency.
  if (
    !caller.actor.userId ||
    (!can(caller.actor, 'return', subject) && !can(caller.actor, 'verify', subject))
  )
    throw new AppError('FORBIDDEN');
  const row = report!.row;
  const self = await instanceIdOf(svc.db);
  if (!self) throw invalid({ peer: { key: 'federation_not_configured' } });
  const [peer] = await svc.db
    .select()
    .from(federationPeers)
    .where(eq(federationPeers.instanceId, input.peer))
    .limit(1);
  if (!peer) throw invalid({ peer: { key: 'unknown_peer' } });
  if (row.categoryId === null) throw invalid({ categoryId: { key: 'required' } });

  // A report that reached us through federation keeps its origin and extends its hop list.
  const [inbound] = await svc.db
    .select()
    .from(federationLinks)
    .where(and(eq(federationLinks.reportId, row.id), eq(federationLinks.direction, 'in')))
    .limit(1);
  const originInstance = inbound?.originInstance ?? self;
  const originRequestId = inbound?.originRequestId ?? row.trackingId;
  const hops = [...((inbound?.hops as string[] | undefined) ?? []), self];
  if (hops.includes(peer.instanceId) || originInstance === peer.instanceId)
    throw invalid({ peer: { key: 'federation_loop' } });
  if (hops.length > MAX_HOPS) throw invalid({ peer: { key: 'federation_loop' } });

  const form: Record<string, string | string[]> = {
    service_code: String(row.categoryId),
    description: row.body.slice(0, 4000),
    'attribute[classification]': row.classification,
    'attribute[judul]': row.title.slice(0, 150),
    'attribute[anonim]': String(row.anonymous),
    'attribute[rahasia]': String(row.confidential),
    'attribute[origin_instance]': originInstance,
    'attribute[origin_request_id]': originRequestId,
    'attribute[sender_request_id]': row.trackingId,
    'attribute[hops]': hops.join(','),
  };
  if (row.occurredOn) form['attribute[waktu_kejadian]'] = row.occurredOn;
  if (row.regionCode) form.address_id = row.regionCode;
  if (row.lat !== null && row.lon !== null) {
    form.lat = String(row.lat);
    form.long = String(row.lon);
  }
  if (row.address) form.address_string = row.address.slice(0, 300);

  const queued = await svc.db.transaction(async (tx) => {
    const db = tx as unknown as AppDb;
    const linked = await db
      .insert(federationLinks)
      .values({
        direction: 'out',
        reportId: row.id,
        peerInstance: peer.instanceId,
        originInstance,
        originRequestId,
        peerRequestId: null,
        hops,
        createdAt: svc.now(),
      })
      .onConflictDoNothing()
      .returning({ id: federationLinks.id });
    if (linked.length === 0) return false;
    await enqueueOutbox(db, [
      {
        kind: 'federation.forward',
        channel: 'federation',
        recipient: new URL(peer.baseUrl).host,
        reportId: row.id,
        payload: {
          url: `${peer.baseUrl}/open311/v2/requests.json`,
          peer: peer.instanceId,
          apiKeyEnc: peer.apiKeyEnc,
          form,
        },
        idempotencyKey: `federation:out:${peer.instanceId}:${originInstance}:${originRequestId}`,
      },
    ]);
    const body = `Diteruskan ke instans aduan "${peer.instanceId}" (federasi)${input.note ? `: ${input.note}` : ''}`;
    await noteReport({ ...svc, db }, caller, trackingId, { body: body.slice(0, 4000) });
    return true;
  });
  return { peer: peer.instanceId, originInstance, originRequestId, hops, queued };
}
