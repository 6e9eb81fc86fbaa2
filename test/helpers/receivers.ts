/**
 * Real local receivers for delivery tests: an SMTP server (smtp-server + mailparser) and an HTTP
 * endpoint standing in for the SMS gateway / webhooks / Ombudsman. Both de-duplicate by idempotency key,
 * as the delivery contract requires of receivers (docs/worker.md).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { Services } from '../../src/app/context.ts';
import { smtpMailer, type Transports } from '../../src/integrations/delivery.ts';
import { processRow, startWorker } from '../../src/jobs/worker.ts';
import { claimDeliveries } from '../../src/commands/outbox-delivery.ts';
import { RESET_REQUEST_CHANNEL } from '../../src/commands/password-reset.ts';

/** One received email. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  idempotencyKey: string;
  /** Every header as sent (lower-case name → unfolded value; the last one of a name wins). */
  rawHeaders: Record<string, string>;
}

/** Starts an SMTP server on a random port. */
export async function startSmtp(opts: { refuse?: RegExp } = {}) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Refuses matching recipients the way Postfix does, quoting the address.
    onRcptTo(address, _session, cb) {
      if (!opts.refuse?.test(address.address)) return cb();
      const e = Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
        responseCode: 550,
      });
      cb(e);
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (m) => {
          const to = Array.isArray(m.to) ? m.to[0]?.text : m.to?.text;
          mails.push({
            to: to ?? '',
            subject: m.subject ?? '',
            text: m.text ?? '',
            messageId: m.messageId ?? '',
            idempotencyKey: String(m.headers.get('x-idempotency-key') ?? ''),
            rawHeaders: Object.fromEntries(
              m.headerLines.map((l) => [
                l.key,
                l.line
                  .slice(l.line.indexOf(':') + 1)
                  .replace(/\r?\n[ \t]+/g, ' ')
                  .trim(),
              ]),
            ),
          });
          cb();
        },
        (e: Error) => cb(e),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** Unique mails by idempotency key (what the recipient sees). */
    unique: () => [...new Map(mails.map((m) => [m.idempotencyKey, m])).values()],
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** One received HTTP request. */
export interface ReceivedPost {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  duplicate: boolean;
}

/** Starts an HTTP receiver; `behave` can delay or fail requests. */
export async function startHttpReceiver(
  behave: (req: ReceivedPost, n: number) => Promise<number> | number = () => 200,
) {
  const posts: ReceivedPost[] = [];
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const key = String(req.headers['idempotency-key'] ?? '');
      const post: ReceivedPost = {
        path: req.url ?? '/',
        headers: req.headers,
        raw,
        body: raw ? JSON.parse(raw) : null,
        duplicate: seen.has(key),
      };
      const status = await behave(post, posts.length);
      if (status >= 200 && status < 300) {
        seen.add(key);
        posts.push(post);
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    accepted: () => posts.filter((p) => !p.duplicate),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * A worker for the integration tests that deliver webhooks to a local receiver: no mail or SMS transport, started by
 * hand (`drain()`), no sweeper, and a 1 s retry backoff so a test can move the clock past one retry.
 */
export function startIntegrationWorker(svc: Services): ReturnType<typeof startWorker> {
  return startWorker(svc, { transports: {}, autoStart: false, sweepEveryMs: 0, baseBackoffMs: 1000 });
}

/**
 * Runs every pending outbox row once through a worker with the given transports, then stops it. With none (the
 * default), fan-out rows become per-recipient rows and deliveries with no transport stay pending: what a delivery log
 * shows before anything is sent.
 */
export async function drainOutboxOnce(svc: Services, transports: Transports = {}): Promise<void> {
  const worker = await startWorker(svc, { transports, autoStart: false, sweepEveryMs: 0 });
  try {
    await worker.drain();
  } finally {
    await worker.stop();
  }
}

/** Delivers every pending outbox row once through a mail-only worker to the SMTP server at `smtpUrl`, then stops it. */
export async function deliverMailOnce(svc: Services, smtpUrl: string): Promise<void> {
  await drainOutboxOnce(svc, { mailer: smtpMailer(smtpUrl, 'aduan <noreply@aduan.test>') });
}

/**
 * Runs the worker's half of the pending password-reset requests (outbox channel `account`) without sending mail: the
 * links are issued and their emails queued (kind `account.password_reset`, text sealed). Returns how many requests.
 */
export async function resolveResetRequests(svc: Services): Promise<number> {
  const rows = await claimDeliveries(svc, {
    limit: 100,
    leaseMs: 60_000,
    channels: [RESET_REQUEST_CHANNEL],
  });
  for (const row of rows) await processRow(svc, row, { transports: {} });
  return rows.length;
}
