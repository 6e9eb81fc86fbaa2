/**
 * Staff invitations (docs/back-office.md): how a person gets a staff role without any admin learning whether their
 * address already has an account.
 *
 * - An admin invites an address with a name, a role and an agency, in the same scope as a grant (`authorizeGrant`:
 *   manage_users on the agency, never more than the admin holds). No account is looked up: the answer, the row and
 *   the pending list are the same for every valid address.
 * - The link goes out by email through the outbox (`staff.invite`, address sealed in `payload.recipientEnc`, as the
 *   citizen verification email, and the text holding the link sealed in `payload.textEnc`); only the sha256 of its
 *   token is stored in clear. It is valid 7 days; a resend replaces the
 *   token (the old link dies); a cancelled, accepted or expired invitation opens nothing.
 * - The address's owner opens `/undangan?token=…`. Without an account (or with one that holds no grant at all: an
 *   unverified registration, whose password whoever registered chose), they set name and password and the account is
 *   theirs; with an account holding grants, they confirm with its current password (the sign-in's lockout counts the
 *   attempts). Either way exactly the invited role on the invited agency is granted, once, and they are signed in.
 * - The operator's CLI (`aduan users invite`) invites as the system and also gets the link, for instances without
 *   SMTP. On the admin page, when no email transport is configured (`Services.emailConfigured` false: no SMTP_URL),
 *   the inviting admin gets the link once, in the answer to the form, to pass on securely (nothing could send it).
 * - Every path checks that the role fits the agency (`checkRoleFitsAgency`): when inviting, and again when accepting.
 * - A deactivated account cannot accept (`account_disabled`): an admin who may manage it reactivates it first.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { roleGrants, sessions, staffInvitations, users } from '../db/schema.ts';
import { enqueueOutbox } from '../db/repositories/outbox.ts';
import { recordAdminAction, type AuditActor } from '../db/repositories/admin-audit.ts';
import { actorFor, findUser, findUserByEmail } from '../db/repositories/users.ts';
import { findAgency, pathIds } from '../db/repositories/agencies.ts';
import type { AppDb, Tx } from '../db/client.ts';
import { randomToken, sha256 } from '../integrations/crypto.ts';
import { hashPassword } from '../integrations/passwords.ts';
import { t, type Lang } from '../locales/index.ts';
import { canStaff } from '../policies/can.ts';
import { adminScope } from '../policies/agency-branch.ts';
import { branchKinds } from './manage-agencies.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, invalid, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { newPasswordIssues } from './change-password.ts';
import {
  checkAccountSide,
  authorizeGrant,
  checkRoleFitsAgency,
  grantableRoles,
  isStaffEmail,
  requireGrantAgency,
  STAFF_ROLES,
} from './manage-staff-users.ts';
import { signIn, signOut, type SignInResult } from './sign-in.ts';

/** How long an invitation link stays valid. */
export const INVITATION_DAYS = 7;

/** What the admin form (or the CLI) sends. */
export interface InviteStaffInput {
  email: string;
  name: string;
  role: string;
  agencyId: string;
  /** The language the email is written in first (the other follows). */
  lang: Lang;
}

type InvitationRow = typeof staffInvitations.$inferSelect;

function checkInviteFields(input: { email: string; name: string }) {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const fields: Record<string, FieldIssue> = {};
  if (!name) fields.name = { key: 'required' };
  else if (name.length < 3) fields.name = { key: 'too_short', params: { min: 3 } };
  else if (name.length > 200) fields.name = { key: 'too_long', params: { max: 200 } };
  if (!email) fields.email = { key: 'required' };
  else if (!isStaffEmail(email)) fields.email = { key: 'invalid_email' };
  return { email, name, fields };
}

/** The invitation email: subject in `lang`, the text in `lang` then the other language. */
function invitationEmail(
  lang: Lang,
  p: { url: string; role: string; agencyName: string | null; expiresAt: Date },
): { subject: string; text: string } {
  const body = (l: Lang) =>
    t(l, 'admin.invite.email_text', {
      role: t(l, `admin.role.${p.role}`),
      agency: p.agencyName ?? t(l, 'admin.invite.national'),
      url: p.url,
      days: INVITATION_DAYS,
      expires: p.expiresAt.toISOString().slice(0, 10),
    });
  const other: Lang = lang === 'id' ? 'en' : 'id';
  return { subject: t(lang, 'admin.invite.email_subject'), text: `${body(lang)}\n\n---\n\n${body(other)}` };
}

/** Writes a fresh token for the invitation and queues its email; returns the clear token (for the CLI only). */
async function sendLink(
  svc: Services,
  tx: AppDb | Tx,
  inv: { id: string; email: string; role: string; agencyName: string | null },
  lang: Lang,
): Promise<string> {
  const now = svc.now();
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  await tx
    .update(staffInvitations)
    .set({ tokenHash: sha256(token), sentAt: now, expiresAt })
    .where(eq(staffInvitations.id, inv.id));
  const url = `${svc.publicUrl}/undangan?token=${token}`;
  const mail = invitationEmail(lang, { url, role: inv.role, agencyName: inv.agencyName, expiresAt });
  await enqueueOutbox(tx, [
    {
      kind: 'staff.invite',
      channel: 'email',
      recipient: `invitation:${inv.id}`,
      // The text holds the link (a 7-day staff grant): sealed like a reporter's private link (`textEnc`, opened
      // by the worker at delivery), so the outbox never holds the token in clear (docs/security.md "Accounts").
      payload: {
        subject: mail.subject,
        textEnc: svc.sealer.seal(mail.text),
        lang,
        recipientEnc: svc.sealer.seal(inv.email),
      },
      idempotencyKey: `staff-invite:${sha256(token).slice(0, 32)}`,
    },
  ]);
  return token;
}

/** Inserts the invitation (replacing an identical pending one) and sends its link; returns id and clear token. */
async function createInvitation(
  svc: Services,
  row: {
    email: string;
    name: string;
    role: string;
    agencyId: string | null;
    agencyName: string | null;
    invitedBy: string | null;
  },
  lang: Lang,
  audit: AuditActor | null,
): Promise<{ id: string; token: string }> {
  const now = svc.now();
  return svc.db.transaction(async (tx) => {
    // Inviting the same address to the same role and agency again replaces the pending invitation (one link alive).
    await tx
      .update(staffInvitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(staffInvitations.email, row.email),
          eq(staffInvitations.role, row.role),
          row.agencyId === null
            ? isNull(staffInvitations.agencyId)
            : eq(staffInvitations.agencyId, row.agencyId),
          isNull(staffInvitations.acceptedAt),
          isNull(staffInvitations.revokedAt),
        ),
      );
    const [inv] = await tx
      .insert(staffInvitations)
      .values({
        email: row.email,
        name: row.name,
        role: row.role,
        agencyId: row.agencyId,
        invitedBy: row.invitedBy,
        // Replaced by sendLink in this transaction; a placeholder no token hashes to.
        tokenHash: `pending:${randomToken(16)}`,
        createdAt: now,
        sentAt: now,
        expiresAt: now,
      })
      .returning({ id: staffInvitations.id });
    const token = await sendLink(
      svc,
      tx,
      { id: inv!.id, email: row.email, role: row.role, agencyName: row.agencyName },
      lang,
    );
    await recordAdminAction(tx, audit, {
      action: 'invitation.send',
      targetType: 'invitation',
      targetId: inv!.id,
      agencyId: row.agencyId,
      details: { role: row.role, agencyId: row.agencyId, agencyName: row.agencyName },
      at: now,
    });
    return { id: inv!.id, token };
  });
}

/** The accept link of a token. */
function acceptUrl(svc: Services, token: string): string {
  return `${svc.publicUrl}/undangan?token=${token}`;
}

/**
 * What an admin's invite or resend answers: the invitation id, and the accept link only when no email transport is
 * configured (`Services.emailConfigured` false), for the admin to pass on: shown once in that answer, never stored or
 * logged.
 */
export interface InviteResult {
  id: string;
  /** Set only when the email cannot be sent (no SMTP_URL): the link to hand over. */
  link?: { url: string; expiresAt: Date };
}

async function linkUnlessMailed(svc: Services, id: string, token: string): Promise<InviteResult> {
  if (svc.emailConfigured !== false) return { id };
  const [row] = await svc.db
    .select({ expiresAt: staffInvitations.expiresAt })
    .from(staffInvitations)
    .where(eq(staffInvitations.id, id));
  return { id, link: { url: acceptUrl(svc, token), expiresAt: row!.expiresAt } };
}

/**
 * An admin invites an address (scope as `grantRole`). Returns the invitation id; the link goes to the address, and to
 * the admin only when no email can be sent (`InviteResult.link`). Nothing about an existing account is looked up.
 */
export async function inviteStaff(
  svc: Services,
  caller: Caller,
  input: InviteStaffInput,
): Promise<InviteResult> {
  if (!caller.actor.userId) throw new AppError('UNAUTHENTICATED');
  const { email, name, fields } = checkInviteFields(input);
  if (!input.role) fields.role = { key: 'required' };
  if (!input.agencyId) fields.agencyId = { key: 'required' };
  throwIfInvalid(fields);
  const agency = await authorizeGrant(svc, caller, input.role, input.agencyId);
  // Nobody adds a role to themselves (as grantRole): ask another admin. Their own address is no secret to them.
  if ((await findUser(svc.db, caller.actor.userId))?.email === email)
    throw invalid({ email: { key: 'grant_self' } });
  const { id, token } = await createInvitation(
    svc,
    {
      email,
      name,
      role: input.role,
      agencyId: agency.id,
      agencyName: agency.name,
      invitedBy: caller.actor.userId,
    },
    input.lang,
    caller,
  );
  return linkUnlessMailed(svc, id, token);
}

/**
 * Checks an operator's invitation without writing anything (the CLI's `--csv` validates every row first): the
 * fields, the role, the agency (known, active) and whether the role fits it. Throws the 422 field issues.
 */
export async function checkOperatorInvitation(
  svc: Services,
  input: Omit<InviteStaffInput, 'agencyId' | 'lang'> & { agencyId?: string | undefined },
): Promise<void> {
  const { fields } = checkInviteFields(input);
  if (!(STAFF_ROLES as readonly string[]).includes(input.role))
    fields.role = { key: 'one_of', params: { options: STAFF_ROLES.join(', ') } };
  if (!input.agencyId && input.role !== 'national_admin') fields.agencyId = { key: 'required' };
  if (input.agencyId && !fields.role) {
    try {
      const agency = await requireGrantAgency(svc.db, input.agencyId, 'agencyId');
      await checkRoleFitsAgency(svc.db, input.role, agency);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
      Object.assign(fields, err.fields);
    }
  }
  throwIfInvalid(fields);
}

/**
 * The operator invites (`aduan users invite`; trusted, no scope). Any staff role; the agency may be omitted only for a
 * national admin. Returns the accept link too, for instances without SMTP (the email is queued all the same).
 */
export async function inviteStaffAsOperator(
  svc: Services,
  input: Omit<InviteStaffInput, 'agencyId'> & { agencyId?: string | undefined },
): Promise<{ id: string; url: string; expiresAt: Date }> {
  const { email, name, fields } = checkInviteFields(input);
  if (!(STAFF_ROLES as readonly string[]).includes(input.role))
    fields.role = { key: 'one_of', params: { options: STAFF_ROLES.join(', ') } };
  if (!input.agencyId && input.role !== 'national_admin') fields.agencyId = { key: 'required' };
  throwIfInvalid(fields);
  const agency = input.agencyId ? await requireGrantAgency(svc.db, input.agencyId, 'agencyId') : null;
  await checkRoleFitsAgency(svc.db, input.role, agency);
  const { id, token } = await createInvitation(
    svc,
    {
      email,
      name,
      role: input.role,
      agencyId: agency?.id ?? null,
      agencyName: agency?.name ?? null,
      invitedBy: null,
    },
    input.lang,
    null,
  );
  const [row] = await svc.db
    .select({ expiresAt: staffInvitations.expiresAt })
    .from(staffInvitations)
    .where(eq(staffInvitations.id, id));
  return { id, url: acceptUrl(svc, token), expiresAt: row!.expiresAt };
}

/** A pending invitation the caller may act on (could have created it), else 404 / 403. */
async function pendingInScope(svc: Services, caller: Caller, id: string): Promise<InvitationRow> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
    throw new AppError('NOT_FOUND');
  const [inv] = await svc.db.select().from(staffInvitations).where(eq(staffInvitations.id, id)).limit(1);
  if (!inv || inv.acceptedAt || inv.revokedAt) throw new AppError('NOT_FOUND');
  if (inv.agencyId === null) {
    if (!caller.actor.grants.some((g) => g.role === 'national_admin')) throw new AppError('NOT_FOUND');
  } else {
    const agency = await findAgency(svc.db, inv.agencyId);
    const kinds = agency ? await branchKinds(svc.db, agency) : [];
    // Outside the caller's list: as the user pages, a 404 (the invitation is not theirs to know about).
    if (!agency || !canStaff(caller.actor, 'manage_users', adminScope(agency, pathIds(agency), kinds)))
      throw new AppError('NOT_FOUND');
    if (!grantableRoles(caller.actor, agency, kinds).includes(inv.role as (typeof STAFF_ROLES)[number]))
      throw new AppError('FORBIDDEN');
  }
  return inv;
}

/**
 * Sends a pending invitation again with a new link (the old one stops working) valid 7 more days; returns the address
 * (already on the admin's list), and the new link when no email can be sent (as `inviteStaff`).
 */
export async function resendInvitation(
  svc: Services,
  caller: Caller,
  id: string,
  lang: Lang,
): Promise<InviteResult & { email: string }> {
  const inv = await pendingInScope(svc, caller, id);
  const agency = inv.agencyId ? await findAgency(svc.db, inv.agencyId) : null;
  const token = await svc.db.transaction(async (tx) => {
    // The admin who sends it again vouches for it from now on (the first inviter may have lost the right since).
    if (caller.actor.userId)
      await tx
        .update(staffInvitations)
        .set({ invitedBy: caller.actor.userId })
        .where(eq(staffInvitations.id, inv.id));
    await recordAdminAction(tx, caller, {
      action: 'invitation.resend',
      targetType: 'invitation',
      targetId: inv.id,
      agencyId: inv.agencyId,
      details: { role: inv.role, agencyId: inv.agencyId, agencyName: agency?.name ?? null },
      at: svc.now(),
    });
    return sendLink(
      svc,
      tx,
      { id: inv.id, email: inv.email, role: inv.role, agencyName: agency?.name ?? null },
      lang,
    );
  });
  return { ...(await linkUnlessMailed(svc, inv.id, token)), email: inv.email };
}

/** Cancels a pending invitation: its link opens nothing any more. */
export async function revokeInvitation(svc: Services, caller: Caller, id: string): Promise<void> {
  const inv = await pendingInScope(svc, caller, id);
  await svc.db.transaction(async (tx) => {
    const [done] = await tx
      .update(staffInvitations)
      .set({ revokedAt: svc.now() })
      .where(and(eq(staffInvitations.id, inv.id), isNull(staffInvitations.acceptedAt)))
      .returning({ id: staffInvitations.id });
    if (!done) return;
    await recordAdminAction(tx, caller, {
      action: 'invitation.cancel',
      targetType: 'invitation',
      targetId: inv.id,
      agencyId: inv.agencyId,
      details: { role: inv.role, agencyId: inv.agencyId },
      at: svc.now(),
    });
  });
}

/** What the accept page shows about a valid invitation. */
export interface OpenInvitation {
  id: string;
  email: string;
  name: string;
  role: string;
  agencyName: string | null;
  expiresAt: Date;
  /**
   * `existing`: the address has an account holding grants (confirm with its password); `new`: no account, or one
   * without any grant (set name and password).
   */
  mode: 'new' | 'existing';
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * The invitation behind a token when it can still be accepted: known, not accepted, not cancelled, not expired, and
 * its inviter still allowed to grant it (an admin who lost the right since leaves dead links). Otherwise NOT_FOUND,
 * the same for every reason.
 */
async function validInvitation(svc: Services, token: string): Promise<InvitationRow> {
  if (!TOKEN.test(token)) throw new AppError('NOT_FOUND');
  const db = svc.db;
  const [inv] = await db
    .select()
    .from(staffInvitations)
    .where(
      and(
        eq(staffInvitations.tokenHash, sha256(token)),
        isNull(staffInvitations.acceptedAt),
        isNull(staffInvitations.revokedAt),
        gt(staffInvitations.expiresAt, svc.now()),
      ),
    )
    .limit(1);
  if (!inv) throw new AppError('NOT_FOUND');
  if (inv.invitedBy) {
    const inviter = await actorFor(db, inv.invitedBy);
    try {
      if (!inv.agencyId) throw new AppError('FORBIDDEN');
      await authorizeGrant(svc, { actor: inviter }, inv.role, inv.agencyId);
    } catch {
      throw new AppError('NOT_FOUND');
    }
  } else if (inv.agencyId) {
    // The operator's invitation: the agency still active, and the role still fitting it.
    const agency = await findAgency(db, inv.agencyId);
    if (!agency?.active) throw new AppError('NOT_FOUND');
    try {
      await checkRoleFitsAgency(db, inv.role, agency);
    } catch {
      throw new AppError('NOT_FOUND');
    }
  }
  return inv;
}

async function hasAnyGrant(db: AppDb | Tx, userId: string): Promise<boolean> {
  const [g] = await db
    .select({ id: roleGrants.id })
    .from(roleGrants)
    .where(eq(roleGrants.userId, userId))
    .limit(1);
  return !!g;
}

/** The invitation a token opens (for the accept page), or NOT_FOUND. */
export async function openInvitation(svc: Services, token: string): Promise<OpenInvitation> {
  const inv = await validInvitation(svc, token);
  const agency = inv.agencyId ? await findAgency(svc.db, inv.agencyId) : null;
  const user = await findUserByEmail(svc.db, inv.email);
  return {
    id: inv.id,
    email: inv.email,
    name: inv.name,
    role: inv.role,
    agencyName: agency?.name ?? null,
    expiresAt: inv.expiresAt,
    mode: user && (await hasAnyGrant(svc.db, user.id)) ? 'existing' : 'new',
  };
}

/** What the accept form sends: name and new password twice (new account), or the account's password. */
export interface AcceptInvitationInput {
  name?: string;
  password: string;
  passwordConfirm?: string;
}

/**
 * Marks the invitation accepted by `userId` (only while it is still valid, so at most once) and adds its grant.
 * Throws NOT_FOUND when another acceptance, a cancellation or the expiry came first.
 */
async function claim(svc: Services, tx: Tx, inv: InvitationRow, userId: string): Promise<void> {
  const now = svc.now();
  const [won] = await tx
    .update(staffInvitations)
    .set({ acceptedAt: now, acceptedUserId: userId })
    .where(
      and(
        eq(staffInvitations.id, inv.id),
        eq(staffInvitations.tokenHash, inv.tokenHash),
        isNull(staffInvitations.acceptedAt),
        isNull(staffInvitations.revokedAt),
        gt(staffInvitations.expiresAt, now),
      ),
    )
    .returning({ id: staffInvitations.id });
  if (!won) throw new AppError('NOT_FOUND');
  // An existing account on the other side of the Ombudsman line cannot take this role (the invitation stays unused).
  await checkAccountSide(tx, userId, inv.agencyId ? await findAgency(tx, inv.agencyId) : null);
  const [dup] = await tx
    .select({ id: roleGrants.id })
    .from(roleGrants)
    .where(
      and(
        eq(roleGrants.userId, userId),
        eq(roleGrants.role, inv.role),
        inv.agencyId === null ? isNull(roleGrants.agencyId) : eq(roleGrants.agencyId, inv.agencyId),
      ),
    )
    .limit(1);
  if (dup) return;
  const [g] = await tx
    .insert(roleGrants)
    .values({ userId, role: inv.role, agencyId: inv.agencyId })
    .returning({ id: roleGrants.id });
  // The grant is the inviter's doing (null: the operator's CLI); the invitee only accepted it.
  await recordAdminAction(tx, inv.invitedBy ? { actor: { userId: inv.invitedBy } } : null, {
    action: 'role.grant',
    targetType: 'user',
    targetId: userId,
    agencyId: inv.agencyId,
    details: { role: inv.role, agencyId: inv.agencyId, grantId: g!.id, invitationId: inv.id },
    at: now,
  });
}

/**
 * Accepts an invitation and signs the invitee in (the session is returned for the cookie). The mode is decided here,
 * from the account as it is now, whatever form was shown.
 * - New account (or one without grants): name (2+ characters) and a new password twice; the account row gets them
 *   (argon2id), loses any earlier session, and the grant.
 * - Existing account with grants: its current password, checked by the sign-in itself (same lockout: 5 failures lock
 *   it 15 minutes); a wrong one is the field error `password_wrong`, a locked account `ACCOUNT_LOCKED`.
 */
export async function acceptInvitation(
  svc: Services,
  token: string,
  input: AcceptInvitationInput,
): Promise<SignInResult & { role: string }> {
  const inv = await validInvitation(svc, token);
  const user = await findUserByEmail(svc.db, inv.email);
  // Holding the emailed link proves the address, so its owner may learn the account is deactivated: an admin who
  // may manage it reactivates it (an invitation does not).
  if (user?.disabledAt) throw invalid({ invitation: { key: 'account_disabled' } });
  if (user && (await hasAnyGrant(svc.db, user.id))) {
    if (!input.password) throw invalid({ password: { key: 'required' } });
    let session: SignInResult;
    try {
      session = await signIn(svc, inv.email, input.password);
    } catch (err) {
      if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS')
        throw invalid({ password: { key: 'password_wrong' } });
      throw err;
    }
    try {
      await svc.db.transaction((tx) => claim(svc, tx, inv, user.id));
    } catch (err) {
      await signOut(svc, session.token);
      throw err;
    }
    return { ...session, role: inv.role };
  }

  const name = (input.name ?? '').trim();
  const fields: Record<string, FieldIssue> = {};
  if (!name) fields.name = { key: 'required' };
  else if (name.length < 2) fields.name = { key: 'too_short', params: { min: 2 } };
  else if (name.length > 200) fields.name = { key: 'too_long', params: { max: 200 } };
  Object.assign(fields, newPasswordIssues(input.password, input.passwordConfirm ?? '', 'password'));
  throwIfInvalid(fields);
  const passwordHash = await hashPassword(input.password);
  await svc.db.transaction(async (tx) => {
    let userId: string;
    const [made] = await tx
      .insert(users)
      .values({ email: inv.email, name, passwordHash, createdAt: svc.now() })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (made) userId = made.id;
    else {
      // An account row without any grant (an unverified registration): holding the emailed link proves the address,
      // so the owner's name and password replace whatever the registrant chose, and its sessions end.
      const [taken] = await tx
        .update(users)
        .set({ name, passwordHash, mustChangePassword: false, failedLogins: 0, lockedUntil: null })
        .where(
          and(
            eq(users.email, inv.email),
            sql`not exists (select 1 from ${roleGrants} where ${roleGrants.userId} = ${users.id})`,
          ),
        )
        .returning({ id: users.id });
      // It gained a grant meanwhile (verified): the password form is the one to use now.
      if (!taken) throw invalid({ invitation: { key: 'invitation_changed' } });
      userId = taken.id;
      await tx.delete(sessions).where(eq(sessions.userId, userId));
    }
    await claim(svc, tx, inv, userId);
  });
  return { ...(await signIn(svc, inv.email, input.password)), role: inv.role };
}
