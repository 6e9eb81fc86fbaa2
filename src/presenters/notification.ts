/**
 * Notification copy: bilingual (Bahasa Indonesia first, then English) email bodies and short SMS texts
 * for reporters and staff. Staff messages are built from report facts only (tracking number, title,
 * deadline), never from the reporter's identity, so an anonymous reporter cannot leak through them.
 */
import { t, type Lang } from '../locales/index.ts';

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
] as const;

/** Event types that notify staff. */
export const STAFF_EVENTS = [
  'submit',
  'supplement',
  'verify',
  'dispose',
  'dispute',
  'reminder',
  'overdue',
  'escalate_ladder',
] as const;

/** What a message is rendered from. */
export interface NotifyFacts {
  trackingId: string;
  title: string;
  eventType: string;
  eventBody: string | null;
  eventData: Record<string, unknown>;
  /** Link to the report page (no access key). */
  link: string;
}

/** A rendered message. */
export interface RenderedMessage {
  subject: string;
  text: string;
  sms: string;
}

const LANGS: Lang[] = ['id', 'en'];

function params(f: NotifyFacts, lang: Lang): Record<string, string | number> {
  const d = f.eventData;
  const reason = String(d.reason ?? '');
  return {
    tracking: f.trackingId,
    title: f.title,
    question: f.eventBody ?? '',
    reason: t(lang, `notify.archive_reason.${reason === 'no_reply' ? 'no_reply' : 'other'}`),
    days: String(d.workingDays ?? ''),
    clock: String(d.clock ?? ''),
    due: String(d.dueDate ?? d.dueAt ?? ''),
    level: String(d.level ?? ''),
    what: t(lang, `event.${f.eventType}`),
    link: f.link,
  };
}

function messageKey(audience: 'reporter' | 'staff', f: NotifyFacts): string {
  if (audience === 'reporter' && f.eventType === 'respond' && f.eventData.final === true) {
    return 'notify.reporter.respond_final';
  }
  return `notify.${audience}.${f.eventType}`;
}

function render(audience: 'reporter' | 'staff', f: NotifyFacts): RenderedMessage {
  const key = messageKey(audience, f);
  const blocks = LANGS.map((lang) => {
    const p = params(f, lang);
    return [
      t(lang, audience === 'reporter' ? 'notify.greeting' : 'notify.greeting_staff'),
      '',
      t(lang, key, p),
      '',
      t(lang, 'notify.link', p),
      '',
      t(lang, 'notify.footer'),
    ].join('\n');
  });
  const pid = params(f, 'id');
  const pen = params(f, 'en');
  const sms =
    f.eventType === 'submit' ? t('id', 'notify.sms.submit', pid) : t('id', 'notify.sms.generic', pid);
  return {
    subject: `${t('id', 'notify.subject', pid)} / ${t('en', 'notify.subject', pen)}`,
    text: blocks.join('\n\n— English —\n\n'),
    sms,
  };
}

/** The reporter's message for an event, or null when the event does not notify the reporter. */
export function reporterMessage(f: NotifyFacts): RenderedMessage | null {
  return (REPORTER_EVENTS as readonly string[]).includes(f.eventType) ? render('reporter', f) : null;
}

/** The staff message for an event, or null when the event does not notify staff. */
export function staffMessage(f: NotifyFacts): RenderedMessage | null {
  return (STAFF_EVENTS as readonly string[]).includes(f.eventType) ? render('staff', f) : null;
}
