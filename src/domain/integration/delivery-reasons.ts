/**
 * Why an outbox delivery is held, failed or was cancelled: the texts the worker stores in `outbox.last_error`, and
 * their reading back as codes for the delivery logs (docs/worker.md, docs/integrations.md §4). The stored text stays
 * English and stable (rows are released by matching it exactly, and operators grep for it); the back office shows a
 * known reason through the locale files in the reader's language, and anything else (a receiver's or a mail server's
 * own words) as it is, marked as technical detail. Pure so the mapping is tested in one place.
 */
import { WEBHOOK_HELD } from './webhook-events.ts';

/** The fixed reasons the worker and the commands store (besides WEBHOOK_HELD and `noTransportReason`). */
export const DELIVERY_REASON = {
  subscriptionRemoved: 'subscription removed',
  peerRemoved: 'peer removed',
  recipientDeactivated: 'recipient account deactivated',
  noRecipient: 'no recipient',
  reportNotFound: 'report not found',
} as const;

/** Why a held webhook delivery was not sent: it waited past the hold limit (`days`, ADUAN_WEBHOOK_HOLD_DAYS). */
export function expiredReason(days: number): string {
  return `held for more than ${days} days: expired, not sent`;
}

/** Why a row of a channel without a configured transport is kept pending (released once one is configured). */
export function noTransportReason(channel: string): string {
  return `no ${channel} transport configured; kept pending`;
}

/** The notes appended as ` (released: <note>)` when held or deferred rows are made due again. */
export const RELEASE_NOTE = {
  resumed: 'resumed',
  agencyReactivated: 'agency reactivated',
  transportConfigured: 'transport configured',
} as const;

/** The known reasons' codes (the locale keys under `integrations.reason`; the JSON delivery history's `reason`). */
export const DELIVERY_REASON_CODES = [
  'subscription_removed',
  'held_paused',
  'held_agency_inactive',
  'expired',
  'peer_removed',
  'recipient_deactivated',
  'no_recipient',
  'report_not_found',
  'no_transport',
  'http_status',
  'refused_address',
  'unreachable',
] as const;

/** A known reason's code. */
export type DeliveryReasonCode = (typeof DELIVERY_REASON_CODES)[number];

/** The release notes' codes (the locale keys under `integrations.reason.released`). */
export const RELEASE_CODES = ['resumed', 'agency_reactivated', 'transport_configured'] as const;

/** A release note's code. */
export type ReleaseCode = (typeof RELEASE_CODES)[number];

/** A stored reason read back. */
export interface DeliveryReason {
  /** The known reason, or null: the text is not one (shown as technical detail only). */
  code: DeliveryReasonCode | null;
  /** The values its sentence names (channel, host, HTTP status, refusal problem). */
  params: Record<string, string>;
  /** Text to show as it is, as technical detail: a receiver's answer, a transport's error, an unknown reason. */
  detail: string | null;
  /** Whether (and why) the held or deferred row was released. */
  released: ReleaseCode | null;
}

const FIXED: ReadonlyArray<[string, DeliveryReasonCode]> = [
  [DELIVERY_REASON.subscriptionRemoved, 'subscription_removed'],
  [DELIVERY_REASON.peerRemoved, 'peer_removed'],
  [DELIVERY_REASON.recipientDeactivated, 'recipient_deactivated'],
  [DELIVERY_REASON.noRecipient, 'no_recipient'],
  [DELIVERY_REASON.reportNotFound, 'report_not_found'],
  [WEBHOOK_HELD.paused, 'held_paused'],
  [WEBHOOK_HELD.agencyInactive, 'held_agency_inactive'],
];

const RELEASES: ReadonlyArray<[string, ReleaseCode]> = [
  [RELEASE_NOTE.resumed, 'resumed'],
  [RELEASE_NOTE.agencyReactivated, 'agency_reactivated'],
  [RELEASE_NOTE.transportConfigured, 'transport_configured'],
];

/** The outbound guard's refusal problems (src/integrations/outbound-guard.ts `OutboundProblem`; errors.field.*). */
const PROBLEMS: readonly string[] = [
  'invalid_format',
  'url_scheme',
  'url_blocked_address',
  'host_unresolvable',
];

/** Reads a stored `last_error` back as a known reason with its values, or as technical detail. */
export function deliveryReason(stored: string): DeliveryReason {
  let text = stored;
  let released: ReleaseCode | null = null;
  for (const [note, code] of RELEASES) {
    const suffix = ` (released: ${note})`;
    if (text.endsWith(suffix)) {
      text = text.slice(0, -suffix.length);
      released = code;
      break;
    }
  }
  const known = (
    code: DeliveryReasonCode,
    params: Record<string, string> = {},
    detail: string | null = null,
  ) => ({
    code,
    params,
    detail,
    released,
  });
  const fixed = FIXED.find(([t]) => t === text);
  if (fixed) return known(fixed[1]);
  let m = /^held for more than (\d+) days: expired, not sent$/.exec(text);
  if (m) return known('expired', { days: m[1]! });
  m = /^no (\w+) transport configured; kept pending$/.exec(text);
  if (m) return known('no_transport', { channel: m[1]! });
  m = /^POST (\S+): HTTP (\d{3})(?: ([\s\S]+))?$/.exec(text);
  if (m) return known('http_status', { host: m[1]!, status: m[2]! }, m[3] ?? null);
  m = /^outbound request to (\S+) refused: (\w+)$/.exec(text);
  if (m && PROBLEMS.includes(m[2]!)) return known('refused_address', { host: m[1]!, problem: m[2]! });
  m = /^POST (\S+): ([\s\S]+)$/.exec(text);
  if (m) return known('unreachable', { host: m[1]! }, m[2]!);
  return { code: null, params: {}, detail: stored, released: null };
}
