/**
 * Read side of notifications: a user's in-app notifications and unread count, their channel preferences,
 * and the per-report delivery log (what the outbox sent, when, and whether it arrived). The delivery log
 * shows recipients as labels only (reporter, user name, Ombudsman), never an address.
 */
import { redactContacts } from '../domain/shared/text.ts';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { notificationPreferences, notifications, reports } from '../db/schema.ts';
import type { Services } from '../app/context.ts';
import type { Lang } from '../locales/index.ts';

/** One in-app notification as the API and the back office show it. */
export interface NotificationItem {
  id: number;
  kind: string;
  title: string;
  trackingId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** The user's latest notifications (newest first) and their unread count. */
export async function listNotifications(
  svc: Services,
  userId: string,
  opts: { limit?: number; unreadOnly?: boolean } = {},
): Promise<{ unread: number; items: NotificationItem[] }> {
  const rows = await svc.db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      trackingId: reports.trackingId,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(reports, eq(reports.id, notifications.reportId))
    .where(and(eq(notifications.userId, userId), opts.unreadOnly ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(Math.min(opts.limit ?? 50, 200));
  return {
    unread: await unreadCount(svc, userId),
    items: rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      readAt: r.readAt?.toISOString() ?? null,
    })),
  };
}

/** How many notifications the user has not read (the back-office badge). */
export async function unreadCount(svc: Services, userId: string): Promise<number> {
  const [r] = await query<{ n: number }>(
    svc.db,
    sql`select count(*)::int as n from notifications where user_id = ${userId} and read_at is null`,
  );
  return r?.n ?? 0;
}

/** A user's notification preferences (defaults when never saved). */
export interface PreferencesView {
  email: boolean;
  sms: boolean;
  inApp: boolean;
  digest: boolean;
  lang: Lang;
}

/** Reads a user's preferences. */
export async function getPreferences(svc: Services, userId: string): Promise<PreferencesView> {
  const [r] = await svc.db
    .select()
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId))
    .limit(1);
  if (!r) return { email: true, sms: false, inApp: true, digest: false, lang: 'id' };
  return {
    email: r.email,
    sms: r.sms,
    inApp: r.inApp,
    digest: r.digest,
    lang: r.lang === 'en' ? 'en' : 'id',
  };
}

/** One outbox row of a report, as staff see it in the delivery log. */
export interface DeliveryLogRow {
  kind: string;
  /** The channel; null on a message to an anonim reporter for a viewer who may not see the reporter. */
  channel: string | null;
  /**
   * Who the message is for, never an address: the reporter, the Ombudsman, a staff member (`name`), an agency webhook
   * (`name`: its host), another contact (hidden), or a recipient code the log does not know (`name`: the code).
   */
  recipient: {
    kind: 'reporter' | 'ombudsman' | 'staff' | 'supporter' | 'webhook' | 'contact' | 'other';
    name?: string;
  };
  status: string;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

/** Every message sent (or pending, or dead) about a report, oldest first, without the fan-out rows. */
export async function deliveryLog(
  svc: Services,
  reportId: string,
  opts: { reporterChannels: boolean } = { reporterChannels: true },
): Promise<DeliveryLogRow[]> {
  const rows = await query<Record<string, unknown>>(
    svc.db,
    sql`select o.kind, o.channel, o.recipient, o.status, o.attempts, o.created_at, o.sent_at, o.last_error,
          u.name as user_name
        from outbox o
        left join users u on o.recipient like 'user:%' and u.id::text = substr(o.recipient, 6)
        where o.report_id = ${reportId} and o.channel <> 'event'
        order by o.created_at, o.id`,
  );
  return rows.map((r) => {
    const rec = String(r.recipient ?? '');
    let label: DeliveryLogRow['recipient'] = { kind: 'other', name: rec };
    if (rec.startsWith('user:')) label = { kind: 'staff', name: String(r.user_name ?? rec.slice(5, 13)) };
    // A supporter who asked for updates: never who (supporting a report is not staff business).
    else if (rec.startsWith('supporter:')) label = { kind: 'supporter' };
    else if (r.channel === 'webhook') label = { kind: 'webhook', name: safeHost(rec) };
    else if (rec === 'reporter' || rec === 'ombudsman') label = { kind: rec };
    else if (r.channel === 'email' || r.channel === 'sms') label = { kind: 'contact' };
    // How an anonim reporter is reached (email or SMS) and why a message to them failed are facts about them:
    // shown only to viewers who may see the reporter.
    const hidden = !opts.reporterChannels && label.kind === 'reporter';
    return {
      kind: String(r.kind),
      channel: hidden ? null : String(r.channel),
      recipient: label,
      status: String(r.status),
      attempts: Number(r.attempts),
      createdAt: new Date(r.created_at as string).toISOString(),
      sentAt: r.sent_at ? new Date(r.sent_at as string).toISOString() : null,
      // Errors come from transports (host, status code), never from message bodies; contact data they quote is
      // masked when stored (worker.ts) and again here for rows stored before that.
      lastError: !hidden && typeof r.last_error === 'string' ? redactContacts(r.last_error) : null,
    };
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'webhook';
  }
}
