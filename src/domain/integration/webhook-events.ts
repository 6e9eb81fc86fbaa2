/**
 * Which timeline events reach agency webhooks, and under which subscription type (docs/integrations.md).
 * Agencies subscribe to three things: a report dispatched into their subtree (verify, dispose), the
 * reporter replied (reporter_reply, comment, supplement, dispute), and a deadline is due (reminder,
 * overdue). Pure so the mapping is tested and documented in one place.
 */

/** Subscription types an agency chooses from. */
export const WEBHOOK_EVENTS = ['dispatched', 'reporter_replied', 'deadline_due'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * Why a queued delivery of an agency webhook is held back (its `last_error` while it waits, attempts uncounted): the
 * subscription is paused, or its agency is deactivated. Resuming / reactivating releases exactly these rows.
 */
export const WEBHOOK_HELD = {
  paused: 'subscription paused: held until resumed',
  agencyInactive: 'agency deactivated: held until reactivated',
} as const;

/** Days a held delivery may wait before it expires unsent, unless the operator sets ADUAN_WEBHOOK_HOLD_DAYS. */
export const WEBHOOK_HOLD_DAYS_DEFAULT = 14;

/**
 * Whether a held delivery queued at `createdAt` is past the hold limit at `now` (more than `days` days old): it is then
 * expired, not sent, when it is released or looked at again by the worker (docs/integrations.md, "Pause and
 * deactivation"). Why an age limit: a receiver paused or an agency deactivated for months would otherwise get a flood
 * of stale events at once, and the rows would pile up forever.
 */
export function heldTooLong(createdAt: Date, now: Date, days: number): boolean {
  return now.getTime() - createdAt.getTime() > days * 86_400_000;
}

const BY_EVENT_TYPE: Record<string, WebhookEvent> = {
  verify: 'dispatched',
  dispose: 'dispatched',
  reporter_reply: 'reporter_replied',
  comment: 'reporter_replied',
  supplement: 'reporter_replied',
  dispute: 'reporter_replied',
  reminder: 'deadline_due',
  overdue: 'deadline_due',
};

/** The subscription type a timeline event type maps to, or null when no webhook is sent for it. */
export function webhookEventOf(eventType: string): WebhookEvent | null {
  return BY_EVENT_TYPE[eventType] ?? null;
}

/** The timeline event types behind one subscription type (for the docs and the form's hint). */
export function eventTypesOf(event: WebhookEvent): string[] {
  return Object.entries(BY_EVENT_TYPE)
    .filter(([, v]) => v === event)
    .map(([k]) => k);
}

/**
 * The agency an event is about: the agency a report was dispatched to (verify: `data.agencyId`,
 * dispose: `data.toAgencyId`), else the handling agency, else the agency the reporter addressed.
 */
export function affectedAgencyOf(
  eventType: string,
  data: Record<string, unknown>,
  report: { agencyId: string | null; targetAgencyId: string | null },
): string | null {
  if (eventType === 'verify' && typeof data.agencyId === 'string') return data.agencyId;
  if (eventType === 'dispose' && typeof data.toAgencyId === 'string') return data.toAgencyId;
  return report.agencyId ?? report.targetAgencyId;
}

/**
 * Whether a subscription of `subscriberAgencyId` receives an event about `affectedPath` (agency ids from
 * the root down to the affected agency): any subscriber on the path (its subtree), except that a
 * confidential report goes only to the affected (handling) agency's own subscriptions.
 */
export function subscriberReceives(
  subscriberAgencyId: string,
  affectedPath: readonly string[],
  confidential: boolean,
): boolean {
  if (affectedPath.length === 0) return false;
  if (confidential) return affectedPath.at(-1) === subscriberAgencyId;
  return affectedPath.includes(subscriberAgencyId);
}
