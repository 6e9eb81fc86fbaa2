/**
 * POST /channels/sms/inbound: the SMS gateway webhook. The raw body must carry a valid
 * `X-Signature: [sha256=]<hex HMAC-SHA256(secret, raw body)>` (401 otherwise); JSON or form bodies with
 * `id`/`messageId`, `from`/`msisdn` and `text`/`message`, and optionally the gateway's coding indication
 * (`charset`, `coding`, `data_coding`/`dcs`): a text marked as UCS-2 is hex of UTF-16BE and is decoded
 * (src/domain/report/sms-coding.ts). Answers 200 for every handled message (including recognised retries) so the
 * gateway stops retrying.
 */
import { isUtf8 } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseQuery } from 'node:querystring';
import type { Services } from '../../app/context.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { receiveSms, type SmsLimits } from '../../commands/receive-sms.ts';
import { decodeUcs2Hex, decodeUtf16be, smsCoding } from '../../domain/report/sms-coding.ts';
import { plainText } from '../../domain/shared/text.ts';

/** Options of the channel webhooks. */
export interface ChannelOptions {
  smsGatewaySecret?: string | undefined;
  emailInboundSecret?: string | undefined;
  smsLimits?: SmsLimits | undefined;
  /** Region whose verifier queue gets SMS/email naming no known place (ADUAN_INTAKE_REGION). */
  defaultRegion?: string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    /** A form body's values as their bytes (one latin1 character per byte), before any charset is applied. */
    formBytes?: Record<string, unknown>;
  }
}

/** True when `header` is the HMAC-SHA256 of `raw` under `secret` (hex, optional `sha256=` prefix). */
export function validSignature(secret: string | undefined, raw: Buffer, header: string | undefined): boolean {
  if (!secret || !header) return false;
  const sent = header
    .trim()
    .replace(/^sha256=/i, '')
    .toLowerCase();
  // Only a hex digest can match; anything else (a non-ASCII byte would change the byte length) is simply wrong.
  if (!/^[0-9a-f]{64}$/.test(sent)) return false;
  const expected = createHmac('sha256', secret).update(raw).digest('hex');
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

const pick = (b: Record<string, unknown>, ...names: string[]) => {
  for (const n of names) if (typeof b[n] === 'string' || typeof b[n] === 'number') return String(b[n]);
  return undefined;
};

type Issues = Record<string, { key: string; params?: Record<string, number> }>;

/** Bytes that are text as they stand: UTF-8 without control characters (tab and line breaks aside). */
function readableAsIs(bytes: Buffer): boolean {
  // eslint-disable-next-line no-control-regex -- control bytes are exactly what UTF-16BE text is full of
  return isUtf8(bytes) && !/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(bytes.toString('latin1'));
}

/**
 * A coding indication field (first of `names` present): its value, or an issue under the name sent when it is sent
 * twice with different values (a form `coding=2&coding=0`) or is not a string or number: guessing could file hex.
 */
function indication(b: Record<string, unknown>, issues: Issues, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = b[n];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    const list = Array.isArray(v) ? (v as unknown[]) : null;
    const scalars = list?.every((x) => typeof x === 'string' || typeof x === 'number') ?? false;
    if (list && scalars && new Set(list.map(String)).size === 1) return String(list[0]);
    issues[n] = { key: list && scalars ? 'conflicting_values' : 'invalid_type' };
    return undefined;
  }
  return undefined;
}

/** Registers the SMS webhook (its own raw-body parsers, so the HMAC covers the exact bytes). */
export async function smsRoutes(
  app: FastifyInstance,
  opts: { services: Services; channels: ChannelOptions },
) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, (req, body, done) => {
    const raw = body as Buffer;
    (req as FastifyRequest).rawBody = raw;
    const type = String(req.headers['content-type'] ?? '');
    try {
      if (type.includes('json')) return done(null, JSON.parse(raw.toString('utf8')));
    } catch {
      return done(new AppError('INVALID_JSON'), undefined);
    }
    // Form bodies: gateways on older modems send ISO-8859-1 (`charset=`); the percent-escapes are bytes in it.
    const charset = /charset="?([\w-]+)/i.exec(type)?.[1] ?? 'utf-8';
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(charset);
    } catch {
      return done(new AppError('UNSUPPORTED_MEDIA_TYPE'), undefined);
    }
    // Read the body byte for byte (latin1 keeps each byte as one character), resolve the escapes to bytes, then
    // decode each value in the declared charset.
    const bytes = (s: string) =>
      s
        .replace(/\+/g, ' ')
        .replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const decode = (s: string) => decoder.decode(Buffer.from(bytes(s), 'latin1'));
    // The bytes too: a gateway may send a UCS-2 text as its raw UTF-16BE bytes (Kannel's `%b`), not as hex.
    (req as FastifyRequest).formBytes = parseQuery(raw.toString('latin1'), '&', '=', {
      decodeURIComponent: bytes,
    });
    return done(null, parseQuery(raw.toString('latin1'), '&', '=', { decodeURIComponent: decode }));
  });
  app.post('/inbound', { schema: { hide: true }, config: { skipCsrf: true } }, async (req) => {
    const sig = req.headers['x-signature'] ?? req.headers['x-aduan-signature'];
    if (
      !validSignature(
        opts.channels.smsGatewaySecret,
        req.rawBody ?? Buffer.alloc(0),
        sig as string | undefined,
      )
    )
      throw new AppError('SIGNATURE_INVALID');
    const b = (req.body ?? {}) as Record<string, unknown>;
    const messageId = pick(b, 'messageId', 'message_id', 'id');
    const from = pick(b, 'from', 'msisdn', 'sender');
    const issues: Issues = {};
    const textField = ['text', 'message', 'body'].find((n) => pick(b, n) !== undefined);
    let text = textField ? pick(b, textField) : undefined;
    const coding = smsCoding({
      charset: indication(b, issues, 'charset', 'Charset'),
      coding: indication(b, issues, 'coding', 'Coding'),
      dataCoding: indication(b, issues, 'data_coding', 'dataCoding', 'dcs'),
    });
    // Decoded only on the gateway's word (never guessed), and refused, not guessed, when it is not whole hex UTF-16:
    // nothing is recorded, so the gateway's corrected retry of the same message id is handled afresh.
    if (text !== undefined && coding === 'ucs2-hex') {
      // In a form, the value's own bytes may be the UTF-16BE (Kannel's `%b`): so when they are not text as they stand
      // (UTF-16BE of Latin, Arabic or emoji has NUL or control bytes, or is not UTF-8). Checked first, since the NULs
      // dropped from "\0C\0A\0F\0E" would leave a hex-looking "CAFE". Else the text is hex.
      const raw = textField ? req.formBytes?.[textField] : undefined;
      const rawBytes = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : null;
      const result = rawBytes && !readableAsIs(rawBytes) ? decodeUtf16be(rawBytes) : decodeUcs2Hex(text);
      if ('problem' in result) issues.text = { key: result.problem };
      else text = plainText(result.text);
    }
    if (!messageId) issues.messageId = { key: 'required' };
    if (!from || from.replace(/\D/g, '').length < 8) issues.from = { key: 'invalid_phone' };
    if (text === undefined) issues.text = { key: 'required' };
    else if (!issues.text && text.length > 1600) issues.text = { key: 'too_long', params: { max: 1600 } };
    if (Object.keys(issues).length) throw invalid(issues);
    const r = await receiveSms(
      opts.services,
      { messageId: messageId!, from: from!, text: text! },
      opts.channels.smsLimits,
      opts.channels.defaultRegion,
    );
    return { status: r.outcome, ...(r.trackingId ? { trackingId: r.trackingId } : {}) };
  });
}
