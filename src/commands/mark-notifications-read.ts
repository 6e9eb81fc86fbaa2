/** Marks a user's in-app notifications read: the given ids, or all of them. */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { notifications } from '../db/schema.ts';
import type { Services } from '../app/context.ts';

/** Which notifications to mark. */
export interface MarkReadInput {
  ids?: number[] | undefined;
  all?: boolean | undefined;
}

/** Sets read_at on the user's own unread notifications; returns how many changed. */
export async function markNotificationsRead(
  svc: Services,
  userId: string,
  input: MarkReadInput,
): Promise<number> {
  if (!input.all && !input.ids?.length) return 0;
  const rows = await svc.db
    .update(notifications)
    .set({ readAt: svc.now() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        input.all ? undefined : inArray(notifications.id, input.ids!),
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}
