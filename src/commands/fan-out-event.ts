/**
 * Fan-out: one timeline event (outbox channel 'event') becomes per-recipient email/SMS rows and in-app
 * notifications, inserted with idempotency keys `<eventKey>:<channel>:<recipient>` in the same transaction
 * that marks the event row sent. Recipients: the reporter (sealed contact, in the reporter's remembered
 * language, only for events the reporter may see; the submitted message carries the private link with the
 * access key and the verify-by date), the staff holding the report, the verifiers of a new or returned submission, the
 * officer a report is assigned to, and whoever a sweeper event names. A hand-off to the Ombudsman also tells the region's
 * coordinators and the staff of the Ombudsman office it goes to (their own message and link, the title masked unless the
 * reporter shared their identity). Staff channels follow notification_preferences (email by default, in-app always
 * unless switched off, SMS on request; `digest` replaces per-event email/SMS with one daily email).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { query } from '../db/client.ts';
import {
  agencies,
  notificationPreferences,
  notifications,
  reportDeadlines,
  reportEvents,
  reports,
  roleGrants,
  users,
} from '../db/schema.ts';
import { pathIds } from '../db/repositories/agencies.ts';
import {
  enqueueOutbox,
  markOutboxSent,
  type NewOutboxRow,
  type OutboxRow,
} from '../db/repositories/outbox.ts';
import {
  OMBUDSMAN_HANDOFF_KIND,
  ombudsmanMessage,
  reporterMessage,
  staffMessage,
  supporterMessage,
  type NotifyFacts,
  type RenderedMessage,
} from '../presenters/notification.ts';
import { maskOwnIdentity, type OwnIdentity } from '../domain/report/own-identity.ts';
import { regionCovers } from '../policies/can.ts';
import type { Lang } from '../locales/index.ts';
import { formatIsoInZone, ZONE_OFFSET_MINUTES } from '../domain/deadline/calendar.ts';
import { PUBLIC_STATUSES, type ReportStatus, type ZoneName } from '../domain/report/report.ts';
import type { Services } from '../app/context.ts';
import { enqueueAgencyWebhooks } from './enqueue-agency-webhooks.ts';
import { unsubscribeLinker } from './supporter-unsubscribe.ts';
import { byReporterAccount, reporterTextMask } from '../queries/reporter-account.ts';

/** A staff audience named by a sweeper event: a role at an agency (null = anywhere, national). */
export interface NotifyTarget {
  role: string;
  agencyId: string | null;
}

interface EventPayload {
  reportId: string;
  seq: number;
  accessKeyEnc?: string;
}

interface StaffUser {
  id: string;
  email: string;
  contactEnc: string | null;
}

/** Effective channels of a user (defaults when no row): email + in-app, no SMS, no digest, Indonesian. */
export interface Prefs {
  email: boolean;
  sms: boolean;
  inApp: boolean;
  digest: boolean;
  lang: Lang;
}

/** Defaults for a user without a preferences row. */
export const DEFAULT_PREFS: Prefs = { email: true, sms: false, inApp: true, digest: false, lang: 'id' };

async function prefsOf(tx: Tx, ids: string[]): Promise<Map<string, Prefs>> {
  const out = new Map<string, Prefs>();
  if (ids.length === 0) return out;
  const rows = await tx
    .select()
    .from(notificationPreferences)
    .where(inArray(notificationPreferences.userId, ids));
  for (const r of rows) {
    out.set(r.userId, {
      email: r.email,
      sms: r.sms,
      inApp: r.inApp,
      digest: r.digest,
      lang: r.lang === 'en' ? 'en' : 'id',
    });
  }
  return out;
}

async function agencyPath(tx: Tx, id: string | null): Promise<string[]> {
  if (!id) return [];
  const [a] = await tx.select({ path: agencies.path }).from(agencies).where(eq(agencies.id, id)).limit(1);
  return a ? pathIds(a) : [];
}

async function usersWith(tx: Tx, roles: string[], agencyIds: string[] | 'any'): Promise<StaffUser[]> {
  if (agencyIds !== 'any' && agencyIds.length === 0) return [];
  return tx
    .selectDistinct({ id: users.id, email: users.email, contactEnc: users.contactEnc })
    .from(users)
    .innerJoin(roleGrants, eq(roleGrants.userId, users.id))
    .where(
      and(
        inArray(roleGrants.role, roles),
        agencyIds === 'any' ? undefined : inArray(roleGrants.agencyId, agencyIds),
        // A deactivated account hears nothing more, and does not stand in for the coordinators (`verifiers`).
        isNull(users.disabledAt),
      ),
    );
}

/**
 * The coordinator agencies (Diskominfo) of a region: those of the region itself and of each of its ancestors
 * (a Kota Balikpapan report: Diskominfo Balikpapan and Diskominfo Kaltim). Sorted, for a stable plan. The
 * verifiers of a report without a target agency, and the sweeper's reminders and first escalation levels of
 * its verification clock (sweeper.ts), both address these agencies' coordinators.
 */
export async function regionCoordinatorAgencies(
  db: AppDb | Tx,
  regionCode: string | null,
): Promise<string[]> {
  if (!regionCode) return [];
  const parts = regionCode.split('.');
  const codes = parts.map((_, i) => parts.slice(0, i + 1).join('.'));
  const coords = await db
    .select({ id: agencies.id })
    .from(agencies)
    .where(and(eq(agencies.isCoordinator, true), inArray(agencies.regionCode, codes)));
  return coords.map((c) => c.id).sort();
}

/** Verifiers: the chosen agency's admins; else the region's coordinators (Diskominfo) and national admins. */
async function verifiers(tx: Tx, report: typeof reports.$inferSelect): Promise<StaffUser[]> {
  if (report.targetAgencyId) {
    const found = await usersWith(tx, ['agency_admin'], await agencyPath(tx, report.targetAgencyId));
    if (found.length) return found;
  }
  const out = new Map<string, StaffUser>();
  const ids = await regionCoordinatorAgencies(tx, report.regionCode);
  if (ids.length) for (const u of await usersWith(tx, ['coordinator'], ids)) out.set(u.id, u);
  for (const u of await usersWith(tx, ['national_admin'], 'any')) out.set(u.id, u);
  return [...out.values()];
}

/** The staff member a report was just assigned to (not when they assigned it to themselves), else nobody. */
async function assignee(
  tx: Tx,
  actorUserId: string | null,
  data: Record<string, unknown>,
): Promise<StaffUser[]> {
  const id = typeof data.assigneeUserId === 'string' ? data.assigneeUserId : null;
  if (!id || id === actorUserId) return [];
  return tx
    .select({ id: users.id, email: users.email, contactEnc: users.contactEnc })
    .from(users)
    .where(and(eq(users.id, id), isNull(users.disabledAt)))
    .limit(1);
}

/** Staff who should hear about an event (never derived from the reporter). */
async function staffRecipients(
  tx: Tx,
  report: typeof reports.$inferSelect,
  event: typeof reportEvents.$inferSelect,
  data: Record<string, unknown>,
): Promise<StaffUser[]> {
  const type = event.type;
  const named = data.notify as NotifyTarget[] | undefined;
  if (Array.isArray(named) && named.length) {
    const out = new Map<string, StaffUser>();
    for (const n of named) {
      const scope = n.agencyId ? await agencyPath(tx, n.agencyId) : 'any';
      for (const u of await usersWith(tx, [n.role], scope)) out.set(u.id, u);
    }
    return [...out.values()];
  }
  if (type === 'submit' || type === 'supplement' || type === 'return') return verifiers(tx, report);
  // A reply before dispatch reaches whoever verifies the report; after, the agency holding it.
  if (type === 'reporter_reply' && !report.dispatchedAgencyId) return verifiers(tx, report);
  // A hand-off: the verifiers of a report no agency holds, else the agency and the region's coordinators.
  if (type === 'escalate') return handOffStaff(tx, report);
  if (type === 'assign') return assignee(tx, event.actorUserId, data);
  return usersWith(tx, ['officer', 'agency_admin'], await agencyPath(tx, report.agencyId));
}

/** The submission's verification deadline, ISO with the report's zone offset, if a verification clock ran. */
async function verifyByText(tx: Tx, reportId: string, zone: unknown): Promise<string | undefined> {
  const [clock] = await tx
    .select({ dueAt: reportDeadlines.dueAt })
    .from(reportDeadlines)
    .where(and(eq(reportDeadlines.reportId, reportId), eq(reportDeadlines.clock, 'verification')))
    .orderBy(reportDeadlines.id)
    .limit(1);
  if (!clock) return undefined;
  const z: ZoneName = typeof zone === 'string' && zone in ZONE_OFFSET_MINUTES ? (zone as ZoneName) : 'WIB';
  return formatIsoInZone(clock.dueAt, z);
}

/** The reporter's channels: a signed-in citizen's preferences apply; otherwise every contact given. */
async function reporterRows(
  svc: Services,
  tx: Tx,
  report: typeof reports.$inferSelect,
  facts: NotifyFacts,
  base: { reportId: string; kind: string },
  eventKey: string,
): Promise<NewOutboxRow[]> {
  if (!report.reporterEnc) return [];
  const lang: Lang = report.reporterLang === 'en' ? 'en' : 'id';
  const msg = reporterMessage(facts, lang);
  if (!msg) return [];
  const prefs = report.reporterUserId
    ? ((await prefsOf(tx, [report.reporterUserId])).get(report.reporterUserId) ?? null)
    : null;
  const who = svc.sealer.open<{ email?: string; phone?: string }>(report.reporterEnc);
  // A body holding the access key is sealed too (payload.textEnc): the outbox never holds the key in clear.
  const body = (text: string) => (facts.privateLink ? { textEnc: svc.sealer.seal(text) } : { text });
  const out: NewOutboxRow[] = [];
  // A report filed by email gets this submitted message as its one confirmation (the email channel sends
  // none of its own): number, private link, verify-by date, and a Reply-To joining the thread (worker.ts).
  if (who.email?.trim() && (prefs?.email ?? true)) {
    out.push({
      ...base,
      channel: 'email',
      recipient: 'reporter',
      payload: {
        subject: msg.subject,
        ...body(msg.text),
        lang,
        recipientEnc: svc.sealer.seal(who.email.trim()),
      },
      idempotencyKey: `${eventKey}:email:reporter`,
    });
  }
  // A citizen account's SMS preference defaults to on for reporters who gave a phone number.
  // A report filed by SMS was already confirmed by the SMS channel's own reply: no second submit SMS.
  const smsIntakeConfirmed = report.channel === 'sms' && facts.eventType === 'submit';
  if (who.phone?.trim() && !smsIntakeConfirmed && (prefs ? prefs.sms || !prefs.email : true)) {
    out.push({
      ...base,
      channel: 'sms',
      recipient: 'reporter',
      payload: { ...body(msg.sms), lang, recipientEnc: svc.sealer.seal(who.phone.trim()) },
      idempotencyKey: `${eventKey}:sms:reporter`,
    });
  }
  return out;
}

/**
 * Email to the signed-in supporters who asked for updates on a public report (`supports.notify_lang`), in the
 * language they asked in: the public number, title and link only, and their own link to stop the emails. Never to
 * the reporter's own account (told as the reporter), to a deactivated account, or about a report that is
 * confidential or no longer public. The outbox recipient is `supporter:<user id>`: the delivery log shows "a
 * supporter", never who.
 */
async function supporterRows(
  svc: Services,
  tx: Tx,
  report: typeof reports.$inferSelect,
  facts: NotifyFacts,
  base: { reportId: string; kind: string },
  eventKey: string,
): Promise<NewOutboxRow[]> {
  if (!supporterMessage(facts)) return [];
  if (report.confidential || !PUBLIC_STATUSES.includes(report.status as ReportStatus)) return [];
  const followers = await query<{ id: string; email: string; notify_lang: string }>(
    tx,
    sql`select u.id, u.email, s.notify_lang
          from supports s join users u on s.supporter_key = 'user:' || u.id::text
         where s.report_id = ${report.id} and s.notify_lang is not null and u.disabled_at is null
         order by u.id`,
  );
  const out: NewOutboxRow[] = [];
  // The key is read inside this transaction (PGlite has one connection: a query outside it would wait forever).
  const linkOf = followers.length ? await unsubscribeLinker({ ...svc, db: tx as unknown as AppDb }) : null;
  for (const f of followers) {
    if (f.id === report.reporterUserId) continue;
    const lang: Lang = f.notify_lang === 'en' ? 'en' : 'id';
    const unsubscribeLink = linkOf!(report.id, f.id, lang);
    const msg = supporterMessage({ ...facts, unsubscribeLink }, lang)!;
    out.push({
      ...base,
      channel: 'email',
      recipient: `supporter:${f.id}`,
      // Sealed: the body holds the link that stops this person's updates (as a reporter's private link is sealed).
      payload: {
        subject: msg.subject,
        textEnc: svc.sealer.seal(msg.text),
        lang,
        recipientEnc: svc.sealer.seal(f.email),
      },
      idempotencyKey: `${eventKey}:email:supporter:${f.id}`,
    });
  }
  return out;
}

/**
 * The staff of the Ombudsman office a report in `regionCode` is handed over to: active accounts holding the `ombudsman`
 * role on an office whose region covers the report's (a grant without a region, Ombudsman RI pusat, covers all), the
 * same people `/kantor/ombudsman` lists the report to (`isOmbudsmanOnTransferred` in src/policies/can.ts).
 */
async function ombudsmanStaff(tx: Tx, regionCode: string | null): Promise<StaffUser[]> {
  const rows = await tx
    .select({
      id: users.id,
      email: users.email,
      contactEnc: users.contactEnc,
      regionCode: agencies.regionCode,
    })
    .from(users)
    .innerJoin(roleGrants, eq(roleGrants.userId, users.id))
    .leftJoin(agencies, eq(agencies.id, roleGrants.agencyId))
    .where(and(eq(roleGrants.role, 'ombudsman'), isNull(users.disabledAt)));
  const out = new Map<string, StaffUser>();
  for (const r of rows) {
    const covers = r.regionCode === null || (regionCode !== null && regionCovers(r.regionCode, regionCode));
    if (covers) out.set(r.id, { id: r.id, email: r.email, contactEnc: r.contactEnc });
  }
  return [...out.values()];
}

/**
 * The staff told of a hand-off to the Ombudsman. A report no agency holds: its verifiers. A report an agency holds:
 * that agency's staff up its tree (the unit a disposisi gave it to included), and the coordinators of the report's
 * region and of the regions above it, who dispatched it and answer for it in their region.
 */
async function handOffStaff(tx: Tx, report: typeof reports.$inferSelect): Promise<StaffUser[]> {
  if (!report.agencyId) return verifiers(tx, report);
  const out = new Map<string, StaffUser>();
  for (const u of await usersWith(tx, ['officer', 'agency_admin'], await agencyPath(tx, report.agencyId)))
    out.set(u.id, u);
  const coords = await regionCoordinatorAgencies(tx, report.regionCode);
  for (const u of await usersWith(tx, ['coordinator'], coords)) out.set(u.id, u);
  return [...out.values()];
}

/**
 * In-app notifications (inserted here, deduplicated per user) and the email/SMS outbox rows for `staff`, each in the
 * channels and language of their preferences (`digest` replaces per-event email and SMS).
 */
async function staffRows(
  svc: Services,
  tx: Tx,
  staff: StaffUser[],
  message: (lang: Lang) => RenderedMessage,
  ctx: {
    kind: string;
    row: OutboxRow;
    base: { reportId: string; kind: string };
    reportId: string;
    createdAt: Date;
  },
): Promise<NewOutboxRow[]> {
  const out: NewOutboxRow[] = [];
  const { row, base } = ctx;
  const prefs = await prefsOf(
    tx,
    staff.map((u) => u.id),
  );
  for (const u of staff) {
    const pref = prefs.get(u.id) ?? DEFAULT_PREFS;
    const msg = message(pref.lang);
    if (pref.inApp || pref.digest) {
      await tx
        .insert(notifications)
        .values({
          userId: u.id,
          reportId: ctx.reportId,
          kind: ctx.kind,
          title: msg.subject,
          dedupeKey: `${row.idempotencyKey}:user:${u.id}`,
          createdAt: ctx.createdAt,
        })
        .onConflictDoNothing();
    }
    if (pref.digest) continue;
    if (pref.email) {
      out.push({
        ...base,
        channel: 'email',
        recipient: `user:${u.id}`,
        payload: {
          subject: msg.subject,
          text: msg.text,
          lang: pref.lang,
          recipientEnc: svc.sealer.seal(u.email),
        },
        idempotencyKey: `${row.idempotencyKey}:email:user:${u.id}`,
      });
    }
    const phone = pref.sms && u.contactEnc ? svc.sealer.open<{ phone?: string }>(u.contactEnc).phone : null;
    if (phone?.trim()) {
      out.push({
        ...base,
        channel: 'sms',
        recipient: `user:${u.id}`,
        payload: { text: msg.sms, lang: pref.lang, recipientEnc: svc.sealer.seal(phone.trim()) },
        idempotencyKey: `${row.idempotencyKey}:sms:user:${u.id}`,
      });
    }
  }
  return out;
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
      const facts = (link: string, privateLink = false): NotifyFacts => ({
        trackingId: report.trackingId,
        title: report.title,
        eventType: event.type,
        eventBody: event.body,
        eventData: data,
        link,
        privateLink,
      });
      const base = { reportId: report.id, kind: `notify.${event.type}` };
      // A comment tells the reporter only when staff wrote it: not another citizen's comment on a public report.
      const citizenComment =
        event.type === 'comment' && ['citizen', 'public'].includes(event.actorRole ?? 'public');
      if (event.visibility !== 'internal' && !citizenComment) {
        const track = `${svc.publicUrl}/lacak/${report.trackingId}`;
        // The sealed key is only on the submit event's row; it is opened here for the reporter alone.
        const key =
          event.type === 'submit' && typeof p.accessKeyEnc === 'string'
            ? svc.sealer.open<string>(p.accessKeyEnc)
            : null;
        const reporterFacts: NotifyFacts = {
          ...(key ? facts(`${track}?k=${encodeURIComponent(key)}`, true) : facts(track)),
          // Replies to an email-filed report's emails join its thread (Reply-To, receive-email.ts).
          replyJoinsThread: report.channel === 'email',
        };
        if (event.type === 'submit') {
          const verifyBy = await verifyByText(tx, report.id, data.zone);
          if (verifyBy) reporterFacts.verifyBy = verifyBy;
        }
        out.push(...(await reporterRows(svc, tx, report, reporterFacts, base, row.idempotencyKey)));
      }
      if (event.visibility === 'public') {
        const publicFacts = facts(`${svc.publicUrl}/laporan/${report.trackingId}`);
        out.push(...(await supporterRows(svc, tx, report, publicFacts, base, row.idempotencyKey)));
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
      const staffFacts = facts(`${svc.publicUrl}/kantor/laporan/${report.trackingId}`);
      const told = new Set<string>();
      if (event.type === 'escalate') {
        // The Ombudsman office's staff first: their message leads to the office's page of the report and, without the
        // reporter's consent to be named, carries the title with the reporter's own name, contacts and NIK masked.
        const who: OwnIdentity = report.reporterEnc ? svc.sealer.open<OwnIdentity>(report.reporterEnc) : {};
        const shared = data.shareIdentity === true && !report.anonymous;
        const officeFacts: NotifyFacts = {
          ...facts(`${svc.publicUrl}/kantor/ombudsman/laporan/${report.trackingId}`),
          title: shared ? report.title : maskOwnIdentity(report.title, who),
        };
        const office = await ombudsmanStaff(tx, report.regionCode);
        out.push(
          ...(await staffRows(svc, tx, office, (lang) => ombudsmanMessage(officeFacts, lang)!, {
            kind: OMBUDSMAN_HANDOFF_KIND,
            row,
            base,
            reportId: report.id,
            createdAt: event.createdAt,
          })),
        );
        for (const u of office) told.add(u.id);
      }
      if (staffMessage(staffFacts)) {
        const staff = (await staffRecipients(tx, report, event, data)).filter((u) => !told.has(u.id));
        out.push(
          ...(await staffRows(svc, tx, staff, (lang) => staffMessage(staffFacts, lang)!, {
            kind: event.type,
            row,
            base,
            reportId: report.id,
            createdAt: event.createdAt,
          })),
        );
      }
      // Agency webhooks and federation updates (docs/integrations.md).
      // A comment the anonim reporter's own account wrote as a citizen (before it claimed the report) reaches the
      // agency's systems as the pages show it: the reporter's identity and the account's name and email masked.
      const hooked =
        byReporterAccount(report, event) && event.body
          ? { ...event, body: (await reporterTextMask(svc, report, tx))(event.body) }
          : event;
      out.push(
        ...(await enqueueAgencyWebhooks(svc, tx, { event: hooked, report, eventKey: row.idempotencyKey })),
      );
    }
    const created = await enqueueOutbox(tx, out);
    await markOutboxSent(tx, row.id, svc.now());
    return { created };
  });
}
