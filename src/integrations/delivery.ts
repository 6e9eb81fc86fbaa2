/**
 * Delivery adapters for the outbox worker: SMTP (nodemailer), an HTTP SMS gateway, signed agency
 * webhooks and the Ombudsman hand-off endpoint. Every adapter sends the message's idempotency key so
 * that the receiver can drop a redelivery (the worker delivers at least once; docs/worker.md §3).
 */
import { createHash, createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import {
  guardedPost,
  OutboundBlockedError,
  type OutboundOptions,
  type OutboundResponse,
} from './outbound-guard.ts';

/** One email to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Reply-To: a reporter's reply address carrying the report's token (docs/channels.md). */
  replyTo?: string | undefined;
  /**
   * A link that stops this kind of email for the recipient: sent as `List-Unsubscribe` with
   * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 2369, RFC 8058), so a mail client's own "unsubscribe"
   * stops it in one step.
   */
  listUnsubscribe?: string | undefined;
  idempotencyKey: string;
}

/** Sends email; throws on failure (the worker retries). */
export interface Mailer {
  send(msg: MailMessage): Promise<void>;
  close(): void;
}

/** `Message-ID` derived from the idempotency key: the same message always has the same id. */
export function messageIdFor(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@outbox.aduan>`;
}

/**
 * SMTP through nodemailer (`smtp://user:pass@host:port`, `smtps://…`). The idempotency key travels as
 * the Message-ID and an `X-Idempotency-Key` header.
 */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(msg) {
      await transport.sendMail({
        from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html ? { html: msg.html } : {}),
        ...(msg.replyTo ? { replyTo: msg.replyTo } : {}),
        messageId: messageIdFor(msg.idempotencyKey),
        headers: {
          'X-Idempotency-Key': msg.idempotencyKey,
          ...(msg.listUnsubscribe
            ? {
                'List-Unsubscribe': `<${msg.listUnsubscribe}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              }
            : {}),
        },
      });
    },
    close() {
      transport.close();
    },
  };
}

/** `sha256=<hex>` HMAC-SHA256 of the raw body: what receivers verify in `X-Aduan-Signature`. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Error from a receiver; `permanent` failures (4xx except 408/429) go straight to the dead letters. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/**
 * POSTs JSON with `Idempotency-Key` and (with a secret) `X-Aduan-Signature`; a 2xx answer is success.
 * Why one function: the SMS gateway, agency webhooks and the Ombudsman share the same contract.
 */
export async function postSignedJson(
  url: string,
  body: unknown,
  opts: {
    idempotencyKey: string;
    secret?: string | undefined;
    timeoutMs?: number;
    /** Extra headers (e.g. Authorization for the SMS gateway). */
    headers?: Record<string, string>;
    /** Send this exact body instead of JSON.stringify(body) (templated bodies). */
    raw?: string;
    /**
     * URLs configured by people (agency webhooks) go through the SSRF guard: private and local addresses
     * are refused (permanent failure) and the checked address is pinned for the connection.
     */
    guard?: OutboundOptions | undefined;
  },
): Promise<void> {
  const raw = opts.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...opts.headers,
    'idempotency-key': opts.idempotencyKey,
  };
  if (opts.secret) headers['x-aduan-signature'] = signBody(opts.secret, raw);
  if (opts.guard) {
    const answer = await guardedDelivery(url, { headers, body: raw, timeoutMs: opts.timeoutMs }, opts.guard);
    if (answer.status >= 200 && answer.status < 300) return;
    throw new DeliveryError(`POST ${safeHost(url)}: HTTP ${answer.status}`, isPermanentStatus(answer.status));
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body: raw,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
  } catch (e) {
    throw new DeliveryError(`POST ${new URL(url).host}: ${(e as Error).message}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return;
  const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  throw new DeliveryError(`POST ${new URL(url).host}: HTTP ${res.status}`, permanent);
}

/** 4xx other than 408/429: the receiver will never accept this message. */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}

/**
 * One POST through the SSRF guard (src/integrations/outbound-guard.ts), mapped to DeliveryError: a refused
 * address is permanent (dead letter at once), network errors are retried.
 */
export async function guardedDelivery(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs?: number | undefined },
  guard: OutboundOptions,
): Promise<OutboundResponse> {
  try {
    return await guardedPost(
      url,
      { headers: init.headers, body: init.body, timeoutMs: init.timeoutMs },
      guard,
    );
  } catch (e) {
    if (e instanceof OutboundBlockedError) throw new DeliveryError(e.message, true);
    throw new DeliveryError(`POST ${safeHost(url)}: ${(e as Error).message}`);
  }
}

/** How the SMS gateway is called: auth and body template (env SMS_GATEWAY_AUTH, SMS_GATEWAY_TEMPLATE). */
export interface SmsGatewayOptions {
  /** `bearer:<token>` or `basic:<user>:<password>` → the Authorization header. */
  auth?: string | undefined;
  /**
   * A JSON body template with `{to}`, `{text}` and `{idempotencyKey}` placeholders inside string values,
   * e.g. `{"msisdn":"{to}","message":"{text}","ref":"{idempotencyKey}"}`. Values are JSON-escaped.
   * Default: `{ to, text, idempotencyKey }`.
   */
  template?: string | undefined;
}

/** The Authorization header value for `bearer:<token>` / `basic:<user>:<password>` (else undefined). */
export function authHeader(auth: string | undefined): string | undefined {
  if (!auth) return undefined;
  const i = auth.indexOf(':');
  const scheme = auth.slice(0, i).toLowerCase();
  const rest = auth.slice(i + 1);
  if (i > 0 && scheme === 'bearer') return `Bearer ${rest}`;
  if (i > 0 && scheme === 'basic') return `Basic ${Buffer.from(rest).toString('base64')}`;
  throw new Error('SMS_GATEWAY_AUTH must be bearer:<token> or basic:<user>:<password>');
}

/** Fills a JSON body template; throws when the template (or the result) is not valid JSON. */
export function fillSmsTemplate(
  template: string,
  v: { to: string; text: string; idempotencyKey: string },
): string {
  const esc = (s: string) => JSON.stringify(s).slice(1, -1);
  const raw = template
    .replaceAll('{to}', esc(v.to))
    .replaceAll('{text}', esc(v.text))
    .replaceAll('{idempotencyKey}', esc(v.idempotencyKey));
  JSON.parse(raw);
  return raw;
}

/** The SMS gateway adapter: JSON `{ to, text, idempotencyKey }` (or the template), HMAC-signed. */
export function smsGateway(url: string, secret: string | undefined, opts: SmsGatewayOptions = {}) {
  const authorization = authHeader(opts.auth);
  if (opts.template) fillSmsTemplate(opts.template, { to: '', text: '', idempotencyKey: '' });
  return {
    /** Sends one SMS; throws DeliveryError on failure. */
    send(to: string, text: string, idempotencyKey: string): Promise<void> {
      const body = { to, text, idempotencyKey };
      return postSignedJson(url, body, {
        idempotencyKey,
        secret,
        ...(authorization ? { headers: { authorization } } : {}),
        ...(opts.template ? { raw: fillSmsTemplate(opts.template, body) } : {}),
      });
    },
  };
}

/** An SMS sender. */
export type SmsSender = ReturnType<typeof smsGateway>;

/** The transports a worker has; a missing one keeps its channel's rows pending (docs/worker.md). */
export interface Transports {
  mailer?: Mailer | undefined;
  sms?: SmsSender | undefined;
  /** Secret used to sign webhooks when a row names none. */
  webhookSecret?: string | undefined;
  ombudsmanEndpoint?: string | undefined;
  /** The inbound email address; emails to reporters then carry a tokenised Reply-To (docs/channels.md). */
  replyInbound?: string | undefined;
}

/** Builds the transports from configuration. */
export function transportsFromConfig(config: {
  smtpUrl: string | undefined;
  mailFrom: string;
  smsGatewayUrl: string | undefined;
  smsGatewaySecret: string | undefined;
  smsGatewayAuth?: string | undefined;
  smsGatewayTemplate?: string | undefined;
  ombudsmanEndpoint: string | undefined;
  emailInboundAddress?: string | undefined;
}): Transports {
  return {
    mailer: config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : undefined,
    sms: config.smsGatewayUrl
      ? smsGateway(config.smsGatewayUrl, config.smsGatewaySecret, {
          auth: config.smsGatewayAuth,
          template: config.smsGatewayTemplate,
        })
      : undefined,
    webhookSecret: config.smsGatewaySecret,
    ombudsmanEndpoint: config.ombudsmanEndpoint,
    replyInbound: config.emailInboundAddress,
  };
}
