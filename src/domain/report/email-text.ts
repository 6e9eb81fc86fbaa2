/**
 * What aduan stores of an inbound email's words (pure; src/commands/receive-email.ts calls it). A filed report's title
 * and body become public once verified and are read by the agency, and a reply joins the agency's timeline and the
 * `reporter_replied` webhooks, so the sender's identity is taken out first:
 *
 * - the signature block is cut: from a line that is only `--` (the RFC 3676 `-- ` delimiter, trailing blanks
 *   ignored) or from a mobile/webmail footer line ("Sent from my iPhone", "Dikirim dari Yahoo Mail", "Get Outlook for
 *   Android", …) to the end of the message or of its part, a forwarded original being a part of its own. A footer
 *   with nothing written above it is only dropped (what follows is the message); a message that is only a signature
 *   leaves nothing (the caller falls back to the subject). Whatever the block held (a name, a phone number, an
 *   address) goes with it; numbers in the message itself are left alone;
 * - the address lines of a forwarded original's header ("From: Name <addr>", "Dari:", "To:", "Kepada:", "Cc:", …)
 *   are dropped;
 * - the sender's own address and display name (3 or more characters) are masked wherever they remain, ignoring case;
 * - private links lose their access key.
 *
 * The mask words are stored content (Indonesian, like the rest of a report), not interface copy.
 */

import { maskNik, NIK_MASK, PII_MASKS } from './pii-hints.ts';
/** Who sent the mail, as the inbound webhook or SMTP listener parsed it. */
export interface EmailSender {
  address: string;
  name?: string | undefined;
}

/** What replaces masked text in stored content. */
export const EMAIL_MASK = {
  email: PII_MASKS.email,
  name: '[nama-disembunyikan]',
  key: '[kunci-disembunyikan]',
  nik: NIK_MASK,
} as const;

/** The title of a filing whose subject and text leave nothing (e.g. a photo sent with only a signature). */
export const FALLBACK_TITLE = 'Laporan melalui email';

/** Lines where a quoted or forwarded original begins (Gmail, Outlook, Apple Mail; English and Indonesian). */
const QUOTE_START =
  /^((On|Pada) .+ (wrote|menulis):|-{2,} ?Original Message ?-{2,}|-{2,} ?Pesan Asli ?-{2,}|-{2,} ?Forwarded message ?-{2,}|Begin forwarded message:|_{10,}|-{10,})$/i;
/** The header lines of a quoted original under its "From:" line. */
const HEADER_LINE = /^(Sent|Date|To|Subject|Dikirim|Tanggal|Kepada|Subjek|Cc):/i;

/**
 * Where a part of a message begins for signature cutting: a quote or forward marker (`QUOTE_START`) and the
 * Indonesian forward markers of Gmail and Apple Mail. A signature block ends there: the forwarded original below a
 * forwarder's signature is the complaint.
 */
const PART_START = /^(-{2,} ?Pesan (terusan|yang diteruskan) ?-{2,}|Awal pesan yang diteruskan:)$/i;

/** Words that make a "Sent from …"/"Dikirim dari …" line a client footer rather than a sentence of the complaint. */
const DEVICE =
  /\b(iphone|ipad|ipod|android|ios|samsung|galaxy|xiaomi|redmi|oppo|vivo|huawei|honor|realme|infinix|nokia|blackberry|tablet|smartphone|ponsel|handphone|perangkat|seluler|mobile|phone|yahoo|outlook|gmail|aol|proton|protonmail|mail)\b/i;
/** "Sent from my iPhone", "Sent with Proton Mail", "Dikirim dari ponsel Samsung", "Dikirim melalui Yahoo Mail". */
const SENT_FROM =
  /^(sent|dikirim|terkirim)\s+(from|via|with|using|on|dari|melalui|lewat|dengan|menggunakan)\s+\S/i;
/** "Get Outlook for Android", "Dapatkan Outlook untuk iOS", "Download Yahoo Mail". */
const GET_APP = /^(get|download|dapatkan|unduh)\s+(the\s+)?(outlook|gmail|yahoo\s*mail|proton\s*mail)\b/i;

/** Whether a line (trimmed) is a mail client's footer. */
export function isFooterLine(line: string): boolean {
  // Link brackets or emphasis from an HTML mail ("Sent from [Yahoo Mail for iPhone]") are not part of the words.
  const bare = line
    .trim()
    .replace(/[[\]*_<>]/g, '')
    .trim();
  // A footer is a short line; a longer one is a sentence of the message that happens to start alike.
  if (!bare || bare.length > 80 || bare.split(/\s+/).length > 12) return false;
  return (SENT_FROM.test(bare) && DEVICE.test(bare)) || GET_APP.test(bare);
}

/** Whether a line is the signature delimiter (`-- `, or `--` as many clients and HTML conversion leave it). */
function isDelimiter(line: string): boolean {
  return line === '--';
}

/** Drops the quoted history of a reply ("> …" lines and everything after "On … wrote:"/"Pada … menulis:"). */
export function stripQuoted(text: string): string {
  const all = text.split(/\r?\n/);
  const lines: string[] = [];
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!.trim();
    if (QUOTE_START.test(line)) break;
    // "On … wrote:" wrapped over two lines by the mail client: the opening line is already kept; drop it.
    if (/(wrote|menulis):$/i.test(line) && /^(On|Pada) /i.test(lines[lines.length - 1]?.trim() ?? '')) {
      lines.pop();
      break;
    }
    // An Outlook-style header block of the quoted original: "From:" followed by "Sent:"/"Date:"/"To:" lines.
    if (/^(From|Dari):/i.test(line) && all.slice(i + 1, i + 4).some((l) => HEADER_LINE.test(l.trim()))) break;
    if (line.startsWith('>')) continue;
    lines.push(all[i]!);
  }
  return lines.join('\n').trim();
}

/**
 * The message without its signature blocks (see the module comment). Each part (the message, then each forwarded or
 * quoted original after a marker line) loses everything from its first delimiter or footer line, once something was
 * written above it; a footer above anything written is dropped alone. Marker lines are kept.
 */
export function cutSignature(text: string): string {
  const out: string[] = [];
  let written = false;
  let inSignature = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    // A forwarded original quoted with "> " signs the same way.
    const unquoted = line.replace(/^(>\s?)+/, '').trim();
    if (QUOTE_START.test(line) || PART_START.test(line)) {
      inSignature = false;
      written = false;
      out.push(raw);
      continue;
    }
    if (inSignature) continue;
    if (isDelimiter(unquoted)) {
      inSignature = true;
      continue;
    }
    if (isFooterLine(unquoted)) {
      if (written) inSignature = true;
      continue;
    }
    if (unquoted) written = true;
    out.push(raw);
  }
  return tidy(out);
}

/** A header line that names people: who sent, who received (English and Indonesian clients; "> " quoted too). */
const ADDRESS_HEADER =
  /^(>\s*)*\**(From|Dari|To|Kepada|Cc|Bcc|Reply-To|Balas ke|Sender|Pengirim|Penerima)\**\s*:/i;
/** Any header line of a forwarded or quoted original. */
const ANY_HEADER =
  /^(>\s*)*\**(From|Dari|To|Kepada|Cc|Bcc|Reply-To|Balas ke|Sender|Pengirim|Penerima|Sent|Date|Subject|Dikirim|Tanggal|Subjek|Perihal)\**\s*:/i;
/**
 * Whether a line carries an email address. Word by word with an anchored pattern, so a long line (a hostile "From:"
 * of megabytes) costs linear time rather than a scan from every position.
 */
function hasAddress(line: string): boolean {
  return (
    line.includes('@') && line.split(/[\s<>"'(),;:[\]]+/).some((w) => /^[^@]+@[^@]+\.[a-z]{2,}$/i.test(w))
  );
}

/**
 * The text without the address lines of a forwarded original's header: a "From:"/"Dari:"/"To:"/"Kepada:"/"Cc:"/…
 * line that carries an email address or sits in a header block (next to another header line), and the wrapped
 * continuation lines of such a line that carry more addresses. A sentence that merely starts with "Dari:" stays.
 */
export function dropForwardedHeaders(text: string): string {
  const all = text.split(/\r?\n/);
  const nonBlank = (from: number, step: 1 | -1) => {
    for (let i = from + step; i >= 0 && i < all.length; i += step) if (all[i]!.trim()) return all[i]!.trim();
    return '';
  };
  const out: string[] = [];
  let dropping = false;
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!.trim();
    if (ADDRESS_HEADER.test(line)) {
      dropping = hasAddress(line) || ANY_HEADER.test(nonBlank(i, -1)) || ANY_HEADER.test(nonBlank(i, 1));
      if (dropping) continue;
    } else if (dropping && line && !ANY_HEADER.test(line) && hasAddress(line)) continue;
    else dropping = false;
    out.push(all[i]!);
  }
  return tidy(out);
}

/** `s` as a literal inside a regular expression. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text with the sender's address and display name masked, ignoring case. The name is masked as a whole (its words
 * in order, any spacing or line break between them) and only where it stands as words of its own; a name shorter than
 * 3 characters or with no letter or digit is left alone (it would mask ordinary words).
 */
export function maskSender(text: string, sender: EmailSender): string {
  let out = text;
  const address = sender.address.trim();
  if (address) out = out.replace(new RegExp(escapeRegExp(address), 'gi'), EMAIL_MASK.email);
  const name = (sender.name ?? '').trim().replace(/\s+/g, ' ');
  if ([...name].length >= 3 && /[\p{L}\p{N}]/u.test(name)) {
    const words = name.split(' ').map(escapeRegExp).join('\\s+');
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'giu'), EMAIL_MASK.name);
  }
  return out;
}

/** The text with the access key of private links (`?k=…`) masked. */
export function maskAccessKeys(text: string): string {
  return text.replace(/([?&]k=)[A-Za-z0-9_-]+/g, `$1${EMAIL_MASK.key}`);
}

/**
 * What is stored of a reply: the quoted original stripped (`stripQuoted`), the signature cut, forwarded address lines
 * dropped, private-link keys and the sender's address and name masked, so none of it reaches the agency however the
 * mail client quoted or signed.
 */
export function replyText(text: string, sender: EmailSender): string {
  return maskSender(personalDataOut(stripQuoted(text)), sender).trim();
}

/** A subject as stored (reply or filing): trimmed, keys, NIKs and the sender masked. */
export function subjectText(subject: string, sender: EmailSender): string {
  return maskSender(maskNik(maskAccessKeys(subject.trim())), sender).trim();
}

/**
 * The title and body of a report filed by email. Body: the text without signature and forwarded address lines, keys
 * and the sender masked; title: the subject (masked), else the body's first line (80 characters). A body left empty
 * (the message was only a signature) is the title, and a title left empty is `FALLBACK_TITLE`: the complaint is
 * never refused for what was taken out. Lengths are the caller's to cap.
 */
export function filingText(
  subject: string,
  text: string,
  sender: EmailSender,
): { title: string; body: string } {
  const body = maskSender(personalDataOut(text), sender).trim();
  const firstLine = body
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean);
  const title = subjectText(subject, sender) || firstLine?.slice(0, 80).trim() || FALLBACK_TITLE;
  return { title, body: body || title };
}

/** A closing line after which a writer signs: "Hormat saya,", "Salam,", "Terima kasih atas perhatiannya.", "Regards,". */
const SIGN_OFF =
  /^(hormat\s+(saya|kami)|salam(\s+(hormat|sejahtera|hangat))?|wassalam\S*(\s.{0,40})?|terima\s*kasih\b.{0,40}|(best\s+|kind\s+|warm\s+)?regards|thanks|thank\s+you\b.{0,30}|sincerely(\s+yours)?|tabik)[\s.,!]*$/i;

/** A line of contact data: a long number (phone, NIK), an address, or a contact label. */
const CONTACT_LINE =
  /(\d[\s.-]?){8,}|@|^(hp|telp|tel|telepon|wa|whatsapp|no\.?\s*hp|nik|alamat|jl\.|jalan)\b/i;

/** Whether the lines under a sign-off are a signature: contact data, or up to 3 short name-like lines. */
function signatureBlock(after: string[]): boolean {
  if (after.length === 0 || after.length > 8 || after.some((l) => l.length > 80)) return false;
  if (after.some((l) => CONTACT_LINE.test(l))) return true;
  return after.length <= 3 && after.every((l) => l.split(/\s+/).length <= 4 && !/[.?!]$/.test(l));
}

/**
 * The text without the signature under a closing line ("Hormat saya," then a name, NIK, phone, address), when
 * something is written above it. The sign-off itself stays. Why: an anonymous email reporter signs like any letter
 * writer, the body becomes public once verified, and email has no form to warn the writer first (the web form does).
 * Lines that read as more complaint (longer sentences, no contact data) are kept.
 */
export function cutSignOff(text: string): string {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i > 0; i--) {
    if (!SIGN_OFF.test(lines[i]!.trim().replace(/^(>\s?)+/, ''))) continue;
    const after = lines
      .slice(i + 1)
      .map((l) => l.trim().replace(/^(>\s?)+/, ''))
      .filter(Boolean);
    const before = lines.slice(0, i).some((l) => l.trim());
    return before && signatureBlock(after) ? tidy(lines.slice(0, i + 1)) : text;
  }
  return text;
}

/** What is removed from any stored email text: signature block, sign-off block, NIKs, forwarded address lines, keys. */
function personalDataOut(text: string): string {
  return maskNik(maskAccessKeys(cutSignOff(cutSignature(dropForwardedHeaders(text)))));
}

/** Lines joined and trimmed. */
function tidy(lines: string[]): string {
  return lines.join('\n').trim();
}

/** A mail part as the SMTP listener (mailparser) or an inbound-parse webhook describes it. */
export interface MailPart {
  contentDisposition?: string | undefined;
  /** The Content-ID, with or without its angle brackets (mailparser: `cid` without, `contentId` with). */
  cid?: string | undefined;
  contentId?: string | undefined;
  /** mailparser: the part sits in a `multipart/related` (a resource of the HTML body) and has a Content-ID. */
  related?: boolean | undefined;
  contentType?: string | undefined;
  content?: Uint8Array | undefined;
}

/** A Content-ID or a `cid:` URL's id as compared: no angle brackets, URL-decoded (RFC 2392), lower case. */
function cidKey(raw: string): string {
  let id = raw.trim().replace(/^<|>$/g, '').trim();
  try {
    id = decodeURIComponent(id);
  } catch {
    // Not URL-encoded after all: compared as written.
  }
  return id.toLowerCase();
}

/** The Content-IDs an HTML body shows (`src="cid:…"`, also in CSS `url(cid:…)`), as `cidKey`s. */
export function htmlCids(html: string): Set<string> {
  const out = new Set<string>();
  for (const m of html.matchAll(/\bcid:([^'"\s<>()]{1,256})/gi)) out.add(cidKey(m[1]!));
  return out;
}

/**
 * Whether a mail part is an image of the message body rather than a file the sender attached: an image the HTML body
 * shows by its Content-ID (`<img src="cid:…">`, brackets and case aside: a signature logo, the sender's photo, a
 * letterhead), including where the SMTP listener's parser already turned that reference into the image itself (the
 * part is in a `multipart/related`, or its bytes appear in the HTML as a `data:` URL). `Content-Disposition: inline`
 * alone does not make one: Apple Mail and phone clients send the photos a citizen attaches that way, shown under the
 * text, with no reference in the HTML. Such images are stored marked and withheld on an anonim report
 * (receive-email.ts); an attached file is not.
 */
export function isInlinePart(part: MailPart, html: string): boolean {
  const cid = part.cid ?? part.contentId;
  if (cid && cidKey(cid)) {
    if (part.related === true) return true;
    if (htmlCids(html).has(cidKey(cid))) return true;
  }
  if (part.content && part.contentType && /^image\//i.test(part.contentType) && html.includes('data:')) {
    const url = `data:${part.contentType};base64,${Buffer.from(part.content).toString('base64')}`;
    if (html.includes(url)) return true;
  }
  return false;
}
