/**
 * CLI for the intake channels: `aduan open311 key create --name NAME [--agency ID]` (prints the key once;
 * only its hash is stored, D12), `aduan open311 service-type CODE realtime|batch|blackbox`, and
 * `aduan smtp [--port N] [--address lapor@domain]`: an SMTP listener that feeds received mail to the
 * same command as the inbound-email webhook, and `aduan sms keyword AGENCY KEYWORD|--clear` /
 * `aduan sms keywords [--json]`: the SMS keywords that route `<KEYWORD> <text>` to an agency or region.
 */
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { openRuntime, type Runtime } from '../runtime.ts';
import type { Services } from '../app/context.ts';
import { createApiKey } from '../commands/create-api-key.ts';
import { setOpen311ServiceType } from '../commands/set-open311-service-type.ts';
import { receiveEmail } from '../commands/receive-email.ts';
import { isInlinePart } from '../domain/report/email-text.ts';
import type { ServiceType } from '../queries/open311.ts';
import { listSmsKeywords, setSmsKeyword } from '../commands/set-sms-keyword.ts';
import { AppError } from '../app/errors.ts';
import { stopOnSignals } from './shutdown.ts';
import { loggableErrorText } from '../integrations/error-log.ts';
import { t } from '../locales/index.ts';
import { cliLanguage, type Config } from '../config.ts';
import { say, usageOf } from './messages.ts';

/** `aduan sms …`; returns the exit code (0 done, 1 refused, 2 usage). */
export async function smsCli(
  config: Config,
  args: string[],
  open: () => Promise<Runtime> = () => openRuntime(config),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { clear: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`aduan sms: ${(e as Error).message}\n${usageOf('sms')}`);
    return 2;
  }
  const { values, positionals: p } = parsed;
  const setting = p[0] === 'keyword' && p[1] && (values.clear ? p.length === 2 : p.length === 3);
  if (!setting && !(p[0] === 'keywords' && p.length === 1)) {
    console.error(usageOf('sms'));
    return 2;
  }
  const rt = await open();
  try {
    if (p[0] === 'keywords') {
      const rows = await listSmsKeywords(rt.services);
      if (values.json) console.log(JSON.stringify(rows));
      else
        for (const r of rows)
          console.log(
            `${r.keyword}\t${r.agencyId}\t${r.agencyName}${r.active ? '' : ` ${say('agencies.inactive')}`}`,
          );
      return 0;
    }
    const word = await setSmsKeyword(rt.services, p[1]!, values.clear ? null : p[2]!);
    console.log(
      word
        ? say('sms.keyword_set', { keyword: word, agency: p[1]! })
        : say('sms.keyword_cleared', { agency: p[1]! }),
    );
    return 0;
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      for (const [field, issue] of Object.entries(err.fields))
        console.error(`aduan sms: ${field}: ${t(cliLanguage(), `errors.field.${issue.key}`, issue.params)}`);
      return 1;
    }
    throw err;
  } finally {
    await rt.close();
  }
}

/** `aduan open311 …`; returns the exit code. */
export async function open311Cli(
  config: Config,
  args: string[],
  open: () => Promise<Runtime> = () => openRuntime(config),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { name: { type: 'string' }, agency: { type: 'string' } },
    allowPositionals: true,
  });
  const rt = await open();
  try {
    if (positionals[0] === 'key' && positionals[1] === 'create' && values.name) {
      const k = await createApiKey(rt.services, { name: values.name, agencyId: values.agency });
      console.log(`${say('open311.key_created', { name: values.name })}\n${k.key}`);
      return 0;
    }
    if (positionals[0] === 'service-type' && positionals[1] && positionals[2]) {
      await setOpen311ServiceType(rt.services, positionals[1], positionals[2] as ServiceType);
      console.log(say('open311.service_type_set', { code: positionals[1], type: positionals[2] }));
      return 0;
    }
    console.error(usageOf('open311'));
    return 2;
  } finally {
    await rt.close();
  }
}

/** An SMTP listener accepting mail for `address` (and its `+token` variants); resolves once listening. */
export async function startSmtpListener(
  svc: Services,
  opts: {
    port: number;
    host?: string;
    address: string;
    maxBytes?: number;
    defaultRegion?: string | undefined;
    /** Where a failure on aduan's side (answered 451) is logged; the error reduced by `loggableErrorText`. */
    logError?: (line: string) => void;
  },
): Promise<{ server: SMTPServer; port: number; close(): Promise<void> }> {
  const [local, domain] = opts.address.toLowerCase().split('@');
  const accepts = (rcpt: string) => {
    const [l = '', d = ''] = rcpt.toLowerCase().split('@');
    return d === domain && (l === local || l.startsWith(`${local}+`));
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxBytes ?? 15 * 1024 * 1024,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (accepts(address.address)) return cb();
      return cb(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then(async (mail) => {
          const from = mail.from?.value[0];
          await receiveEmail(
            svc,
            {
              messageId: mail.messageId,
              from: { address: from?.address ?? String(session.envelope.mailFrom || ''), name: from?.name },
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              attachments: mail.attachments.map((a) => ({
                filename: a.filename ?? 'lampiran',
                data: a.content,
                inline: isInlinePart(a, mail.html || ''),
              })),
            },
            undefined,
            opts.defaultRegion,
          );
          cb();
        })
        .catch((e: unknown) => {
          const refusal = smtpRefusal(e);
          // Only our own failures are logged, as the error reduced for logs (no sender, no bound values).
          if (refusal.responseCode === 451)
            (opts.logError ?? console.error)(
              `aduan smtp: mail kept for retry (451): ${loggableErrorText(e)}`,
            );
          cb(refusal);
        });
    },
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { server, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The SMTP answer to a mail that could not be taken. A mail aduan refuses (an invalid sender: an `AppError`) is a
 * permanent 554, so the sender's server bounces it; anything else (the database unreachable, a crash half way) is a
 * temporary 451, so the sender's server keeps the mail and tries again (RFC 5321 4.2.1) instead of bouncing a complaint
 * that was never stored. The text names no internal detail: it reaches the sender in the bounce.
 */
export function smtpRefusal(e: unknown): Error & { responseCode: 451 | 554 } {
  if (e instanceof AppError)
    return Object.assign(new Error(`Rejected: ${e.code}`), { responseCode: 554 as const });
  return Object.assign(new Error('Temporary local problem, please try again later'), {
    responseCode: 451 as const,
  });
}

/** `aduan smtp`: runs the listener until stopped. */
export async function smtpCli(
  config: Config,
  args: string[],
  open: () => Promise<Runtime> = () => openRuntime(config),
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '2525' },
      address: { type: 'string', default: 'lapor@aduan.local' },
    },
  });
  const rt = await open();
  const smtp = await startSmtpListener(rt.services, {
    port: Number(values.port),
    address: values.address!,
    defaultRegion: config.intakeRegion,
  });
  stopOnSignals(async () => {
    await smtp.close();
    await rt.close();
    process.exit(0);
  });
  console.log(say('smtp.listening', { address: values.address!, where: `127.0.0.1:${smtp.port}` }));
  return -1;
}
