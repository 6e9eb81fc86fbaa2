/**
 * Citizen accounts (optional in issue 3): register with an email address and a password, then verify the
 * address by a one-time link. The link's token is stored only as a sha256 in `account_tokens` (24 h,
 * single use); the email leaves through the outbox (docs/worker.md §1) with the address sealed in
 * `payload.recipientEnc`. Verification grants the `citizen` role, which `/akun` requires.
 *
 * Registration never reveals whether an address already has an account: the page answers the same, and the
 * existing owner gets a "you already have an account" email instead of a link.
 */
import { and, eq } from 'drizzle-orm';
import { accountTokens, roleGrants, users } from '../db/schema.ts';
import { enqueueOutbox } from '../db/repositories/outbox.ts';
import { consumeAccountToken, findUserByEmail } from '../db/repositories/users.ts';
import { randomToken, sha256 } from '../integrations/crypto.ts';
import { hashPassword } from '../integrations/passwords.ts';
import { t, type Lang } from '../locales/index.ts';
import type { Services } from '../app/context.ts';
import { AppError, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { newPasswordIssues } from './change-password.ts';

/** How long a verification link stays valid. */
export const VERIFY_HOURS = 24;

/** What the registration form sends. */
export interface RegisterCitizenInput {
  name: string;
  email: string;
  password: string;
  passwordConfirm: string;
  lang: Lang;
}

function bilingual(key: string, params: Record<string, string | number>, first: Lang): string {
  const other: Lang = first === 'id' ? 'en' : 'id';
  return `${t(first, key, params)}\n\n---\n\n${t(other, key, params)}`;
}

/** Registers (or re-sends the link to) an account and queues the email; returns nothing on purpose. */
export async function registerCitizen(svc: Services, input: RegisterCitizenInput): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const fields: Record<string, FieldIssue> = {};
  if (name.length < 2) fields.name = name ? { key: 'too_short', params: { min: 2 } } : { key: 'required' };
  if (!email) fields.email = { key: 'required' };
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 200)
    fields.email = { key: 'invalid_email' };
  Object.assign(fields, newPasswordIssues(input.password, input.passwordConfirm, 'password'));
  throwIfInvalid(fields);
  const now = svc.now();
  const existing = await findUserByEmail(svc.db, email);
  const verified =
    existing &&
    (
      await svc.db
        .select({ id: roleGrants.id })
        .from(roleGrants)
        .where(eq(roleGrants.userId, existing.id))
        .limit(1)
    ).length > 0;
  const passwordHash = existing ? null : await hashPassword(input.password);
  await svc.db.transaction(async (tx) => {
    let userId = existing?.id;
    if (!userId) {
      // A concurrent registration of the same email may have won the race: reuse its row, never a 500.
      const [u] = await tx
        .insert(users)
        .values({ email, name, passwordHash: passwordHash!, createdAt: now })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      userId = u?.id ?? (await findUserByEmail(tx, email))!.id;
    }
    const recipientEnc = svc.sealer.seal(email);
    if (verified) {
      await enqueueOutbox(tx, [
        {
          kind: 'account.exists',
          channel: 'email',
          recipient: `user:${userId}`,
          payload: {
            subject: t(input.lang, 'account.email.exists_subject'),
            text: bilingual('account.email.exists_text', { url: `${svc.publicUrl}/masuk` }, input.lang),
            lang: input.lang,
            recipientEnc,
          },
          idempotencyKey: `account-exists:${userId}:${randomToken(8)}`,
        },
      ]);
      return;
    }
    const token = randomToken(32);
    await tx.insert(accountTokens).values({
      id: sha256(token),
      userId,
      purpose: 'verify_email',
      expiresAt: new Date(now.getTime() + VERIFY_HOURS * 3_600_000),
      createdAt: now,
    });
    const url = `${svc.publicUrl}/daftar/verifikasi?token=${token}`;
    await enqueueOutbox(tx, [
      {
        kind: 'account.verify',
        channel: 'email',
        recipient: `user:${userId}`,
        payload: {
          subject: t(input.lang, 'account.email.verify_subject'),
          text: bilingual('account.email.verify_text', { url, hours: VERIFY_HOURS }, input.lang),
          lang: input.lang,
          recipientEnc,
        },
        idempotencyKey: `account-verify:${sha256(token).slice(0, 32)}`,
      },
    ]);
  });
}

/** Verifies an emailed token: single use, unexpired; grants `citizen`. Returns the user id. */
export async function verifyCitizenEmail(svc: Services, token: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new AppError('NOT_FOUND');
  const now = svc.now();
  return svc.db.transaction(async (tx) => {
    const userId = await consumeAccountToken(tx, sha256(token), 'verify_email', now);
    if (!userId) throw new AppError('NOT_FOUND');
    const [has] = await tx
      .select({ id: roleGrants.id })
      .from(roleGrants)
      .where(and(eq(roleGrants.userId, userId), eq(roleGrants.role, 'citizen')))
      .limit(1);
    if (!has) await tx.insert(roleGrants).values({ userId, role: 'citizen', agencyId: null });
    return userId;
  });
}
