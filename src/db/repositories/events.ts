/**
 * The append-only, hash-chained report timeline. Each event's hash covers the previous hash and the
 * event's canonical JSON; the report row keeps the count and head hash so a removed tail is detected too.
 */
import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { AppDb, Tx } from '../client.ts';
import { notifyOutbox } from '../client.ts';
import { outbox, reportEvents, reports } from '../schema.ts';

export type EventRow = typeof reportEvents.$inferSelect;
export type Visibility = 'public' | 'reporter' | 'internal';

/** What a command records on the timeline. */
export interface NewEvent {
  type: string;
  visibility: Visibility;
  actorUserId?: string | null;
  actorRole?: string | null;
  actorAgencyId?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  body?: string | null;
  data?: Record<string, unknown>;
  createdAt: Date;
}

/** The canonical, stable serialisation that is hashed (keys in fixed order). */
export function canonicalEvent(reportId: string, seq: number, e: NewEvent | EventRow): string {
  return JSON.stringify([
    reportId,
    seq,
    e.type,
    e.visibility,
    e.actorUserId ?? null,
    e.actorRole ?? null,
    e.actorAgencyId ?? null,
    e.fromStatus ?? null,
    e.toStatus ?? null,
    e.body ?? null,
    sortKeys(e.data ?? {}),
    e.createdAt.toISOString(),
  ]);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** hash = sha256(prevHash || '' + canonical). */
export function chainHash(prevHash: string | null, canonical: string): string {
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(canonical)
    .digest('hex');
}

/** The rows one appended event writes: the hash-chained event and its outbox message. */
export interface EventRecord {
  seq: number;
  hash: string;
  event: typeof reportEvents.$inferInsert & { data: Record<string, unknown>; prevHash: string | null };
  outbox: typeof outbox.$inferInsert & { payload: Record<string, unknown>; idempotencyKey: string };
}

/**
 * The event row (with its chain hash) and outbox message for the next event of `report`, without writing
 * them: appendEvent() writes them one by one, submission writes them with the report in one statement.
 */
export function eventRecord(
  report: { id: string; eventCount: number; lastEventHash: string | null },
  e: NewEvent,
  outboxExtra?: Record<string, unknown>,
): EventRecord {
  const seq = report.eventCount + 1;
  const data = e.data ?? {};
  const hash = chainHash(report.lastEventHash, canonicalEvent(report.id, seq, { ...e, data }));
  return {
    seq,
    hash,
    event: {
      reportId: report.id,
      seq,
      type: e.type,
      visibility: e.visibility,
      actorUserId: e.actorUserId ?? null,
      actorRole: e.actorRole ?? null,
      actorAgencyId: e.actorAgencyId ?? null,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      body: e.body ?? null,
      data,
      createdAt: e.createdAt,
      prevHash: report.lastEventHash,
      hash,
    },
    outbox: {
      kind: `report.${e.type}`,
      channel: 'event',
      reportId: report.id,
      payload: { ...outboxExtra, reportId: report.id, seq, type: e.type, visibility: e.visibility },
      idempotencyKey: `event:${report.id}:${seq}`,
    },
  };
}

/**
 * Appends an event inside the caller's transaction (the report row must be locked FOR UPDATE),
 * advances the report's chain head, and writes the matching outbox message. `outboxExtra` adds fields to
 * that message only (never to the hashed event), e.g. the sealed access key for the reporter's first message.
 */
export async function appendEvent(
  tx: Tx,
  report: { id: string; eventCount: number; lastEventHash: string | null },
  e: NewEvent,
  outboxExtra?: Record<string, unknown>,
): Promise<EventRow> {
  const { seq, hash, event, outbox: message } = eventRecord(report, e, outboxExtra);
  const [row] = await tx.insert(reportEvents).values(event).returning();
  await tx.update(reports).set({ eventCount: seq, lastEventHash: hash }).where(eq(reports.id, report.id));
  await tx.insert(outbox).values(message).onConflictDoNothing();
  // Wakes workers after the commit (LISTEN outbox; docs/worker.md).
  await notifyOutbox(tx);
  report.eventCount = seq;
  report.lastEventHash = hash;
  return row!;
}

/**
 * Appends several events in order, like calling {@link appendEvent} for each, in four statements instead of
 * four per event (the sweeper's batch of notes about one deadline). Same chain, rows and outbox messages.
 */
export async function appendEvents(
  tx: Tx,
  report: { id: string; eventCount: number; lastEventHash: string | null },
  events: readonly NewEvent[],
): Promise<EventRow[]> {
  if (events.length === 0) return [];
  const records = events.map((e) => {
    const r = eventRecord(report, e);
    report.eventCount = r.seq;
    report.lastEventHash = r.hash;
    return r;
  });
  const rows = await tx
    .insert(reportEvents)
    .values(records.map((r) => r.event))
    .returning();
  await tx
    .update(reports)
    .set({ eventCount: report.eventCount, lastEventHash: report.lastEventHash })
    .where(eq(reports.id, report.id));
  await tx
    .insert(outbox)
    .values(records.map((r) => r.outbox))
    .onConflictDoNothing();
  await notifyOutbox(tx);
  return rows.sort((x, y) => x.seq - y.seq);
}

/** Events of a report in order. */
export async function listEvents(db: AppDb | Tx, reportId: string): Promise<EventRow[]> {
  return db
    .select()
    .from(reportEvents)
    .where(eq(reportEvents.reportId, reportId))
    .orderBy(asc(reportEvents.seq));
}

/** The outcome of walking every report's chain. */
export interface ChainProblem {
  trackingId: string;
  seq: number;
  problem: 'altered' | 'missing' | 'removed_tail' | 'broken_link';
}

/** Walks the hash chain of every report and returns the first problem per report (empty when intact). */
export async function verifyChains(
  db: AppDb,
): Promise<{ reports: number; events: number; problems: ChainProblem[] }> {
  const heads = await db
    .select({
      id: reports.id,
      trackingId: reports.trackingId,
      eventCount: reports.eventCount,
      lastEventHash: reports.lastEventHash,
    })
    .from(reports)
    .orderBy(asc(reports.createdAt));
  const problems: ChainProblem[] = [];
  let events = 0;
  for (const head of heads) {
    const rows = await listEvents(db, head.id);
    events += rows.length;
    let prev: string | null = null;
    let expectedSeq = 1;
    let problem: ChainProblem | null = null;
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        problem = { trackingId: head.trackingId, seq: expectedSeq, problem: 'missing' };
        break;
      }
      if (row.prevHash !== prev) {
        problem = { trackingId: head.trackingId, seq: row.seq, problem: 'broken_link' };
        break;
      }
      if (chainHash(prev, canonicalEvent(head.id, row.seq, row)) !== row.hash) {
        problem = { trackingId: head.trackingId, seq: row.seq, problem: 'altered' };
        break;
      }
      prev = row.hash;
      expectedSeq++;
    }
    if (!problem && (rows.length !== head.eventCount || prev !== head.lastEventHash)) {
      problem = { trackingId: head.trackingId, seq: rows.length + 1, problem: 'removed_tail' };
    }
    if (problem) problems.push(problem);
  }
  return { reports: heads.length, events, problems };
}
