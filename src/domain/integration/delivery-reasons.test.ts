/**
 * The delivery logs' reading of stored reasons (src/domain/integration/delivery-reasons.ts): every text the worker
 * and the commands store reads back as its code with its values, a release note is kept apart, a receiver's or a
 * transport's own words stay as technical detail, and every code has its sentence in both languages.
 */
import { describe, expect, it } from 'vitest';
import {
  DELIVERY_REASON,
  DELIVERY_REASON_CODES,
  deliveryReason,
  expiredReason,
  noTransportReason,
  RELEASE_CODES,
  RELEASE_NOTE,
  type DeliveryReasonCode,
} from './delivery-reasons.ts';
import { heldTooLong, WEBHOOK_HELD } from './webhook-events.ts';
import { has } from '../../locales/index.ts';

describe('deliveryReason', () => {
  it.each<[string, DeliveryReasonCode | null, Record<string, string>, string | null]>([
    [DELIVERY_REASON.subscriptionRemoved, 'subscription_removed', {}, null],
    [DELIVERY_REASON.peerRemoved, 'peer_removed', {}, null],
    [DELIVERY_REASON.recipientDeactivated, 'recipient_deactivated', {}, null],
    [DELIVERY_REASON.noRecipient, 'no_recipient', {}, null],
    [DELIVERY_REASON.reportNotFound, 'report_not_found', {}, null],
    [WEBHOOK_HELD.paused, 'held_paused', {}, null],
    [WEBHOOK_HELD.agencyInactive, 'held_agency_inactive', {}, null],
    [noTransportReason('sms'), 'no_transport', { channel: 'sms' }, null],
    [expiredReason(14), 'expired', { days: '14' }, null],
    [
      'POST hooks.example.go.id: HTTP 503',
      'http_status',
      { host: 'hooks.example.go.id', status: '503' },
      null,
    ],
    [
      'POST peer.example.go.id: HTTP 400 {"error":"bad form"}',
      'http_status',
      { host: 'peer.example.go.id', status: '400' },
      '{"error":"bad form"}',
    ],
    [
      'outbound request to 10.0.0.5 refused: url_blocked_address',
      'refused_address',
      { host: '10.0.0.5', problem: 'url_blocked_address' },
      null,
    ],
    ['POST 127.0.0.1:9: fetch failed', 'unreachable', { host: '127.0.0.1:9' }, 'fetch failed'],
    ['550 5.1.1 mailbox unavailable', null, {}, '550 5.1.1 mailbox unavailable'],
    ['unknown channel pigeon', null, {}, 'unknown channel pigeon'],
  ])('%s', (stored, code, params, detail) => {
    expect(deliveryReason(stored)).toEqual({ code, params, detail, released: null });
  });

  it('keeps a release note apart from the reason it released', () => {
    expect(deliveryReason(`${WEBHOOK_HELD.paused} (released: ${RELEASE_NOTE.resumed})`)).toMatchObject({
      code: 'held_paused',
      released: 'resumed',
    });
    expect(
      deliveryReason(`${WEBHOOK_HELD.agencyInactive} (released: ${RELEASE_NOTE.agencyReactivated})`),
    ).toMatchObject({ code: 'held_agency_inactive', released: 'agency_reactivated' });
    expect(
      deliveryReason(`${noTransportReason('email')} (released: ${RELEASE_NOTE.transportConfigured})`),
    ).toMatchObject({ code: 'no_transport', params: { channel: 'email' }, released: 'transport_configured' });
    // An unknown note is not a release: the whole text stays technical detail.
    expect(deliveryReason('something (released: by magic)')).toEqual({
      code: null,
      params: {},
      detail: 'something (released: by magic)',
      released: null,
    });
  });

  it('has a sentence for every code and release note in both languages', () => {
    // Every code the JSON history may answer (DELIVERY_REASON_CODES), release notes likewise.
    const codes = DELIVERY_REASON_CODES;
    expect(codes).toContain('expired');
    for (const lang of ['id', 'en'] as const) {
      for (const c of codes) expect(has(lang, `integrations.reason.${c}`), `${lang} ${c}`).toBe(true);
      for (const r of RELEASE_CODES)
        expect(has(lang, `integrations.reason.released.${r}`), `${lang} ${r}`).toBe(true);
      for (const p of ['invalid_format', 'url_scheme', 'url_blocked_address', 'host_unresolvable'])
        expect(has(lang, `errors.field.${p}`), `${lang} ${p}`).toBe(true);
    }
  });
});

describe('heldTooLong', () => {
  it('is true only once a held row is more than the limit old', () => {
    const queued = new Date('2026-03-01T00:00:00Z');
    const at = (ms: number) => new Date(queued.getTime() + ms);
    const DAY = 86_400_000;
    expect(heldTooLong(queued, at(14 * DAY), 14)).toBe(false);
    expect(heldTooLong(queued, at(14 * DAY + 1), 14)).toBe(true);
    expect(heldTooLong(queued, at(3 * DAY + 1), 3)).toBe(true);
    // A row queued "later" than the clock (another process's clock ahead) is never too old.
    expect(heldTooLong(queued, at(-DAY), 1)).toBe(false);
  });
});
