/**
 * Sign-in with email and password (argon2id), with account lockout after repeated failures, and sessions
 * stored in the database: a cookie session for pages and a bearer token for API clients (the same row kind).
 */
import { and, eq, lt } from 'drizzle-orm';
import { sessions, users } from '../db/schema.ts';
import { actorFor, findUserByEmail } from '../db/repositories/users.ts';
import type { Actor } from '../policies/can.ts';
import { randomToken, sha256 } from '../integrations/crypto.ts';
import { hashPassword, verifyPassword } from '../integrations/passwords.ts';
import type { Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';

/** Failed attempts before the account locks, and for how long. */
export const LOCKOUT = { maxFailures: 5, minutes: 15 };
/** Session lifetime. */
export const SESSION_HOURS = 12;

export interface SignInResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: { id: string; name: string; email: string };
  /** The account still has an admin's temporary password (the back office sends it to the password page). */
  mustChangePassword: boolean;
  /** The signed-in person's grants (where to land after signing in). */
  actor: Actor;
}

let dummyHash: Promise<string> | null = null;

/**
 * ACCOUNT_LOCKED with `params.retryAfter`: whole seconds until the lock ends (the JSON API sends it as
 * `Retry-After` too).
 */
function accountLocked(until: Date, now: Date): AppError {
  return new AppError(
    'ACCOUNT_LOCKED',
    {},
    { retryAfter: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) },
  );
}

/**
 * Verifies credentials and opens a session. Unknown emails cost the same time as wrong passwords. A deactivated
 * account (`users.disabled_at`) answers exactly as an unknown email or a wrong password, whatever the password
 * (docs/security.md "Accounts": no answer tells whether an address has an account, or its state), and its failures
 * are not counted (no lockout to tell it apart either).
 */
export async function signIn(svc: Services, email: string, password: string): Promise<SignInResult> {
  const now = svc.now();
  const user = await findUserByEmail(svc.db, email);
  if (!user || user.disabledAt) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(await dummyHash, password);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (user.lockedUntil && user.lockedUntil > now) throw accountLocked(user.lockedUntil, now);
  if (!(await verifyPassword(user.passwordHash, password))) {
    const failures = user.failedLogins + 1;
    const lock = failures >= LOCKOUT.maxFailures;
    await svc.db
      .update(users)
      .set({
        failedLogins: lock ? 0 : failures,
        lockedUntil: lock ? new Date(now.getTime() + LOCKOUT.minutes * 60_000) : user.lockedUntil,
      })
      .where(eq(users.id, user.id));
    if (lock) throw accountLocked(new Date(now.getTime() + LOCKOUT.minutes * 60_000), now);
    throw new AppError('INVALID_CREDENTIALS');
  }
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  await svc.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ failedLogins: 0, lockedUntil: null, lastActiveAt: now })
      .where(eq(users.id, user.id));
    await tx
      .insert(sessions)
      .values({ id: sha256(token), userId: user.id, kind: 'session', csrfToken, expiresAt });
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lt(sessions.expiresAt, now)));
  });
  return {
    token,
    csrfToken,
    expiresAt,
    user: { id: user.id, name: user.name, email: user.email },
    mustChangePassword: user.mustChangePassword,
    actor: await actorFor(svc.db, user.id),
  };
}

/** Ends a session. */
export async function signOut(svc: Services, token: string): Promise<void> {
  await svc.db.delete(sessions).where(eq(sessions.id, sha256(token)));
}
