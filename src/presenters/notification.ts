/**
 * Notification copy: email bodies and short SMS texts for reporters and staff, in ONE language each — the
 * reporter's remembered language (reports.reporter_lang) or the staff member's preference — Indonesian
 * by default. Staff messages are built from report facts only (tracking number, title, deadline), never
 * from the reporter's identity, so an anonymous reporter cannot leak through them.
 */
import { has, t, type Lang } from '../locales/index.ts';

/** Event types that notify the reporter. */
export const REPORTER_EVENTS = [
  'submit',
  'verify',
  'hold',
  'return',
  'respond',
  'archive',
  'auto_close',
  'escalate',
  'ombudsman_offer',
  // On the kept report of a merge: told that a duplicate was merged into it (never who filed the duplicate).
  'merge',
  // A staff member's message on the report (fan-out-event.ts leaves out comments by other citizens).
  'comment',
] as const;

/** Event types that notify staff. */
export const STAFF_EVENTS = [
  'submit',
  'supplement',
  // The reporter's reply in the conversation: to the verifiers before dispatch, else to the handling agency.
  'reporter_reply',
  'verify',
  'dispose',
  'return',
  'dispute',
  'auto_close',
  'escalate',
  // Only the officer the report was assigned to (fan-out-event.ts).
  'assign',
  'reminder',
  'overdue',
  'escalate_ladder',
] as const;

/**
 * Event types that tell the signed-in supporters who asked for email updates (`supports.notify_lang`): the agency's
 * follow-ups and the report's completion, on a public report only (fan-out-event.ts).
 */
export const SUPPORTER_EVENTS = ['respond', 'accept', 'auto_close'] as const;

/** What a message is rendered from. */
export interface NotifyFacts {
  trackingId: string;
  title: string;
  eventType: string;
  eventBody: string | null;
  eventData: Record<string, unknown>;
  /** Link to the report page (for the reporter's first message: the private link with the access key). */
  link: string;
  /** True when `link` carries the access key (the submitted message only). */
  privateLink?: boolean;
  /** The verification deadline, ISO with the report's zone offset (`…T17:00:00.000+08:00`): submitted only. */
  verifyBy?: string;
  /** True when a reply to the email joins the report's thread (email-filed reports): the footer says so. */
  replyJoinsThread?: boolean;
  /** A supporter's link that stops their update emails without signing in (supporter-unsubscribe.ts). */
  unsubscribeLink?: string;
}

/** A rendered message. */
export interface RenderedMessage {
  subject: string;
  text: string;
  sms: string;
}

const ZONES: Record<string, [string, string]> = {
  '+07:00': ['Asia/Jakarta', 'WIB'],
  '+08:00': ['Asia/Makassar', 'WITA'],
  '+09:00': ['Asia/Jayapura', 'WIT'],
};

/** "17 Maret 2026 17.00 WITA" / "17 March 2026 at 17:00 WITA", in the zone the ISO offset names. */
function formatDue(iso: string, lang: Lang): string {
  const [timeZone, label] = ZONES[iso.slice(-6)] ?? ['Asia/Jakarta', 'WIB'];
  const text = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
  return `${text} ${label}`;
}

/** The clock's name as the pages show it ("Tindak lanjut"), not its code; an unknown code as it is. */
function clockName(clock: unknown, lang: Lang): string {
  const code = String(clock ?? '');
  return has(lang, `web.clock.${code}`) ? t(lang, `web.clock.${code}`) : code;
}

/** A sweep event's deadline as a reader's date and time in the deadline's own zone, else its plain date. */
function dueText(d: Record<string, unknown>, lang: Lang): string {
  if (typeof d.dueAt === 'string' && /[+-]\d{2}:\d{2}$/.test(d.dueAt) && !Number.isNaN(Date.parse(d.dueAt)))
    return formatDue(d.dueAt, lang);
  return String(d.dueDate ?? d.dueAt ?? '');
}

function params(f: NotifyFacts, lang: Lang): Record<string, string | number> {
  const d = f.eventData;
  const reason = String(d.reason ?? '');
  return {
    tracking: f.trackingId,
    title: f.title,
    question: f.eventBody ?? '',
    reason: t(lang, `notify.archive_reason.${reason === 'no_reply' ? 'no_reply' : 'other'}`),
    days: String(d.workingDays ?? d.calendarDays ?? ''),
    clock: clockName(d.clock, lang),
    due: dueText(d, lang),
    level: String(d.level ?? ''),
    supporters: typeof d.supportersMoved === 'number' ? d.supportersMoved : 0,
    verifyBy: f.verifyBy ? formatDue(f.verifyBy, lang) : '',
    what: t(lang, `event.${f.eventType}`),
    link: f.link,
    unsubscribe: f.unsubscribeLink ?? '',
    kept: typeof d.duplicateOf === 'string' ? d.duplicateOf : '',
    keptLink: typeof d.duplicateOf === 'string' ? `${new URL(f.link).origin}/laporan/${d.duplicateOf}` : '',
  };
}

/**
 * Who a message is for: the reporter, staff of the agencies and regions, the Ombudsman office handed the report, or
 * a supporter who asked for updates.
 */
type Audience = 'reporter' | 'staff' | 'ombudsman' | 'supporter';

function messageKey(audience: Audience, f: NotifyFacts): string {
  if (
    (audience === 'reporter' || audience === 'supporter') &&
    f.eventType === 'respond' &&
    f.eventData.final === true
  ) {
    return `notify.${audience}.respond_final`;
  }
  // A duplicate's reporter learns where the complaint lives on (the kept report's number only when it is not
  // confidential: then the event holds `keptTrackingId`, never `duplicateOf`).
  if (audience === 'reporter' && f.eventType === 'archive' && f.eventData.reason === 'duplicate')
    return typeof f.eventData.duplicateOf === 'string'
      ? 'notify.reporter.archive_duplicate'
      : 'notify.reporter.archive_duplicate_hidden';
  // A hand-off whose consent staff recorded (walk-in, phone, letter) is not "at the reporter's request" on its face.
  if (audience === 'staff' && f.eventType === 'escalate' && f.eventData.consentVia === 'staff')
    return 'notify.staff.escalate_staff_consent';
  // An Ombudsman offer under a calendar-day escalation rule says "days", not "working days".
  if (f.eventType === 'ombudsman_offer' && f.eventData.calendarDays != null)
    return `notify.${audience}.ombudsman_offer_calendar`;
  return `notify.${audience}.${f.eventType}`;
}

/** SMS events whose text tells the reporter which reply acts on the report (receive-sms.ts commands). */
const SMS_COMMAND_HINTS = ['hold', 'ombudsman_offer'] as const;

function smsText(audience: Audience, f: NotifyFacts, lang: Lang, p: Record<string, string | number>): string {
  if (f.eventType === 'submit') {
    const full = t(lang, f.privateLink ? 'notify.sms.submit_private' : 'notify.sms.submit', p);
    // Keep within one SMS where possible: drop the prose before dropping the number or the link.
    return full.length <= 160 ? full : t(lang, 'notify.sms.submit_short', p);
  }
  if (audience === 'reporter') {
    // A reporter on a feature phone acts by replying (INFO, TERIMA, TOLAK, OMBUDSMAN): the SMS says how,
    // in up to 3 concatenated parts; "..." not "…", which would force the costlier UCS-2 encoding.
    const question = String(p.question);
    const short = { ...p, question: question.length > 140 ? `${question.slice(0, 137)}...` : question };
    if (messageKey('reporter', f) === 'notify.reporter.respond_final')
      return t(lang, 'notify.sms.respond_final', short);
    if (f.eventType === 'ombudsman_offer' && f.eventData.calendarDays != null)
      return t(lang, 'notify.sms.ombudsman_offer_calendar', short);
    if ((SMS_COMMAND_HINTS as readonly string[]).includes(f.eventType))
      return t(lang, `notify.sms.${f.eventType}`, short);
  }
  return t(lang, 'notify.sms.generic', p);
}

function render(audience: Audience, f: NotifyFacts, lang: Lang): RenderedMessage {
  const p = params(f, lang);
  const greeting = { reporter: 'greeting', supporter: 'greeting_supporter' } as Partial<
    Record<Audience, string>
  >;
  const text = [
    t(lang, `notify.${greeting[audience] ?? 'greeting_staff'}`),
    '',
    t(lang, messageKey(audience, f), p),
    // Files the reporter sent with a supplement or reply: how many, never their names (they can name an anonim reporter).
    ...(audience !== 'reporter' && typeof f.eventData.files === 'number' && f.eventData.files > 0
      ? [t(lang, 'notify.files_attached', { n: f.eventData.files })]
      : []),
    ...(f.verifyBy ? [t(lang, 'notify.verify_by', p)] : []),
    '',
    t(lang, f.privateLink ? 'notify.private_link' : 'notify.link', p),
    '',
    t(
      lang,
      audience === 'supporter'
        ? 'notify.footer_supporter'
        : f.replyJoinsThread
          ? 'notify.footer_reply'
          : 'notify.footer',
      p,
    ),
  ].join('\n');
  return { subject: t(lang, 'notify.subject', p), text, sms: smsText(audience, f, lang, p) };
}

/** The reporter's message for an event in `lang`, or null when the event does not notify the reporter. */
export function reporterMessage(f: NotifyFacts, lang: Lang = 'id'): RenderedMessage | null {
  return (REPORTER_EVENTS as readonly string[]).includes(f.eventType) ? render('reporter', f, lang) : null;
}

/**
 * The message to a supporter who asked for updates, in `lang`, or null for other events. Built from the public
 * report's number, title and public link only: never the reporter, never a staff note.
 */
export function supporterMessage(f: NotifyFacts, lang: Lang = 'id'): RenderedMessage | null {
  return (SUPPORTER_EVENTS as readonly string[]).includes(f.eventType) ? render('supporter', f, lang) : null;
}

/** The staff message for an event in `lang`, or null when the event does not notify staff. */
export function staffMessage(f: NotifyFacts, lang: Lang = 'id'): RenderedMessage | null {
  return (STAFF_EVENTS as readonly string[]).includes(f.eventType) ? render('staff', f, lang) : null;
}

/** Events that tell the Ombudsman office's staff (fan-out-event.ts): the hand-off of a report to it. */
export const OMBUDSMAN_EVENTS = ['escalate'] as const;

/**
 * The message to the staff of the Ombudsman office a report was handed over to, in `lang`; null for other events.
 * `f.title` must already be masked when the reporter did not share their identity (fan-out-event.ts), and `f.link`
 * lead to the office's own page of the report (`/kantor/ombudsman/laporan/:trackingId`).
 */
export function ombudsmanMessage(f: NotifyFacts, lang: Lang = 'id'): RenderedMessage | null {
  return (OMBUDSMAN_EVENTS as readonly string[]).includes(f.eventType) ? render('ombudsman', f, lang) : null;
}

/** The in-app notification kind of a hand-off told to the Ombudsman office (fan-out-event.ts). */
export const OMBUDSMAN_HANDOFF_KIND = 'ombudsman_handoff';

/**
 * The back-office path of a notification's report: the Ombudsman office's own page for a hand-off told to it (the
 * agency report page is closed to the Ombudsman), else the report page (`/kantor/laporan/:trackingId`).
 */
export function noticeReportPath(kind: string, trackingId: string): string {
  return kind === OMBUDSMAN_HANDOFF_KIND
    ? `/kantor/ombudsman/laporan/${trackingId}`
    : `/kantor/laporan/${trackingId}`;
}

/** One line of a daily digest. */
export interface DigestItem {
  title: string;
  link: string;
}

/** The daily digest email of one staff member: every notification of the day, one line each. */
export function digestMessage(
  items: DigestItem[],
  date: string,
  lang: Lang,
): { subject: string; text: string } {
  const lines = items.map((i) => `- ${i.title}\n  ${i.link}`);
  return {
    subject: t(lang, 'notify.digest.subject', { date, n: items.length }),
    text: [
      t(lang, 'notify.greeting_staff'),
      '',
      t(lang, 'notify.digest.intro', { date, n: items.length }),
      '',
      ...lines,
      '',
      t(lang, 'notify.footer'),
    ].join('\n'),
  };
}
