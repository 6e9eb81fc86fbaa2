/**
 * Inbound SMS from the gateway: `<KEYWORD> <text>` files a report (keyword per agency or region in
 * `agencies.sms_keyword`; otherwise the regional verifier queue of the place named in the text),
 * `STATUS <number>` answers the status and the next deadline, `INFO <number> <text>` supplements a report on
 * hold when it comes from the reporter's own number. Gateway retries (same message id) are ignored, floods
 * from one number are rate limited (key = a keyed digest of the number; a command about the sender's own report has a
 * separate, higher bound, and one "too many messages" reply per window tells the sender), and every reply goes out
 * through the outbox with the phone sealed. The phone is stored only sealed, as the reporter's contact; the text is
 * stored with it and any other phone number, email address or NIK masked (src/domain/report/sms-text.ts).
 */
import { calendarScope } from './clocks.ts';
import { and, eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { agencies, channelAccess } from '../db/schema.ts';
import { DuplicateInboundMessage, inboundRecorded, recordInbound } from './inbound-message.ts';
import { loadReport, type LoadedReport } from '../db/repositories/reports.ts';
import { enqueueOutbox } from '../db/repositories/outbox.ts';
import { formatIsoInZone, zoneOfIso } from '../domain/deadline/calendar.ts';
import { smsLang } from '../domain/report/sms-lang.ts';
import { hasComplaintText, smsText } from '../domain/report/sms-text.ts';
import { PUBLIC_STATUSES } from '../domain/report/report.ts';
import { normaliseTrackingId } from '../domain/report/tracking-id.ts';
import { digestEquals, sha256 } from '../integrations/crypto.ts';
import { t, type Lang } from '../locales/index.ts';
import { PUBLIC_CALLER, type Caller, type Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { acceptReport } from './accept-report.ts';
import { disputeReport } from './dispute-report.ts';
import { escalateReport } from './escalate-report.ts';
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
  | 'accepted'
  | 'disputed'
  | 'escalated'
  | 'usage'
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
  /**
   * Commands about a report the sender is the reporter of (STATUS, INFO, TERIMA…): not counted against `perNumber`,
   * only against this separate bound per window (default 5 × `perNumber`), so an acceptance or a dispute is not lost
   * to a busy hour of filings.
   */
  ownReportCommands?: number | undefined;
}

/** Canonical Indonesian MSISDN (62…): why: the same number written 0812…, +62812… or 62812… is one sender. */
export function normalisePhone(raw: string): string {
  const digits = raw.replace(/[^\d]/g, '');
  if (digits.startsWith('0')) return `62${digits.slice(1)}`;
  if (digits.startsWith('8')) return `62${digits}`;
  return digits;
}

/** Words a reporter starts an SMS with to act on their own report: `<WORD> <number> …`. */
const REPORTER_COMMANDS: Record<string, ReporterCommand> = {
  STATUS: 'status',
  INFO: 'info',
  TERIMA: 'accept',
  SETUJU: 'accept',
  TOLAK: 'dispute',
  SANGGAH: 'dispute',
  OMBUDSMAN: 'escalate',
};
type ReporterCommand = 'status' | 'info' | 'accept' | 'dispute' | 'escalate';

/** The command words: never usable as an agency's SMS keyword (set-sms-keyword.ts). */
export const SMS_COMMAND_WORDS = Object.keys(REPORTER_COMMANDS);

function samePhone(report: LoadedReport, phone: string, svc: Services): boolean {
  if (!report.row.reporterEnc) return false;
  const who = svc.sealer.open<ReporterInput>(report.row.reporterEnc);
  return !!who.phone && digestEquals(sha256(normalisePhone(who.phone)), sha256(phone));
}

function dueText(report: LoadedReport, lang: Lang): string {
  if (!report.row.dueAt) return '';
  // The zone of the deadline's own calendar: the handling (or addressed) agency's, else the report's region's.
  const zone = calendarScope(report.row, report.agency ?? report.target ?? null).zone;
  return t(lang, 'channels.sms.due', { due: smsDate(formatIsoInZone(report.row.dueAt, zone)) });
}

/** `2026-03-12T00:00:00.000+08:00` → `12-03-2026 00:00 WITA`: the SMS date format, in the offset's zone. */
function smsDate(iso: string): string {
  const zone = zoneOfIso(iso);
  return `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)} ${iso.slice(11, 16)}${zone ? ` ${zone}` : ''}`;
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
  // Keyed: a plain sha256 of a phone number is reversed by trying every number (docs/security.md).
  const senderHash = svc.sealer.digest(`sms:${phone}`);
  // A retry of a handled message is answered at once; the message is recorded with what it did, in one transaction
  // (inbound-message.ts), so a crash half way leaves nothing and the retry is handled afresh.
  if (await inboundRecorded(svc.db, 'sms', msg.messageId)) return { outcome: 'duplicate' };
  const finish: Finish = async (tx, outcome, reply, report, opts) => {
    const write = async (db: AppDb) => {
      const inboundId = await recordInbound(db, {
        channel: 'sms',
        externalId: msg.messageId,
        senderHash,
        createdAt: svc.now(),
        outcome,
        reportId: report?.id,
      });
      if (reply) {
        await enqueueOutbox(db, [
          {
            kind: 'sms.reply',
            channel: 'sms',
            recipient: 'reporter',
            reportId: report?.id ?? null,
            payload: {
              ...(opts?.sealed
                ? { textEnc: svc.sealer.seal(reply.slice(0, 459)) }
                : { text: reply.slice(0, 459) }),
              recipientEnc: svc.sealer.seal(phone),
            },
            idempotencyKey: `sms-reply:${inboundId}`,
          },
        ]);
      }
      return { outcome, ...(report ? { trackingId: report.trackingId } : {}) };
    };
    return tx ? write(tx) : svc.db.transaction((trx) => write(trx as unknown as AppDb));
  };

  try {
    return await handle(svc, msg, phone, senderHash, limits, finish, defaultRegion);
  } catch (e) {
    // Another delivery of the same message was recorded while this one ran: its effects stand, this one's rolled back.
    if (e instanceof DuplicateInboundMessage) return { outcome: 'duplicate' };
    throw e;
  }
}

/** Records the message's outcome and its reply: inside `tx` when given, else in a transaction of its own. */
type Finish = (
  tx: AppDb | null,
  outcome: SmsOutcome,
  reply: string | null,
  report?: { id: string; trackingId: string },
  opts?: { sealed?: boolean },
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
  const text = msg.text.trim().replace(/\s+/g, ' ');
  const [word = '', ...rest] = text.split(' ');
  const keyword = word.toUpperCase();
  // The language of the answers: the message's own words decide (English for English); else Indonesian.
  const said = smsLang(text);
  const lang: Lang = said ?? 'id';

  const command = REPORTER_COMMANDS[keyword];
  // A command about the sender's own report is not stopped by the filing flood limit (an acceptance or a dispute
  // must not be lost); every command counts against its own, higher bound, checked before the report is read, so a
  // flood of commands costs no report loads. Other messages, and commands about someone else's report, also count
  // against the filing limit.
  const ownBound = command
    ? await hitRateLimit(
        svc,
        `sms-own:${senderHash}`,
        limits.ownReportCommands ?? limits.perNumber * 5,
        limits.windowSeconds,
      )
    : null;
  const report = command && ownBound?.allowed ? await commandReport(svc, rest[0] ?? '') : null;
  const own = report ? samePhone(report, phone, svc) : false;
  const limit =
    ownBound && (own || !ownBound.allowed)
      ? ownBound
      : await hitRateLimit(svc, `sms:${senderHash}`, limits.perNumber, limits.windowSeconds);
  if (!limit.allowed) {
    // One "too many messages" reply per window, so the sender knows; later refusals stay silent (no SMS flood back).
    const notice = await hitRateLimit(svc, `sms-notice:${senderHash}`, 1, limits.windowSeconds);
    const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
    return finish(
      null,
      'rate_limited',
      notice.allowed ? t(lang, 'channels.sms.rate_limited', { minutes }) : null,
    );
  }

  if (command) {
    // A bare command (`STATUS 1234`) tells no language: the reporter's own report answers in the reporter's.
    const commandLang: Lang = said ?? (own && report?.row.reporterLang === 'en' ? 'en' : 'id');
    return reporterCommand(svc, command, rest, phone, finish, report, own, commandLang);
  }

  const [agency] = keyword
    ? await svc.db
        .select()
        .from(agencies)
        .where(and(eq(agencies.smsKeyword, keyword), eq(agencies.active, true)))
        .limit(1)
    : [];
  const written = (agency ? rest.join(' ') : text).trim();
  // Too little to be a complaint ("halo", emoji, symbols): the help text, not a tracking number. The web form asks
  // for 20 characters; the message stays recorded in inbound_messages with its outcome.
  if (!hasComplaintText(written)) return finish(null, 'help', t(lang, 'channels.sms.help'));
  // SMS cannot warn the writer before the text goes public, as the web form does, and an SMS report is anonymous:
  // the sender's own number, other numbers, email addresses and NIKs are masked (sms-text.ts).
  const body = smsText(written, phone);
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
      // Later messages to the reporter (verified, follow-ups…) go in the language the complaint was written in.
      lang,
    });
    await db.insert(channelAccess).values({
      reportId: report.row.id,
      channel: 'sms',
      accessKeyEnc: svc.sealer.seal(accessKey),
      createdAt: svc.now(),
    });
    const ref = { id: report.row.id, trackingId: report.row.trackingId };
    // The private link lets the reporter read the answers and act on a phone with a browser; the reply
    // carries the access key, so it is sealed in the outbox like every message holding one.
    const link = `${svc.publicUrl}/lacak/${ref.trackingId}?k=${encodeURIComponent(accessKey)}`;
    const full = t(lang, 'channels.sms.filed', { ...ref, link });
    // One SMS where possible: drop the STATUS hint before the number or the link.
    const reply = full.length <= 160 ? full : t(lang, 'channels.sms.filed_short', { ...ref, link });
    return finish(db, 'filed', reply, ref, { sealed: true });
  });
}

/** The report a command names (`<WORD> <number> …`), or null. */
async function commandReport(svc: Services, raw: string): Promise<LoadedReport | null> {
  const trackingId = normaliseTrackingId(raw);
  return trackingId ? loadReport(svc.db, trackingId) : null;
}

/**
 * STATUS (anyone, for a public report; the reporter for their own), and the reporter's own actions, only
 * from the number sealed as the report's reporter: INFO answers a hold, TERIMA accepts the final answer
 * with a rating, TOLAK disputes it, OMBUDSMAN asks for the hand-off (identity not shared: saying yes to that
 * needs the private link's form). Why: a reporter with a feature phone has no browser to act through.
 */
async function reporterCommand(
  svc: Services,
  command: ReporterCommand,
  rest: string[],
  phone: string,
  finish: Finish,
  report: LoadedReport | null,
  own: boolean,
  lang: Lang,
): Promise<{ outcome: SmsOutcome; trackingId?: string }> {
  const raw = rest[0] ?? '';
  const isPublic =
    !!report &&
    (PUBLIC_STATUSES as readonly string[]).includes(report.row.status) &&
    !report.row.confidential;
  if (!report || (!own && !(command === 'status' && isPublic))) {
    // The number as sent, cut to 20 characters: echoing a long or emoji-filled word would make the answer several
    // (UCS-2) SMS, each billed to the service.
    const echoed = [...raw].slice(0, 20).join('') || '-';
    return finish(null, 'not_found', t(lang, 'channels.sms.not_found', { trackingId: echoed }));
  }
  const ref = { id: report.row.id, trackingId: report.row.trackingId };
  if (command === 'status') {
    const status = t(lang, `status.${report.row.status}`);
    return finish(
      null,
      'status',
      t(lang, 'channels.sms.status', { trackingId: ref.trackingId, status, due: dueText(report, lang) }),
      ref,
    );
  }
  // What the reporter writes here reaches the timeline (a dispute reason, an acceptance comment: public).
  const words = smsText(rest.slice(1).join(' '), phone).split(' ');
  const caller: Caller = { ...PUBLIC_CALLER, vouchedReporterOf: report.row.id };
  const usage = (key: string) => finish(null, 'usage', t(lang, `channels.sms.usage_${key}`, ref), ref);
  let act: (db: AppDb) => Promise<{ outcome: SmsOutcome; reply: string }>;
  if (command === 'info') {
    if (report.row.status !== 'on_hold')
      return finish(null, 'not_on_hold', t(lang, 'channels.sms.info_not_on_hold', ref), ref);
    const body = words.join(' ');
    if (!body) return usage('info');
    act = async (db) => {
      await supplementReport({ ...svc, db }, caller, ref.trackingId, { body });
      return { outcome: 'info', reply: t(lang, 'channels.sms.info_saved', ref) };
    };
  } else if (command === 'accept') {
    const rating = /^[1-5]$/.test(words[0] ?? '') ? Number(words[0]) : null;
    if (rating === null) return usage('accept');
    const comment = words.slice(1).join(' ') || undefined;
    act = async (db) => {
      await acceptReport({ ...svc, db }, caller, ref.trackingId, { rating, comment });
      return { outcome: 'accepted', reply: t(lang, 'channels.sms.accepted', { ...ref, rating }) };
    };
  } else if (command === 'dispute') {
    const reason = words.join(' ');
    if (reason.length < 5) return usage('dispute');
    act = async (db) => {
      await disputeReport({ ...svc, db }, caller, ref.trackingId, { reason });
      return { outcome: 'disputed', reply: t(lang, 'channels.sms.disputed', ref) };
    };
  } else {
    act = async (db) => {
      await escalateReport({ ...svc, db }, caller, ref.trackingId, { consent: true, shareIdentity: false });
      return { outcome: 'escalated', reply: t(lang, 'channels.sms.escalated', ref) };
    };
  }
  try {
    return await svc.db.transaction(async (tx) => {
      const db = tx as unknown as AppDb;
      const done = await act(db);
      return finish(db, done.outcome, done.reply, ref);
    });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    // The report is in no state for this action (or not yet due for the Ombudsman): say so plainly.
    const availableFrom = e.params.availableFrom;
    const reply =
      e.code === 'ESCALATION_NOT_DUE' && typeof availableFrom === 'string'
        ? t(lang, 'channels.sms.escalation_not_due', { ...ref, from: smsDate(availableFrom) })
        : t(lang, 'channels.sms.not_now', { ...ref, status: t(lang, `status.${report.row.status}`) });
    return finish(null, 'not_possible', reply, ref);
  }
}
