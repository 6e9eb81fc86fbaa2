/**
 * Repeated submissions: a form sent twice (a double click, a reload, a client retry) must not add the same text twice.
 * Follow-ups (409 DUPLICATE_FOLLOW_UP: each notifies the reporter, a final one restarts the reporter's window) and
 * internal notes (409 DUPLICATE_NOTE) compare with the last event of their type.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { AppDb, Tx } from '../db/client.ts';
import { reportEvents } from '../db/schema.ts';

/** An event identical to the last one of its type within this long is a repeated submission. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/**
 * Whether the last `type` event of the report has the same text (trimmed), was written less than
 * {@link DUPLICATE_WINDOW_MS} before `now`, and matches `opts.sameData` (its data) and `opts.actorUserId` (its
 * author) when given.
 */
export async function repeatsLastEvent(
  db: AppDb | Tx,
  reportId: string,
  type: string,
  body: string,
  now: Date,
  opts: { sameData?: (data: unknown) => boolean; actorUserId?: string | null } = {},
): Promise<boolean> {
  const [last] = await db
    .select({
      body: reportEvents.body,
      data: reportEvents.data,
      actorUserId: reportEvents.actorUserId,
      createdAt: reportEvents.createdAt,
    })
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, reportId), eq(reportEvents.type, type)))
    .orderBy(desc(reportEvents.seq))
    .limit(1);
  if (!last || (last.body ?? '').trim() !== body.trim()) return false;
  if (now.getTime() - last.createdAt.getTime() >= DUPLICATE_WINDOW_MS) return false;
  if (opts.actorUserId !== undefined && last.actorUserId !== opts.actorUserId) return false;
  return opts.sameData ? opts.sameData(last.data) : true;
}
