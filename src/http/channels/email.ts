/**
 * POST /channels/email/inbound: the common inbound-parse webhook shape (`from`, `to`, `subject`, `text`,
 * attachments) as multipart/form-data (file parts are attachments) or JSON (`attachments: [{filename,
 * content (base64)}]`). Authenticated with HTTP Basic auth whose password is the inbound secret, as
 * inbound-parse services configure it in the webhook URL.
 */
import { convert } from 'html-to-text';
import { plainText } from '../../domain/shared/text.ts';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../app/context.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { receiveEmail, type EmailAttachment, type InboundEmail } from '../../commands/receive-email.ts';
import { isInlinePart } from '../../domain/report/email-text.ts';
import type { ChannelOptions } from './sms.ts';

/** Parses `Name <addr@x>` or a bare address. */
export function parseAddress(raw: string): { address: string; name?: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(raw);
  if (m) return { address: m[2]!.trim(), ...(m[1]!.trim() ? { name: m[1]!.trim() } : {}) };
  return { address: raw.trim() };
}

function authorised(req: FastifyRequest, secret: string | undefined): boolean {
  const h = req.headers.authorization;
  if (!secret || !h?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(h.slice(6), 'base64').toString('utf8');
  const password = Buffer.from(decoded.slice(decoded.indexOf(':') + 1));
  const expected = Buffer.from(secret);
  return password.length === expected.length && timingSafeEqual(password, expected);
}

/**
 * The file fields an inbound-parse service names as images of the body: its map of Content-IDs to file fields
 * (`content-ids` {cid: field} as SendGrid sends it, `content-id-map` {"<cid>": field} as Mailgun does).
 */
function inlineFields(fields: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const name of ['content-ids', 'content-id-map']) {
    const raw = fields[name];
    if (typeof raw !== 'string' || !raw.trim()) continue;
    try {
      const map = JSON.parse(raw) as unknown;
      if (map && typeof map === 'object')
        for (const v of Object.values(map)) if (typeof v === 'string') out.add(v);
    } catch {
      // A map that is not JSON names no field: its files stay ordinary attachments.
    }
  }
  return out;
}

async function readMail(
  req: FastifyRequest,
): Promise<Record<string, unknown> & { files: EmailAttachment[] }> {
  if (req.isMultipart()) {
    const out: Record<string, unknown> & { files: EmailAttachment[] } = { files: [] };
    const fieldOf = new Map<EmailAttachment, string>();
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (!data.length) continue;
          const file: EmailAttachment = { filename: plainText(part.filename || 'lampiran'), data };
          out.files.push(file);
          fieldOf.set(file, part.fieldname);
        } else out[part.fieldname] = plainText(String(part.value));
      }
    } catch (e) {
      // A truncated or malformed multipart body is the sender's fault (400); size limits keep their 413.
      if (e instanceof AppError || (e as { statusCode?: number }).statusCode) throw e;
      throw new AppError('BAD_REQUEST');
    }
    const inline = inlineFields(out);
    for (const file of out.files) if (inline.has(fieldOf.get(file)!)) file.inline = true;
    return out;
  }
  const raw = req.body ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new AppError('BAD_REQUEST');
  const b = raw as Record<string, unknown>;
  if (b.attachments !== undefined && !Array.isArray(b.attachments))
    throw invalid({ attachments: { key: 'invalid_type' } });
  const html = ['html', 'body-html', 'stripped-html']
    .map((k) => (typeof b[k] === 'string' ? b[k] : ''))
    .join('\n');
  const files = ((b.attachments ?? []) as unknown[]).map((a): EmailAttachment => {
    const f = a as {
      filename?: unknown;
      content?: unknown;
      inline?: unknown;
      disposition?: unknown;
      contentId?: unknown;
    } | null;
    if (!f || typeof f !== 'object' || typeof f.content !== 'string')
      throw invalid({ attachments: { key: 'invalid_type' } });
    // An image of the body: flagged `inline` by the provider, or a Content-ID the HTML shows (a disposition `inline`
    // alone is an attached photo as Apple Mail sends one: isInlinePart).
    const part = {
      contentDisposition: typeof f.disposition === 'string' ? f.disposition : undefined,
      cid: typeof f.contentId === 'string' ? f.contentId : undefined,
    };
    return {
      filename: typeof f.filename === 'string' && f.filename ? f.filename : 'lampiran',
      data: Buffer.from(f.content, 'base64'),
      inline: f.inline === true || isInlinePart(part, html),
    };
  });
  return { ...b, files };
}

/** Turns the webhook fields into an InboundEmail. */
export function toInboundEmail(f: Record<string, unknown>, files: EmailAttachment[]): InboundEmail {
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const headers = str('headers');
  const messageId = str('message_id') || str('messageId') || /^Message-ID:\s*(.+)$/im.exec(headers)?.[1];
  const to = [str('to'), str('recipient'), str('envelope_to')]
    .join(',')
    .split(',')
    .map((x) => parseAddress(x).address)
    .filter(Boolean);
  return {
    messageId: messageId?.trim() || undefined,
    from: parseAddress(str('from') || str('sender')),
    to,
    subject: str('subject'),
    // An HTML-only message (many phones and webmail send one) keeps its words: the HTML as plain text.
    text:
      str('text') ||
      str('body-plain') ||
      str('stripped-text') ||
      htmlAsText(str('html') || str('body-html') || str('stripped-html')),
    attachments: files,
  };
}

/** Registers the email webhook. */
export async function emailRoutes(
  app: FastifyInstance,
  opts: { services: Services; channels: ChannelOptions },
) {
  app.post('/inbound', { schema: { hide: true }, config: { skipCsrf: true } }, async (req) => {
    if (!authorised(req, opts.channels.emailInboundSecret)) throw new AppError('SIGNATURE_INVALID');
    const { files, ...fields } = await readMail(req);
    const mail = toInboundEmail(fields, files);
    if (!mail.from.address) throw invalid({ from: { key: 'required' } });
    if (!mail.subject.trim() && !mail.text.trim()) throw invalid({ text: { key: 'required' } });
    const r = await receiveEmail(opts.services, mail, undefined, opts.channels.defaultRegion);
    return { status: r.outcome, ...(r.trackingId ? { trackingId: r.trackingId } : {}) };
  });
}

/** The words of an HTML mail body (links kept as text, images dropped), or '' for none. */
function htmlAsText(html: string): string {
  if (!html.trim()) return '';
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  }).trim();
}
