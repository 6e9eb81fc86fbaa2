/**
 * A second listener over the same test runtime with the options the channel tests need (Open311 limits,
 * SMS/email secrets), since `startTestApp` builds the app with defaults. Real HTTP, same database.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { startSmtpListener } from '../../src/cli/channels.ts';
import { buildApp, type AppOptions } from '../../src/http/app.ts';
import { startTestApp, type TestApp } from './app.ts';

/** The test runtime plus an app built with extra options. */
export interface ChannelTestApp {
  t: TestApp;
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the runtime (fixed clock) and an app with `extra` options on a random port. */
export async function startChannelApp(
  now: Date,
  extra: Omit<AppOptions, 'services'> = {},
): Promise<ChannelTestApp> {
  const t = await startTestApp({ now });
  const app = await buildApp({
    services: t.runtime.services,
    logLevel: 'silent',
    limits: { submitPerMinute: 1000, loginPerMinute: 1000 },
    open311: { readsPerMinute: 1_000_000, writesPerMinute: 1_000_000 },
    ...extra,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  t.runtime.services.publicUrl = url;
  return {
    t,
    url,
    app,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** Parses Open311 XML the way clients do (no attributes, values as strings). */
export const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: false });

/**
 * Posts a raw body to `/channels/sms/inbound`, signed as the gateway signs it (HMAC-SHA256 of the body with `secret`,
 * header `x-signature: sha256=<hex>`), as JSON or, with `type`, another content type (a form); returns the HTTP
 * status and the parsed JSON answer.
 */
export async function postSms(
  url: string,
  secret: string,
  body: string,
  type = 'application/json',
): Promise<{ status: number; body: any }> {
  const sig = createHmac('sha256', secret).update(body).digest('hex');
  const res = await fetch(`${url}/channels/sms/inbound`, {
    method: 'POST',
    headers: { 'content-type': type, 'x-signature': `sha256=${sig}` },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/**
 * Posts one inbound SMS as JSON (with any extra gateway fields, such as `coding`), signed, and returns the JSON
 * answer (after checking it is 200).
 */
export async function sendSms(
  url: string,
  secret: string,
  message: { messageId: string; from: string; text: string } & Record<string, string | number>,
): Promise<{ status: string; trackingId?: string }> {
  const res = await postSms(url, secret, JSON.stringify(message));
  if (res.status !== 200) throw new Error(`SMS inbound answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { status: string; trackingId?: string };
}

/**
 * Sends one message over real SMTP to a listener started for it on the test runtime (`lapor@aduan.local`, default
 * region Samarinda Ulu unless given), and closes the listener once it is accepted.
 */
export async function mailToListener(
  c: ChannelTestApp,
  message: Mail.Options,
  opts: { defaultRegion?: string } = {},
): Promise<void> {
  const listener = await startSmtpListener(c.t.runtime.services, {
    port: 0,
    address: 'lapor@aduan.local',
    defaultRegion: opts.defaultRegion ?? '64.72.02',
  });
  try {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: listener.port,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail(message);
  } finally {
    await listener.close();
  }
}
