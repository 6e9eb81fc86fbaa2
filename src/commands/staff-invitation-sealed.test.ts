/**
 * Staff invitation links (a 7-day grant, here a national admin's) are never stored in clear: the outbox row holds
 * the email text sealed (`payload.textEnc`), the worker opens it at delivery, and the link that arrives over real
 * SMTP opens the invitation page.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';
import { deliverMailOnce, startSmtp } from '../../test/helpers/receivers.ts';
import { sha256 } from '../integrations/crypto.ts';
import { inviteStaffAsOperator } from './staff-invitations.ts';

const EMAIL = 'calon.admin.nasional@contoh.aduan.id';
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await t?.close();
});

const outboxRows = async () =>
  (
    (await t.runtime.services.db.execute(
      sql`select id, status, payload::text as raw, payload from outbox where kind = 'staff.invite' order by id`,
    )) as unknown as {
      rows: Array<{ id: number; status: string; raw: string; payload: Record<string, string> }>;
    }
  ).rows;

describe('staff invitation in the outbox', () => {
  it('holds no token or link in clear, and the emailed link works', async () => {
    const svc = t.runtime.services;
    const { url } = await inviteStaffAsOperator(svc, {
      email: EMAIL,
      name: 'Calon Admin Nasional',
      role: 'national_admin',
      lang: 'en',
    });
    const token = new URL(url).searchParams.get('token')!;
    expect(token.length).toBeGreaterThan(20);

    const [row] = await outboxRows();
    expect(row!.raw).not.toContain(token);
    expect(row!.raw).not.toContain('/undangan');
    expect(row!.raw).not.toContain(EMAIL);
    expect(row!.payload.text).toBeUndefined();
    expect(row!.payload.subject).toBe('Invitation to join aduan as staff');
    // Sealed with the instance key: the sealed text is the invitation mail.
    expect(svc.sealer.open<string>(row!.payload.textEnc!)).toContain(url);
    // Nowhere else in the database either: the invitation keeps only the token's sha256.
    const anywhere = (await svc.db.execute(
      sql`select (select count(*)::int from outbox where payload::text like ${`%${token}%`})
            + (select count(*)::int from staff_invitations where token_hash = ${token}) as n,
             (select count(*)::int from staff_invitations where token_hash = ${sha256(token)}) as hashed`,
    )) as unknown as { rows: Array<{ n: number; hashed: number }> };
    expect(anywhere.rows[0]).toEqual({ n: 0, hashed: 1 });

    await deliverMailOnce(svc, smtp.url);
    const mails = smtp.unique().filter((m) => m.to.includes(EMAIL));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Invitation to join aduan as staff');
    const link = /https?:\/\/\S+\/undangan\?token=[A-Za-z0-9_-]+/.exec(mails[0]!.text)?.[0];
    expect(link, mails[0]!.text).toBe(url);
    expect((await outboxRows())[0]!.status).toBe('sent');

    // The link opens the invitation (real HTTP); a wrong token does not.
    const page = await fetch(`${t.url}${new URL(link!).pathname}${new URL(link!).search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Calon Admin Nasional');
    expect((await fetch(`${t.url}/undangan?token=${token.slice(0, -2)}xx`)).status).toBe(404);
  });
});
