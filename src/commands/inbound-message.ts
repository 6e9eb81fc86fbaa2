/**
 * The record of an inbound channel message (`inbound_messages`, unique `(channel, external_id)`), shared by the SMS
 * and email channels. A message is recorded in the same transaction as what it did (the report, the reply in the
 * outbox), never before it: a process that dies half way leaves no record, so the gateway's or MTA's retry is handled
 * afresh instead of being taken for a duplicate and lost.
 */
import { and, eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { inboundMessages } from '../db/schema.ts';

/** Thrown inside a handling transaction when another delivery of the same message was recorded first. */
export class DuplicateInboundMessage extends Error {
  constructor() {
    super('inbound message already recorded');
  }
}

/** Whether a message with this id was already handled (the cheap check before any work is done). */
export async function inboundRecorded(db: AppDb, channel: string, externalId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: inboundMessages.id })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.channel, channel), eq(inboundMessages.externalId, externalId)))
    .limit(1);
  return !!row;
}

/**
 * Records a handled message with its outcome, inside the transaction that stores its effects; returns the record's
 * id (the replies' idempotency keys use it). A concurrent delivery of the same message that committed first makes
 * this throw `DuplicateInboundMessage`, which rolls the transaction (and its report) back.
 */
export async function recordInbound(
  tx: AppDb,
  row: {
    channel: string;
    externalId: string;
    senderHash: string;
    createdAt: Date;
    outcome: string;
    reportId?: string | null;
  },
): Promise<number> {
  const [inserted] = await tx
    .insert(inboundMessages)
    .values({ ...row, reportId: row.reportId ?? null })
    .onConflictDoNothing()
    .returning({ id: inboundMessages.id });
  if (!inserted) throw new DuplicateInboundMessage();
  return inserted.id;
}
