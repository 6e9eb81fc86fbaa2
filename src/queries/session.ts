/** Resolves a session token (cookie or bearer) to the signed-in user and their grants. */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { actorFor } from '../db/repositories/users.ts';
import { sha256 } from '../integrations/crypto.ts';
import type { Actor } from '../policies/can.ts';

export interface SessionInfo {
  actor: Actor;
  user: { id: string; name: string; email: string };
  csrfToken: string;
  /** The account still has the temporary password an admin set: only the password page is open. */
  mustChangePassword: boolean;
}

/**
 * The live session for a token, or null when unknown, expired, or its account deactivated (deactivating deletes the
 * sessions too; this holds even for one opened in the same instant).
 */
export async function resolveSession(db: AppDb, token: string, now: Date): Promise<SessionInfo | null> {
  const [row] = await db
    .select({
      userId: sessions.userId,
      csrfToken: sessions.csrfToken,
      name: users.name,
      email: users.email,
      mustChangePassword: users.mustChangePassword,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sha256(token)), gt(sessions.expiresAt, now), isNull(users.disabledAt)))
    .limit(1);
  if (!row) return null;
  return {
    actor: await actorFor(db, row.userId),
    user: { id: row.userId, name: row.name, email: row.email },
    csrfToken: row.csrfToken,
    mustChangePassword: row.mustChangePassword,
  };
}
