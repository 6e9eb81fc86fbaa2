/**
 * Password change for a signed-in person: the current password, then the new one twice. The new hash is
 * argon2id; every OTHER session and API token of the user is deleted (a stolen session dies with the old
 * password), the current one stays so the person is not signed out mid-task.
 */
import { and, eq, ne } from 'drizzle-orm';
import { sessions, users } from '../db/schema.ts';
import { findUser } from '../db/repositories/users.ts';
import { sha256 } from '../integrations/crypto.ts';
import { hashPassword, verifyPassword } from '../integrations/passwords.ts';
import type { Services } from '../app/context.ts';
import { AppError, invalid, throwIfInvalid, type FieldIssue } from '../app/errors.ts';

/** Length bounds of a new password (NIST SP 800-63B: length over composition rules). */
export const PASSWORD_RULES = { min: 10, max: 200 };

/** Field issues of a new password and its confirmation (empty when fine). */
export function newPasswordIssues(
  password: string,
  confirm: string,
  field = 'newPassword',
): Record<string, FieldIssue> {
  const out: Record<string, FieldIssue> = {};
  if (!password) out[field] = { key: 'required' };
  else if (password.length < PASSWORD_RULES.min)
    out[field] = { key: 'too_short', params: { min: PASSWORD_RULES.min } };
  else if (password.length > PASSWORD_RULES.max)
    out[field] = { key: 'too_long', params: { max: PASSWORD_RULES.max } };
  else if (password !== confirm) out[`${field}Confirm`] = { key: 'password_mismatch' };
  return out;
}

/** The password change. `currentToken` is the session that stays open. */
export interface ChangePasswordInput {
  userId: string;
  currentToken: string;
  currentPassword: string;
  newPassword: string;
  newPasswordConfirm: string;
}

/** Changes the password and closes the user's other sessions; returns how many were closed. */
export async function changePassword(svc: Services, input: ChangePasswordInput): Promise<number> {
  const fields = newPasswordIssues(input.newPassword, input.newPasswordConfirm);
  if (!input.currentPassword) fields.currentPassword = { key: 'required' };
  throwIfInvalid(fields);
  const user = await findUser(svc.db, input.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw invalid({ currentPassword: { key: 'password_wrong' } });
  if (input.currentPassword === input.newPassword) throw invalid({ newPassword: { key: 'password_same' } });
  const passwordHash = await hashPassword(input.newPassword);
  return svc.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, mustChangePassword: false })
      .where(eq(users.id, user.id));
    const closed = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, user.id), ne(sessions.id, sha256(input.currentToken))))
      .returning({ id: sessions.id });
    return closed.length;
  });
}
