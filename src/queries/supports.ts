/** Dukungan: which reports one person (account) or device (cookie) supports already. */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { query } from '../db/client.ts';

/**
 * The tracking ids among `trackingIds` that `supporterKey` (`supporterKeyOf`) supports. Pages use it to show
 * "you already support this report" instead of a button that would only answer ALREADY_SUPPORTED.
 */
export async function supportedAmong(
  db: Services['db'],
  supporterKey: string | null | undefined,
  trackingIds: readonly string[],
): Promise<Set<string>> {
  if (!supporterKey || trackingIds.length === 0) return new Set();
  const found = await query<{ tracking_id: string }>(
    db,
    sql`select r.tracking_id from supports s join reports r on r.id = s.report_id
         where s.supporter_key = ${supporterKey}
           and r.tracking_id in (${sql.join(
             trackingIds.map((id) => sql`${id}`),
             sql`, `,
           )})`,
  );
  return new Set(found.map((f) => f.tracking_id));
}

/** Whether `supporterKey` supports one report, and whether it asked for email updates on it (`setSupportUpdates`). */
export async function supportStateOf(
  db: Services['db'],
  supporterKey: string | null | undefined,
  trackingId: string,
): Promise<{ supported: boolean; updates: boolean }> {
  if (!supporterKey) return { supported: false, updates: false };
  const [row] = await query<{ notify_lang: string | null }>(
    db,
    sql`select s.notify_lang from supports s join reports r on r.id = s.report_id
         where s.supporter_key = ${supporterKey} and r.tracking_id = ${trackingId}`,
  );
  return { supported: !!row, updates: !!row?.notify_lang };
}
