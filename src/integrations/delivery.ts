/**
 * Delivery adapters for the outbox worker: SMTP (nodemailer), an HTTP SMS gateway, signed agency
 * webhooks and the Ombudsman hand-off endpoint. Every adapter sends the message's idempotency key so
 * that the receiver can drop a redelivery (the worker delivers at least once; docs/worker.md §3).
 */
import { createHash, createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

/** One email to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
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
        messageId: messageIdFor(msg.idempotencyKey),
        headers: { 'X-Idempotency-Key': msg.idempotencyKey },
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
  opts: { idempotencyKey: string; secret?: string | undefined; timeoutMs?: number },
): Promise<void> {
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': opts.idempotencyKey,
  };
  if (opts.secret) headers['x-aduan-signature'] = signBody(opts.secret, raw);
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

/** The SMS gateway adapter: JSON `{ to, text, idempotencyKey }`, HMAC-signed. */
export function smsGateway(url: string, secret: string | undefined) {
  return {
    /** Sends one SMS; throws DeliveryError on failure. */
    send(to: string, text: string, idempotencyKey: string): Promise<void> {
      return postSignedJson(url, { to, text, idempotencyKey }, { idempotencyKey, secret });
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
}

/** Builds the transports from configuration. */
export function transportsFromConfig(config: {
  smtpUrl: string | undefined;
  mailFrom: string;
  smsGatewayUrl: string | undefined;
  smsGatewaySecret: string | undefined;
  ombudsmanEndpoint: string | undefined;
}): Transports {
  return {
    mailer: config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : undefined,
    sms: config.smsGatewayUrl ? smsGateway(config.smsGatewayUrl, config.smsGatewaySecret) : undefined,
    webhookSecret: config.smsGatewaySecret,
    ombudsmanEndpoint: config.ombudsmanEndpoint,
  };
}
