/**
 * Inbound email (parsed by an inbound-parse webhook or the SMTP listener): a reply to a notification —
 * recognised by a signed token in the recipient address (`lapor+<token>@…`) — is added to the report's
 * thread as a reporter reply; any other message files a report (subject = title, text = body, attachments
 * stored). What is stored of either loses the signature block and forwarded address lines and has the sender's
 * address and display name masked (src/domain/report/email-text.ts). A reply address whose token is garbled or names no report is refused with a reply (never filed), and a
 * reply with nothing written above the quote (and no attachment) adds nothing. Duplicates (same Message-ID, with or
 * without angle brackets) are ignored, senders are rate limited, answers go through the outbox with the address
 * sealed. A filed report gets no channel reply: the regular submitted notification (fan-out-event.ts) is its one
 * confirmation, with the number, private link, verify-by date and Reply-To. When something of a filing was not stored
 * (a body over `EMAIL_BODY_MAX` characters cut, an attachment skipped by type, size or count), the channel tells the
 * sender in one notice email (`channels.email.intake_notice_*`) naming what was cut or skipped and why.
 */
import { supplementReport } from './supplement-report.ts';
import { eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { channelAccess, reports } from '../db/schema.ts';
import { DuplicateInboundMessage, inboundRecorded, recordInbound } from './inbound-message.ts';
import { enqueueOutbox } from '../db/repositories/outbox.ts';
import { sha256 } from '../integrations/crypto.ts';
import { t } from '../locales/index.ts';
import { PUBLIC_CALLER, type Services } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { regionFromText } from '../queries/geocode.ts';
import { hitRateLimit } from './rate-limit.ts';
import { submitReport, type ReporterInput } from './submit-report.ts';
import { commentReport } from './comment-report.ts';
import { addAttachment, type AttachmentInput } from './add-attachment.ts';
import { resolveReplyToken } from './reply-token.ts';
import { filingText, replyText, subjectText, type EmailSender } from '../domain/report/email-text.ts';

// What is stored of a mail's words (signature cut, sender masked) lives in the pure module; re-exported here for
// callers that knew it from this file.
export { replyText, stripQuoted } from '../domain/report/email-text.ts';

/**
 * A file of an email. `inline`: an image of the message body rather than an attached file (Content-Disposition
 * inline, or a Content-ID part the HTML shows: a signature logo, the sender's photo). Stored marked
 * (`attachments.email_inline`); on an anonim report withheld from the agency until a verifier releases it.
 */
export interface EmailAttachment extends AttachmentInput {
  inline?: boolean | undefined;
}

/** One parsed email. */
export interface InboundEmail {
  messageId?: string | undefined;
  from: { address: string; name?: string | undefined };
  to: string[];
  subject: string;
  text: string;
  attachments: EmailAttachment[];
}

/** What happened to a message. */
export type EmailOutcome =
  | 'filed'
  | 'replied'
  | 'empty'
  | 'duplicate'
  | 'rate_limited'
  | 'reply_not_possible'
  | 'bad_reply_address'
  | 'not_reporter';

/** The emails the channel itself answers with (`channels.email.<key>_subject` / `_text`). */
type EmailReplyKey = 'replied' | 'empty' | 'bad_reply_address' | 'not_reporter' | 'intake_notice';

/** The longest body a filing stores (the web form's maximum); the rest is cut and the sender told. */
export const EMAIL_BODY_MAX = 10_000;

/** Why an attachment was skipped: a type aduan does not take, too large, one too many, or unreadable. */
export type SkipReason = 'type' | 'size' | 'count' | 'unreadable';

/** An attachment that was not stored, by the sender's own file name. */
export interface SkippedAttachment {
  filename: string;
  reason: SkipReason;
}

/** Handles one inbound email. */
export async function receiveEmail(
  svc: Services,
  mail: InboundEmail,
  limits = { perSender: 20, windowSeconds: 3600 },
  /** Region whose verifier queue gets mail naming no known place (ADUAN_INTAKE_REGION); else 422. */
  defaultRegion?: string | undefined,
): Promise<{ outcome: EmailOutcome; trackingId?: string }> {
  const address = mail.from.address.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw invalid({ from: { key: 'invalid_email' } });
  const name = mail.from.name?.trim();
  // The sender's address and display name are masked in whatever is stored of the mail (title, body, reply).
  const sender: EmailSender = { address, name };
  // Retries are matched by a hash of the Message-ID, which is not stored: it often carries the sender's host or
  // address (migration 0029 hashed the ids stored before).
  const messageId = messageIdKey(mail.messageId);
  const externalId = sha256(
    messageId ? `message-id:${messageId}` : `${address}\n${mail.subject}\n${mail.text}`,
  );
  // A retry of a handled message is answered at once; the message is recorded with what it did, in one transaction
  // (inbound-message.ts), so a crash half way leaves nothing and the MTA's retry is handled afresh.
  if (await inboundRecorded(svc.db, 'email', externalId)) return { outcome: 'duplicate' };
  const senderHash = svc.sealer.digest(`email:${address}`);
  try {
    const limit = await hitRateLimit(svc, `email:${senderHash}`, limits.perSender, limits.windowSeconds);
    const reply = async (
      db: AppDb,
      inboundId: number,
      key: EmailReplyKey,
      params: Record<string, string>,
      reportId: string | null,
    ) =>
      enqueueOutbox(db, [
        {
          kind: 'email.reply',
          channel: 'email',
          recipient: 'reporter',
          reportId,
          payload: {
            subject: t('id', `channels.email.${key}_subject`, params),
            // The notice names the sender's own file names (they may hold a name or a NIK): sealed like the stored name.
            ...(key === 'intake_notice'
              ? { textEnc: svc.sealer.seal(t('id', `channels.email.${key}_text`, params)) }
              : { text: t('id', `channels.email.${key}_text`, params) }),
            lang: 'id',
            recipientEnc: svc.sealer.seal(address),
          },
          idempotencyKey: `email-reply:${inboundId}`,
        },
      ]);

    /**
     * Records the message with its outcome and, with `notice`, the one email answering it (inside `tx` when given,
     * else in a transaction of its own).
     */
    const done = async (
      tx: AppDb | null,
      outcome: EmailOutcome,
      report?: { id: string; trackingId: string },
      notice?: { key: EmailReplyKey; params: Record<string, string> },
    ) => {
      const write = async (db: AppDb) => {
        const inboundId = await recordInbound(db, {
          channel: 'email',
          externalId,
          senderHash,
          createdAt: svc.now(),
          outcome,
          reportId: report?.id,
        });
        if (notice) await reply(db, inboundId, notice.key, notice.params, report?.id ?? null);
        return { outcome, ...(report ? { trackingId: report.trackingId } : {}) };
      };
      return tx ? write(tx) : svc.db.transaction((trx) => write(trx as unknown as AppDb));
    };
    if (!limit.allowed) return done(null, 'rate_limited');
    let reportId: string | null = null;
    for (const to of mail.to) reportId ??= await resolveReplyToken(svc, to);
    const [row] = reportId
      ? await svc.db
          .select({
            trackingId: reports.trackingId,
            status: reports.status,
            reporterEnc: reports.reporterEnc,
          })
          .from(reports)
          .where(eq(reports.id, reportId))
      : [];
    if (reportId && row) {
      const [access] = await svc.db.select().from(channelAccess).where(eq(channelAccess.reportId, reportId));
      const ref = { id: reportId, trackingId: row.trackingId };
      if (!access) return done(null, 'reply_not_possible', ref);
      // Only the reporter's own address acts as the reporter, as SMS commands act only from the reporter's number:
      // a notification forwarded to someone else carries the Reply-To, and their answer must not join the thread as
      // the reporter's (or answer a hold). They are told to ask the reporter; nothing is added.
      if (!fromReporter(svc, row.reporterEnc, address))
        return done(null, 'not_reporter', ref, {
          key: 'not_reporter',
          params: { trackingId: ref.trackingId },
        });
      const accessKey = svc.sealer.open<string>(access.accessKeyEnc);
      return svc.db.transaction(async (tx) => {
        const db = tx as unknown as AppDb;
        const inner = { ...svc, db };
        const text = replyText(mail.text, sender);
        // Nothing written above the quote: an attachment alone is still a reply (attached first to know whether
        // one fits); without one nothing is added (the subject is only the echoed "Re: …") and the sender is told.
        const attached = text
          ? 0
          : (await attachWhatFits(inner, accessKey, ref.trackingId, mail.attachments)).attached;
        if (!text && !attached) return done(db, 'empty', ref, { key: 'empty', params: ref });
        const body = [subjectText(mail.subject.replace(/^\s*(re|balas|aw|fwd?):\s*/i, ''), sender), text]
          .filter(Boolean)
          .join('\n\n')
          .slice(0, 4000);
        // A report on hold waits for the reporter's answer (the hold email asks for a reply): the reply supplements
        // it, which ends the hold and sends it back to verification. Otherwise it joins the thread as a reply.
        if (row.status === 'on_hold')
          await supplementReport(inner, { ...PUBLIC_CALLER, accessKey }, ref.trackingId, { body });
        else if (body) await commentReport(inner, { ...PUBLIC_CALLER, accessKey }, ref.trackingId, { body });
        if (text) await attachWhatFits(inner, accessKey, ref.trackingId, mail.attachments);
        return done(db, 'replied', ref, { key: 'replied', params: ref });
      });
    }

    // Meant as a reply but matching no report (token truncated or altered by a mail client, or its report gone):
    // filing it would start a stray report. One answer for every such case, so it tells nothing about any report.
    const plain = mail.to.map(plainOfReplyAddress).find((a) => a !== null);
    // The configured address, not one taken from the mail: a forged To must not make us point a citizen (a forged
    // From) at an address of the forger's choosing.
    if (plain)
      return done(null, 'bad_reply_address', undefined, {
        key: 'bad_reply_address',
        params: { address: svc.inboundEmailAddress ?? plain },
      });
    // A bare `<token>@…` (never minted) of a report that is gone.
    if (reportId) return done(null, 'reply_not_possible');

    // Signature block cut, forwarded address lines dropped, the sender masked (docs/channels.md). The place is read
    // from what is filed too: a city in the signature is where the sender lives, not where the problem is.
    const { title, body } = filingText(mail.subject, mail.text, sender);
    const regionCode = (await regionFromText(svc.db, `${title}\n${body}`)) ?? defaultRegion ?? null;
    return await svc.db.transaction(async (tx) => {
      const db = tx as unknown as AppDb;
      const inner = { ...svc, db };
      const { report, accessKey } = await submitReport(inner, PUBLIC_CALLER, {
        classification: 'pengaduan',
        title: title.slice(0, 150),
        body: body.slice(0, EMAIL_BODY_MAX),
        regionCode: regionCode ?? undefined,
        anonymous: !name,
        reporter: { ...(name ? { name } : {}), email: address },
        channel: 'email',
      });
      await db.insert(channelAccess).values({
        reportId: report.row.id,
        channel: 'email',
        accessKeyEnc: svc.sealer.seal(accessKey),
        createdAt: svc.now(),
      });
      const { skipped } = await attachWhatFits(inner, accessKey, report.row.trackingId, mail.attachments);
      const ref = { id: report.row.id, trackingId: report.row.trackingId };
      // No channel reply confirms the filing: the submit event's notification does (docs/channels.md). What was not
      // stored (the body cut, attachments skipped) is told here, so nothing is lost without the sender knowing.
      const notes = intakeNotes(body.length > EMAIL_BODY_MAX, skipped);
      return done(
        db,
        'filed',
        ref,
        notes ? { key: 'intake_notice', params: { trackingId: ref.trackingId, ...notes } } : undefined,
      );
    });
  } catch (e) {
    // Another delivery of the same message was recorded while this one ran: its effects stand, this one's rolled back.
    if (e instanceof DuplicateInboundMessage) return { outcome: 'duplicate' };
    throw e;
  }
}

/** Whether `address` is the email sealed as the report's reporter (compared as stored: trimmed, lowercase). */
function fromReporter(svc: Services, reporterEnc: string | null, address: string): boolean {
  if (!reporterEnc) return false;
  const email = svc.sealer.open<ReporterInput>(reporterEnc).email;
  return !!email && email.trim().toLowerCase() === address;
}

/**
 * Adds the mail's attachments to the report, skipping a file aduan does not take (a type other than JPEG, PNG, WebP
 * or PDF, too large, one too many): the complaint itself is never refused for an attachment. Those checks come before
 * any write, so skipping one leaves the transaction intact.
 */
async function attachWhatFits(
  svc: Services,
  accessKey: string,
  trackingId: string,
  files: readonly EmailAttachment[],
): Promise<{ attached: number; skipped: SkippedAttachment[] }> {
  let attached = 0;
  const skipped: SkippedAttachment[] = [];
  for (const file of files) {
    try {
      await addAttachment(svc, { ...PUBLIC_CALLER, accessKey }, trackingId, file, {
        emailInline: file.inline === true,
      });
      attached++;
    } catch (e) {
      if (!(e instanceof AppError) || !['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE'].includes(e.code)) throw e;
      skipped.push({ filename: file.filename, reason: skipReason(e) });
    }
  }
  return { attached, skipped };
}

/** Why add-attachment refused a file, from its error. */
function skipReason(e: AppError): SkipReason {
  if (e.code === 'PAYLOAD_TOO_LARGE') return 'size';
  const key = e.fields.file?.key;
  if (key === 'one_of') return 'type';
  if (key === 'too_big') return 'count';
  return 'unreadable';
}

/**
 * The lines of the intake notice in Indonesian (`notes`) and English (`notesEn`), as the notice is bilingual like the
 * other channel replies; null when everything was stored.
 */
export function intakeNotes(
  bodyCut: boolean,
  skipped: readonly SkippedAttachment[],
): { notes: string; notesEn: string } | null {
  if (!bodyCut && skipped.length === 0) return null;
  const lines = (lang: 'id' | 'en') =>
    [
      ...(bodyCut
        ? [
            t(lang, 'channels.email.intake_notice_cut', {
              max: EMAIL_BODY_MAX.toLocaleString(lang === 'id' ? 'id-ID' : 'en-US'),
            }),
          ]
        : []),
      ...skipped.map((f) =>
        t(lang, `channels.email.intake_notice_skipped_${f.reason}`, { name: f.filename.trim() || '-' }),
      ),
    ]
      .map((line) => `- ${line}`)
      .join('\n');
  return { notes: lines('id'), notesEn: lines('en') };
}

/**
 * The dedup key of a Message-ID: gateways pass it with or without the angle brackets (`<a@b>` / `a@b`), and a
 * retry must still be recognised as the same message.
 */
function messageIdKey(raw: string | undefined): string {
  return (raw ?? '').trim().replace(/^<\s*(.*?)\s*>$/, '$1');
}

/**
 * `lapor@domain` for a recipient shaped like a reply address (`lapor+<token>@domain`), else null. Shaped like one: 16
 * or more hex digits in a row after the "+" (tokens have 48), so an ordinary sub-address among the recipients
 * (`budi+arsip@…`) still lets the mail be filed.
 */
function plainOfReplyAddress(recipient: string): string | null {
  const m = /^([^\s@+]+)\+([^\s@]*)@([^\s@]+)$/.exec(recipient.trim().toLowerCase());
  return m && /[0-9a-f]{16}/.test(m[2]!) ? `${m[1]}@${m[3]}` : null;
}
