/**
 * Inbound SMS from the gateway: `<KEYWORD> <text>` files a report (keyword per agency or region in
 * `agencies.sms_keyword`; otherwise the regional verifier queue of the place named in the text),
 * `STATUS <number>` answers the status and the next deadline, `INFO <number> <text>` supplements a report on
 * hold when it comes from the reporter's own number. Gateway retries (same message id) are ignored, floods
 * from one number are rate limited (key = sha256(number)), and every reply goes out through the outbox
 * with the phone sealed. The phone is stored only sealed, as the reporter's contact.
 */
import { calendarScope } from './clocks.ts';
import { and, eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { agencies, channelAccess, inboundMessages } from '../db/schema.ts';
import { loadReport, type LoadedReport } from '../db/repositories/reports.ts';
import { enqueueOutbox } from '../db/repositories/outbox.ts';
import { formatIsoInZone } from '../domain/deadline/calendar.ts';
import { PUBLIC_STATUSES } from '../domain/report/report.ts';
import { normaliseTrackingId } from '../domain/report/tracking-id.ts';
import { digestEquals, sha256 } from '../integrations/crypto.ts';
import { t } from '../locales/index.ts';
import { PUBLIC_CALLER, type Services } from '../app/context.ts';
import { regionFromText } from '../queries/geocode.ts';
import { hitRateLimit } from './rate-limit.ts';
import { submitReport, type ReporterInput } from './submit-report.ts';
import { supplementReport } from './supplement-report.ts';

/** One message as the gateway posts it. */
export interface InboundSms {
  messageId: string;
  from: string;
  text: string;
}

/** What happened to a message. */
export type SmsOutcome =
  | 'filed'
  | 'status'
  | 'info'
  | 'duplicate'
  | 'rate_limited'
  | 'not_found'
  | 'not_on_hold'
  | 'not_possible'
  | 'help';

/** Per-number flood limit: messages per window. */
export interface SmsLimits {
  perNumber: number;
  windowSeconds: number;
}

/** Canonical Indonesian MSISDN (62…): why: the same number written 0812…, +62812… or 62812… is one sender. */
export function normalisePhone(raw: string): string {
  const digits = raw.replace(/[^\d]/g, '');
  if (digits.startsWith('0')) return `62${digits.slice(1)}`;
  if (digits.startsWith('8')) return `62${digits}`;
  return digits;
}

function samePhone(report: LoadedReport, phone: string, svc: Services): boolean {
  if (!report.row.reporterEnc) return false;
  const who = svc.sealer.open<ReporterInput>(report.row.reporterEnc);
  return !!who.phone && digestEquals(sha256(normalisePhone(who.phone)), sha256(phone));
}

function dueText(report: LoadedReport): string {
  if (!report.row.dueAt) return '';
  // The zone of the deadline's own calendar: the handling (or addressed) agency's, else the report's region's.
  const zone = calendarScope(report.row, report.agency ?? report.target ?? null).zone;
  const iso = formatIsoInZone(report.row.dueAt, zone);
  return t('id', 'channels.sms.due', {
    due: `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)} ${iso.slice(11, 16)} ${zone}`,
  });
}

/** Handles one inbound SMS; returns the outcome and the tracking number concerned. */
export async function receiveSms(
  svc: Services,
  msg: InboundSms,
  limits: SmsLimits = { perNumber: 10, windowSeconds: 3600 },
  /** Region whose verifier queue gets messages naming no keyword and no known place (ADUAN_INTAKE_REGION). */
  defaultRegion?: string | undefined,
): Promise<{ outcome: SmsOutcome; trackingId?: string }> {
  const phone = normalisePhone(msg.from);
  const senderHash = sha256(phone);
  const [inbound] = await svc.db
    .insert(inboundMessages)
    .values({ channel: 'sms', externalId: msg.messageId, senderHash, createdAt: svc.now() })
    .onConflictDoNothing()
    .returning({ id: inboundMessages.id });
  if (!inbound) return { outcome: 'duplicate' };
  const finish: Finish = async (db, outcome, reply, report) => {
    await db
      .update(inboundMessages)
      .set({ outcome, reportId: report?.id ?? null })
      .where(eq(inboundMessages.id, inbound.id));
    if (reply) {
      await enqueueOutbox(db, [
        {
          kind: 'sms.reply',
          channel: 'sms',
          recipient: 'reporter',
          reportId: report?.id ?? null,
          payload: { text: reply.slice(0, 459), recipientEnc: svc.sealer.seal(phone) },
          idempotencyKey: `sms-reply:${inbound.id}`,
        },
      ]);
    }
    return { outcome, ...(report ? { trackingId: report.trackingId } : {}) };
  };

  try {
    return await handle(svc, msg, phone, senderHash, limits, finish, defaultRegion);
  } catch (e) {
    // Let the gateway's retry try again: only a handled message counts as received.
    await svc.db.delete(inboundMessages).where(eq(inboundMessages.id, inbound.id));
    throw e;
  }
}

type Finish = (
  db: AppDb,
  outcome: SmsOutcome,
  reply: string | null,
  report?: { id: string; trackingId: string },
) => Promise<{ outcome: SmsOutcome; trackingId?: string }>;

async function handle(
  svc: Services,
  msg: InboundSms,
  phone: string,
  senderHash: string,
  limits: SmsLimits,
  finish: Finish,
  defaultRegion: string | undefined,
): Promise<{ outcome: SmsOutcome; trackingId?: string }> {
  const limit = await hitRateLimit(svc, `sms:${senderHash}`, limits.perNumber, limits.windowSeconds);
  if (!limit.allowed) return finish(svc.db, 'rate_limited', null);

  const text = msg.text.trim().replace(/\s+/g, ' ');
  const [word = '', ...rest] = text.split(' ');
  const keyword = word.toUpperCase();

  if (keyword === 'STATUS' || keyword === 'INFO') {
    const raw = rest[0] ?? '';
    const trackingId = normaliseTrackingId(raw);
    const report = trackingId ? await loadReport(svc.db, trackingId) : null;
    const own = report ? samePhone(report, phone, svc) : false;
    const isPublic =
      !!report &&
      (PUBLIC_STATUSES as readonly string[]).includes(report.row.status) &&
      !report.row.confidential;
    if (!report || (!own && !(keyword === 'STATUS' && isPublic))) {
      return finish(svc.db, 'not_found', t('id', 'channels.sms.not_found', { trackingId: raw || '-' }));
    }
    const ref = { id: report.row.id, trackingId: report.row.trackingId };
    if (keyword === 'STATUS') {
      const status = t('id', `status.${report.row.status}`);
      return finish(
        svc.db,
        'status',
        t('id', 'channels.sms.status', { trackingId: ref.trackingId, status, due: dueText(report) }),
        ref,
      );
    }
    if (report.row.status !== 'on_hold')
      return finish(svc.db, 'not_on_hold', t('id', 'channels.sms.info_not_on_hold', ref), ref);
    const [access] = await svc.db
      .select()
      .from(channelAccess)
      .where(eq(channelAccess.reportId, report.row.id));
    const body = rest.slice(1).join(' ');
    if (!access || !body)
      return finish(svc.db, 'not_possible', t('id', 'channels.sms.info_not_possible', ref), ref);
    return svc.db.transaction(async (tx) => {
      const db = tx as unknown as AppDb;
      const accessKey = svc.sealer.open<string>(access.accessKeyEnc);
      await supplementReport({ ...svc, db }, { ...PUBLIC_CALLER, accessKey }, ref.trackingId, { body });
      return finish(db, 'info', t('id', 'channels.sms.info_saved', ref), ref);
    });
  }

  const [agency] = keyword
    ? await svc.db
        .select()
        .from(agencies)
        .where(and(eq(agencies.smsKeyword, keyword), eq(agencies.active, true)))
        .limit(1)
    : [];
  const body = (agency ? rest.join(' ') : text).trim();
  if (body.length < 3) return finish(svc.db, 'help', t('id', 'channels.sms.help'));
  // No keyword and no known place: the configured intake region's queue, else the national verifier queue.
  const regionCode = agency?.regionCode ?? (await regionFromText(svc.db, body)) ?? defaultRegion;

  return svc.db.transaction(async (tx) => {
    const db = tx as unknown as AppDb;
    const { report, accessKey } = await submitReport({ ...svc, db }, PUBLIC_CALLER, {
      classification: 'pengaduan',
      title: body.slice(0, 80),
      body,
      regionCode: regionCode ?? undefined,
      targetAgencyId: agency?.id,
      anonymous: true,
      reporter: { phone },
      channel: 'sms',
    });
    await db.insert(channelAccess).values({
      reportId: report.row.id,
      channel: 'sms',
      accessKeyEnc: svc.sealer.seal(accessKey),
      createdAt: svc.now(),
    });
    const ref = { id: report.row.id, trackingId: report.row.trackingId };
    return finish(db, 'filed', t('id', 'channels.sms.filed', ref), ref);
  });
}
