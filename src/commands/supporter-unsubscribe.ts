/**
 * The link in a supporter's update email that stops the updates without signing in (ADR 0015, amendment 1), and the
 * `List-Unsubscribe` header that carries it (RFC 2369, one-click POST per RFC 8058).
 *
 * `/kabar/berhenti?t=<token>`: token = base64url(report uuid ‖ account uuid ‖ first 16 bytes of
 * HMAC-SHA256(key, `unsubscribe:<report id>:<account id>`)), 64 characters. The key is the instance's own
 * (instance-key.ts). The token only ever turns one account's updates on one report off, so it is the same in every
 * email of that report and never expires. It rides in the query, which the request log redacts (src/http/app.ts).
 * A report merged since the email was sent is followed to the report that kept its supporters.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { PUBLIC_STATUSES, type ReportStatus } from '../domain/report/report.ts';
import type { Services } from '../app/context.ts';
import { sealedInstanceKey } from './instance-key.ts';

const KEY = 'notify.unsubscribe_key';

/** The page the link opens (GET: a confirmation form; POST: stops the updates). */
export const UNSUBSCRIBE_PATH = '/kabar/berhenti';

/** How many merges a link follows to the report its support moved to. */
const MAX_MERGES = 10;

const TOKEN = /^[A-Za-z0-9_-]{64}$/;

const mac = (key: Buffer, reportId: string, userId: string) =>
  createHmac('sha256', key).update(`unsubscribe:${reportId}:${userId}`).digest().subarray(0, 16);

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');

function uuidOf(bytes: Buffer): string {
  const x = bytes.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Makes unsubscribe links with the key read once (a fan-out makes one per follower). */
export async function unsubscribeLinker(
  svc: Services,
): Promise<(reportId: string, userId: string, lang: string) => string> {
  const key = await sealedInstanceKey(svc, KEY);
  return (reportId, userId, lang) => {
    const r = reportId.toLowerCase();
    const u = userId.toLowerCase();
    const token = Buffer.concat([uuidBytes(r), uuidBytes(u), mac(key, r, u)]).toString('base64url');
    return `${svc.publicUrl}${UNSUBSCRIBE_PATH}?t=${token}${lang === 'en' ? '&lang=en' : ''}`;
  };
}

/** The unsubscribe link of `userId`'s update emails about report `reportId`, opening in the emails' language. */
export async function supporterUnsubscribeUrl(
  svc: Services,
  reportId: string,
  userId: string,
  lang: string,
): Promise<string> {
  return (await unsubscribeLinker(svc))(reportId, userId, lang);
}

/** The report and account a token names, or null when it is not one this instance made. */
async function openToken(svc: Services, token: string): Promise<{ reportId: string; userId: string } | null> {
  if (!TOKEN.test(token)) return null;
  const b = Buffer.from(token, 'base64url');
  const reportId = uuidOf(b.subarray(0, 16));
  const userId = uuidOf(b.subarray(16, 32));
  const expected = mac(await sealedInstanceKey(svc, KEY), reportId, userId);
  return timingSafeEqual(expected, b.subarray(32, 48)) ? { reportId, userId } : null;
}

/**
 * What an unsubscribe link is about: the report (the one the support lives on now, after any merge), whether the
 * account still gets its updates, and the report's number and title only while the public may see it (the page
 * shows nothing of a report that became confidential or left the public pages). Null for a link this instance did
 * not make or whose report is gone.
 */
export interface UnsubscribeTarget {
  reportId: string;
  userId: string;
  updates: boolean;
  report: { trackingId: string; title: string } | null;
}

/** The reports a link's report became by merges, from itself (depth 0) to the one that kept its supporters. */
const mergeChain = (reportId: string) => sql`
  with recursive chain(id, depth) as (
    select id, 0 from reports where id = ${reportId}
    union all
    select r.duplicate_of_id, c.depth + 1 from chain c join reports r on r.id = c.id
     where r.duplicate_of_id is not null and c.depth < ${MAX_MERGES}
  )`;

async function resolveLink(
  svc: Services,
  token: string,
): Promise<{ linkReportId: string; target: UnsubscribeTarget } | null> {
  const named = await openToken(svc, token);
  if (!named) return null;
  const [row] = await query<{
    id: string;
    tracking_id: string;
    title: string;
    status: string;
    confidential: boolean;
    notify_lang: string | null;
  }>(
    svc.db,
    sql`${mergeChain(named.reportId)}
        select r.id, r.tracking_id, r.title, r.status, r.confidential, s.notify_lang
          from chain c join reports r on r.id = c.id
          left join supports s on s.report_id = r.id and s.supporter_key = ${`user:${named.userId}`}
         order by (s.report_id is null), c.depth desc
         limit 1`,
  );
  if (!row) return null;
  const open = !row.confidential && PUBLIC_STATUSES.includes(row.status as ReportStatus);
  return {
    linkReportId: named.reportId,
    target: {
      reportId: row.id,
      userId: named.userId,
      updates: row.notify_lang !== null,
      report: open ? { trackingId: row.tracking_id, title: row.title } : null,
    },
  };
}

/** Opens a link: see {@link UnsubscribeTarget}. */
export async function unsubscribeTarget(svc: Services, token: string): Promise<UnsubscribeTarget | null> {
  return (await resolveLink(svc, token))?.target ?? null;
}

/**
 * Stops the update emails a link is about (every report of its merge chain), keeping the support. Returns the
 * target as it was before, or null for an invalid link. Stopping twice is not an error.
 */
export async function stopUpdatesByLink(svc: Services, token: string): Promise<UnsubscribeTarget | null> {
  const link = await resolveLink(svc, token);
  if (!link) return null;
  await svc.db.execute(
    sql`${mergeChain(link.linkReportId)}
        update supports set notify_lang = null
         where supporter_key = ${`user:${link.target.userId}`} and notify_lang is not null
           and report_id in (select id from chain)`,
  );
  return link.target;
}
