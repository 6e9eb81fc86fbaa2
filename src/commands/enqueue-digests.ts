/**
 * Daily digests: for every user who chose `digest`, one email per day listing that day's notifications,
 * enqueued through the outbox with the idempotency key `digest:<user>:<date>` (so a re-run, or several
 * workers, never send it twice). Days are Indonesian western time (WIB, UTC+7) calendar days.
 */
import { and, eq, gte, lt } from 'drizzle-orm';
import { notificationPreferences, notifications, reports, users } from '../db/schema.ts';
import { enqueueOutbox, type NewOutboxRow } from '../db/repositories/outbox.ts';
import { digestMessage, noticeReportPath } from '../presenters/notification.ts';
import type { Services } from '../app/context.ts';

const WIB_OFFSET_MS = 7 * 3_600_000;

/** The WIB calendar date (YYYY-MM-DD) of an instant. */
export function wibDate(at: Date): string {
  return new Date(at.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** Enqueues the digests of `date` (default: yesterday in WIB); returns how many rows were new. */
export async function enqueueDigests(svc: Services, date?: string): Promise<number> {
  const day = date ?? wibDate(new Date(svc.now().getTime() - 86_400_000));
  const from = new Date(Date.parse(`${day}T00:00:00Z`) - WIB_OFFSET_MS);
  const to = new Date(from.getTime() + 86_400_000);
  const subscribers = await svc.db
    .select({ id: users.id, email: users.email, lang: notificationPreferences.lang })
    .from(notificationPreferences)
    .innerJoin(users, eq(users.id, notificationPreferences.userId))
    .where(eq(notificationPreferences.digest, true));
  const rows: NewOutboxRow[] = [];
  for (const u of subscribers) {
    const items = await svc.db
      .select({ kind: notifications.kind, title: notifications.title, trackingId: reports.trackingId })
      .from(notifications)
      .leftJoin(reports, eq(reports.id, notifications.reportId))
      .where(
        and(
          eq(notifications.userId, u.id),
          gte(notifications.createdAt, from),
          lt(notifications.createdAt, to),
        ),
      )
      .orderBy(notifications.createdAt, notifications.id);
    if (items.length === 0) continue;
    const lang = u.lang === 'en' ? 'en' : 'id';
    const msg = digestMessage(
      items.map((i) => ({
        title: i.title,
        link: `${svc.publicUrl}${noticeReportPath(i.kind, i.trackingId ?? '')}`,
      })),
      day,
      lang,
    );
    rows.push({
      kind: 'notify.digest',
      channel: 'email',
      recipient: `user:${u.id}`,
      payload: { subject: msg.subject, text: msg.text, lang, recipientEnc: svc.sealer.seal(u.email) },
      idempotencyKey: `digest:${u.id}:${day}`,
    });
  }
  return rows.length ? enqueueOutbox(svc.db, rows) : 0;
}
