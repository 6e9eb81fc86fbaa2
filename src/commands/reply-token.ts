/**
 * Reply tokens for notification emails: `lapor+<token>@…` in a Reply-To maps a reply back to its report.
 * token = hex(report uuid) + first 16 hex of HMAC-SHA256(key, report uuid), all lowercase because some
 * mail systems lowercase local parts; it fits the 64-character local part. The HMAC key is the instance's own
 * (instance-key.ts), so no extra configuration is needed.
 */
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { channelAccess } from '../db/schema.ts';
import { digestEquals } from '../integrations/crypto.ts';
import type { Services } from '../app/context.ts';
import { sealedInstanceKey } from './instance-key.ts';

const KEY = 'channels.reply_token_key';

const replyKey = (svc: Services) => sealedInstanceKey(svc, KEY);

const mac = (key: Buffer, id: string) =>
  createHmac('sha256', key).update(`reply:${id}`).digest('hex').slice(0, 16);

/** Mints the token for a report id (uuid). */
export async function mintReplyToken(svc: Services, reportId: string): Promise<string> {
  const hex = reportId.replace(/-/g, '').toLowerCase();
  return `${hex}${mac(await replyKey(svc), reportId.toLowerCase())}`;
}

/** The reply address for a report: `<local>+<token>@<domain>` from the configured inbound address. */
export async function replyAddress(svc: Services, inbound: string, reportId: string): Promise<string> {
  const [local, domain] = inbound.split('@');
  return `${local}+${await mintReplyToken(svc, reportId)}@${domain}`;
}

/**
 * The Reply-To of an email to a report's reporter, or undefined when a reply could not join the thread: only
 * reports filed by email or SMS keep the access key the channel acts with (`channel_access`).
 */
export async function reporterReplyTo(
  svc: Services,
  inbound: string,
  reportId: string,
): Promise<string | undefined> {
  const [access] = await svc.db
    .select({ reportId: channelAccess.reportId })
    .from(channelAccess)
    .where(eq(channelAccess.reportId, reportId))
    .limit(1);
  return access ? replyAddress(svc, inbound, reportId) : undefined;
}

/** Resolves a token (or a whole address containing `+<token>@`) to a report id, or null. */
export async function resolveReplyToken(svc: Services, tokenOrAddress: string): Promise<string | null> {
  const m = /(?:^|\+)([0-9a-f]{48})(?:@|$)/i.exec(tokenOrAddress.trim());
  if (!m) return null;
  const token = m[1]!.toLowerCase();
  const hex = token.slice(0, 32);
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return digestEquals(mac(await replyKey(svc), id), token.slice(32)) ? id : null;
}
