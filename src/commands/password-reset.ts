/**
 * "Lupa kata sandi": self-service password reset by email, for citizens and staff alike (docs/security.md
 * "Password reset").
 *
 * - A request names an email address and always ends the same way for the caller (no account enumeration), after
 *   the same work for any address: one outbox row holding the sealed address, nothing looked up (so the timing does
 *   not tell either). The worker resolves it: only an existing, active (not deactivated) account gets an email; it
 *   holds a single-use link with 32 random bytes, of which only the sha256 is stored in `account_tokens` (purpose
 *   `reset_password`), valid for RESET_MINUTES from when the worker issues it. A newer request voids every older
 *   unused link of the account.
 * - The email leaves through the outbox with the address sealed (as the registration email) and its text sealed too
 *   (it holds the link, as a staff invitation's does), in the account's language: its notification preference when
 *   it has one, else the language of the request.
 * - Confirming sets a new argon2id hash, consumes the token (and voids any other), clears `must_change_password`
 *   and the sign-in lockout, and deletes every session and API token of the account. The link proves the address:
 *   a citizen account that was never verified (no role at all) is verified by it (gets `citizen`). For a staff
 *   account an administration-log entry `account.password_reset` is written, the account itself as the actor.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { query } from '../db/client.ts';
import { accountTokens, notificationPreferences, outbox, roleGrants, sessions, users } from '../db/schema.ts';
import { enqueueOutbox, markOutboxSent, type OutboxRow } from '../db/repositories/outbox.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import { consumeAccountToken, findUserByEmail } from '../db/repositories/users.ts';
import { randomToken, sha256 } from '../integrations/crypto.ts';
import { hashPassword } from '../integrations/passwords.ts';
import { t, type Lang } from '../locales/index.ts';
import type { Services } from '../app/context.ts';
import { invalid, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { newPasswordIssues } from './change-password.ts';

/** How long a reset link stays valid. */
export const RESET_MINUTES = 60;

/** The `account_tokens.purpose` of a reset link. */
export const RESET_PURPOSE = 'reset_password';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{40,100}$/;

function bilingual(key: string, params: Record<string, string | number>, first: Lang): string {
  const other: Lang = first === 'id' ? 'en' : 'id';
  return `${t(first, key, params)}\n\n---\n\n${t(other, key, params)}`;
}

/** Normalises and checks the requested address (a malformed one is a field error: it reveals nothing). */
export function resetEmailOf(raw: string): string {
  const email = raw.trim().toLowerCase();
  const fields: Record<string, FieldIssue> = {};
  if (!email) fields.email = { key: 'required' };
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 200)
    fields.email = { key: 'invalid_email' };
  throwIfInvalid(fields);
  return email;
}

/** The outbox kind and channel of a reset request, before the worker has looked the address up. */
export const RESET_REQUEST_KIND = 'account.password_reset_request';
export const RESET_REQUEST_CHANNEL = 'account';

/**
 * Requests a reset link. Returns nothing on purpose: the caller answers the same whatever happened. The request does
 * the same work for every well-formed address, known or not: it seals the address and inserts one outbox row
 * (channel `account`, kind `account.password_reset_request`) in one statement, and looks nothing up, so neither the
 * answer nor its timing tells whether the address has an account. The worker then resolves it
 * ({@link fulfilPasswordResetRequest}).
 */
export async function requestPasswordReset(
  svc: Services,
  input: { email: string; lang: Lang },
): Promise<void> {
  const email = resetEmailOf(input.email);
  await enqueueOutbox(svc.db, [
    {
      kind: RESET_REQUEST_KIND,
      channel: RESET_REQUEST_CHANNEL,
      recipient: null,
      // The address as typed (normalised) is personal data whether or not it has an account: sealed.
      payload: { recipientEnc: svc.sealer.seal(email), lang: input.lang },
      idempotencyKey: `account-reset-request:${randomToken(16)}`,
    },
  ]);
}

/**
 * The worker's half of a reset request (one claimed `account.password_reset_request` outbox row), in one transaction
 * that locks the row and marks it sent: an unknown or deactivated address ends there; an existing, active account gets
 * a new single-use link (older unused ones voided) and its email queued (kind `account.password_reset`, address and
 * text sealed). The handled row keeps no address. Re-running it on a row already handled does nothing. Returns whether
 * an email was queued.
 */
export async function fulfilPasswordResetRequest(svc: Services, row: OutboxRow): Promise<boolean> {
  const p = (row.payload ?? {}) as { recipientEnc?: unknown; lang?: unknown };
  const email = typeof p.recipientEnc === 'string' ? svc.sealer.open<string>(p.recipientEnc) : '';
  const requestLang: Lang = p.lang === 'en' ? 'en' : 'id';
  const now = svc.now();
  return svc.db.transaction(async (tx) => {
    const [current] = await query<{ status: string }>(
      tx,
      sql`select status from outbox where id = ${row.id} for update`,
    );
    if (current?.status !== 'pending') return false;
    // Handled: the row keeps no address (an unknown one belongs to someone without an account here).
    const done = async () => {
      await tx
        .update(outbox)
        .set({ payload: { lang: requestLang } })
        .where(eq(outbox.id, row.id));
      await markOutboxSent(tx, row.id, now);
    };
    const user = typeof email === 'string' && email ? await findUserByEmail(tx, email) : null;
    if (!user || user.disabledAt) {
      await done();
      return false;
    }
    const [pref] = await tx
      .select({ lang: notificationPreferences.lang })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, user.id))
      .limit(1);
    const lang: Lang = pref?.lang === 'en' || pref?.lang === 'id' ? pref.lang : requestLang;
    const token = randomToken(32);
    const id = sha256(token);
    // A newer request voids the older links.
    await tx
      .update(accountTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(accountTokens.userId, user.id),
          eq(accountTokens.purpose, RESET_PURPOSE),
          isNull(accountTokens.usedAt),
        ),
      );
    await tx.insert(accountTokens).values({
      id,
      userId: user.id,
      purpose: RESET_PURPOSE,
      expiresAt: new Date(now.getTime() + RESET_MINUTES * 60_000),
      createdAt: now,
    });
    const url = `${svc.publicUrl}/atur-ulang-sandi?token=${token}`;
    await enqueueOutbox(tx, [
      {
        kind: 'account.password_reset',
        channel: 'email',
        recipient: `user:${user.id}`,
        payload: {
          subject: t(lang, 'account.email.reset_subject'),
          // The text holds the link (it opens the account): sealed like an invitation's (`textEnc`, opened by the
          // worker), so no table holds a usable reset link in clear.
          textEnc: svc.sealer.seal(
            bilingual('account.email.reset_text', { url, minutes: RESET_MINUTES }, lang),
          ),
          lang,
          recipientEnc: svc.sealer.seal(user.email),
        },
        idempotencyKey: `account-reset:${row.id}`,
      },
    ]);
    await done();
    return true;
  });
}

/** What a reset link is worth now: usable, spent (used, voided or expired: 410) or unknown (404). */
export type ResetTokenState = 'valid' | 'gone' | 'unknown';

/** Looks a reset link up without consuming it (the GET of the form). */
export async function resetTokenState(svc: Services, token: string): Promise<ResetTokenState> {
  if (!TOKEN_SHAPE.test(token)) return 'unknown';
  const [row] = await svc.db
    .select({
      usedAt: accountTokens.usedAt,
      expiresAt: accountTokens.expiresAt,
      userId: accountTokens.userId,
    })
    .from(accountTokens)
    .where(and(eq(accountTokens.id, sha256(token)), eq(accountTokens.purpose, RESET_PURPOSE)))
    .limit(1);
  if (!row) return 'unknown';
  if (row.usedAt || row.expiresAt <= svc.now()) return 'gone';
  const [user] = await svc.db
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, row.userId))
    .limit(1);
  return user && !user.disabledAt ? 'valid' : 'gone';
}

/** The confirmation: the link's token and the new password twice. */
export interface ResetPasswordInput {
  token: string;
  password: string;
  passwordConfirm: string;
}

/**
 * Sets the new password through a reset link. 422 `password` / `passwordConfirm` for a weak or mismatched password
 * (the link stays usable), 422 `token: reset_link_invalid` for an unknown, used, voided or expired link. Returns the
 * account's id.
 */
export async function resetPassword(svc: Services, input: ResetPasswordInput): Promise<string> {
  const fields = newPasswordIssues(input.password, input.passwordConfirm, 'password');
  if (!TOKEN_SHAPE.test(input.token)) fields.token = { key: 'reset_link_invalid' };
  throwIfInvalid(fields);
  const passwordHash = await hashPassword(input.password);
  const now = svc.now();
  return svc.db.transaction(async (tx) => {
    const userId = await consumeAccountToken(tx, sha256(input.token), RESET_PURPOSE, now);
    const [user] = userId
      ? await tx
          .select({ id: users.id, disabledAt: users.disabledAt })
          .from(users)
          .where(eq(users.id, userId))
          .limit(1)
      : [];
    if (!user || user.disabledAt) throw invalid({ token: { key: 'reset_link_invalid' } });
    await tx
      .update(users)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, mustChangePassword: false })
      .where(eq(users.id, user.id));
    // Every session and API token of the account ends; every other link (reset or verification) dies too.
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await tx
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.userId, user.id), isNull(accountTokens.usedAt)));
    const grants = await tx
      .select({ role: roleGrants.role, agencyId: roleGrants.agencyId })
      .from(roleGrants)
      .where(eq(roleGrants.userId, user.id));
    // The link proves the address: an unverified citizen account (no role at all) becomes verified.
    if (grants.length === 0)
      await tx.insert(roleGrants).values({ userId: user.id, role: 'citizen', agencyId: null });
    const staff = grants.find((g) => g.role !== 'citizen');
    if (staff)
      await recordAdminAction(
        tx,
        { actor: { userId: user.id } },
        {
          action: 'account.password_reset',
          targetType: 'user',
          targetId: user.id,
          agencyId: staff.agencyId ?? null,
          at: now,
        },
      );
    return user.id;
  });
}
