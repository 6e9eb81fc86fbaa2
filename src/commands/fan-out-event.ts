/**
 * Fan-out: one timeline event (outbox channel 'event') becomes per-recipient email/SMS rows, inserted
 * with idempotency keys `<eventKey>:<channel>:<recipient>` in the same transaction that marks the event
 * row sent. Recipients: the reporter (sealed contact, only for events the reporter may see), the staff
 * holding the report, the verifiers of a new submission, and whoever a sweeper event names.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { query } from '../db/client.ts';
import { agencies, reportEvents, reports, roleGrants, users } from '../db/schema.ts';
import { pathIds } from '../db/repositories/agencies.ts';
import {
  enqueueOutbox,
  markOutboxSent,
  type NewOutboxRow,
  type OutboxRow,
} from '../db/repositories/outbox.ts';
import { reporterMessage, staffMessage, type NotifyFacts } from '../presenters/notification.ts';
import type { Services } from '../app/context.ts';

/** A staff audience named by a sweeper event: a role at an agency (null = anywhere, national). */
export interface NotifyTarget {
  role: string;
  agencyId: string | null;
}

interface EventPayload {
  reportId: string;
  seq: number;
}

async function agencyPath(tx: Tx, id: string | null): Promise<string[]> {
  if (!id) return [];
  const [a] = await tx.select({ path: agencies.path }).from(agencies).where(eq(agencies.id, id)).limit(1);
  return a ? pathIds(a) : [];
}

async function usersWith(
  tx: Tx,
  roles: string[],
  agencyIds: string[] | 'any',
): Promise<Array<{ id: string; email: string }>> {
  if (agencyIds !== 'any' && agencyIds.length === 0) return [];
  return tx
    .selectDistinct({ id: users.id, email: users.email })
    .from(users)
    .innerJoin(roleGrants, eq(roleGrants.userId, users.id))
    .where(
      and(
        inArray(roleGrants.role, roles),
        agencyIds === 'any' ? undefined : inArray(roleGrants.agencyId, agencyIds),
      ),
    );
}

/** Staff who should hear about an event (never derived from the reporter). */
async function staffRecipients(
  tx: Tx,
  report: typeof reports.$inferSelect,
  type: string,
  data: Record<string, unknown>,
): Promise<Array<{ id: string; email: string }>> {
  const named = data.notify as NotifyTarget[] | undefined;
  if (Array.isArray(named) && named.length) {
    const out = new Map<string, { id: string; email: string }>();
    for (const n of named) {
      const scope = n.agencyId ? await agencyPath(tx, n.agencyId) : 'any';
      for (const u of await usersWith(tx, [n.role], scope)) out.set(u.id, u);
    }
    return [...out.values()];
  }
  if (type === 'submit' || type === 'supplement') {
    if (report.targetAgencyId) {
      const found = await usersWith(tx, ['agency_admin'], await agencyPath(tx, report.targetAgencyId));
      if (found.length) return found;
    }
    return usersWith(tx, ['national_admin'], 'any');
  }
  return usersWith(tx, ['officer', 'agency_admin'], await agencyPath(tx, report.agencyId));
}

/** Fans out one claimed 'event' outbox row; returns how many rows were created (0 if already done). */
export async function fanOutEvent(svc: Services, row: OutboxRow): Promise<{ created: number }> {
  return svc.db.transaction(async (tx) => {
    const [current] = await query<{ status: string }>(
      tx,
      sql`select status from outbox where id = ${row.id} for update`,
    );
    if (current?.status !== 'pending') return { created: 0 };
    const p = row.payload as EventPayload;
    const [event] = await tx
      .select()
      .from(reportEvents)
      .where(and(eq(reportEvents.reportId, p.reportId), eq(reportEvents.seq, p.seq)))
      .limit(1);
    const [report] = await tx.select().from(reports).where(eq(reports.id, p.reportId)).limit(1);
    const out: NewOutboxRow[] = [];
    if (event && report) {
      const data = (event.data ?? {}) as Record<string, unknown>;
      const facts = (link: string): NotifyFacts => ({
        trackingId: report.trackingId,
        title: report.title,
        eventType: event.type,
        eventBody: event.body,
        eventData: data,
        link,
      });
      const base = { reportId: report.id, kind: `notify.${event.type}` };
      if (event.visibility !== 'internal' && report.reporterEnc) {
        const msg = reporterMessage(facts(`${svc.publicUrl}/lacak/${report.trackingId}`));
        if (msg) {
          const who = svc.sealer.open<{ email?: string; phone?: string }>(report.reporterEnc);
          if (who.email?.trim()) {
            out.push({
              ...base,
              channel: 'email',
              recipient: 'reporter',
              payload: {
                subject: msg.subject,
                text: msg.text,
                lang: 'id',
                recipientEnc: svc.sealer.seal(who.email.trim()),
              },
              idempotencyKey: `${row.idempotencyKey}:email:reporter`,
            });
          }
          if (who.phone?.trim()) {
            out.push({
              ...base,
              channel: 'sms',
              recipient: 'reporter',
              payload: { text: msg.sms, recipientEnc: svc.sealer.seal(who.phone.trim()) },
              idempotencyKey: `${row.idempotencyKey}:sms:reporter`,
            });
          }
        }
      }
      if (event.type === 'escalate') {
        out.push({
          ...base,
          kind: 'ombudsman.handoff',
          channel: 'ombudsman',
          recipient: 'ombudsman',
          payload: { trackingId: report.trackingId },
          idempotencyKey: `${row.idempotencyKey}:ombudsman:ombudsman`,
        });
      }
      const staffMsg = staffMessage(facts(`${svc.publicUrl}/staf/laporan/${report.trackingId}`));
      if (staffMsg) {
        for (const u of await staffRecipients(tx, report, event.type, data)) {
          out.push({
            ...base,
            channel: 'email',
            recipient: `user:${u.id}`,
            payload: {
              subject: staffMsg.subject,
              text: staffMsg.text,
              lang: 'id',
              recipientEnc: svc.sealer.seal(u.email),
            },
            idempotencyKey: `${row.idempotencyKey}:email:user:${u.id}`,
          });
        }
      }
    }
    const created = await enqueueOutbox(tx, out);
    await markOutboxSent(tx, row.id, svc.now());
    return { created };
  });
}
