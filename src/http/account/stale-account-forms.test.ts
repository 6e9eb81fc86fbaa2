/**
 * Account and invitation forms with a stale form token, over real HTTP and a real database (route config `staleForm`,
 * web/render.ts): a signed-in browser's post whose token no longer holds does nothing and comes back (403) as its own
 * form, with the fields typed, a fresh token that then works and the message in both languages; a password, access
 * key or token typed is never echoed (the message then says to type them again). Registration, the forgotten and the
 * reset password, the account's claim form, the password change and the invitation; the sign-in form has no token to
 * go stale (a signed-in browser signs in again, keeping only the email on a wrong password).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteStaffAsOperator } from '../../commands/staff-invitations.ts';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DEMO_PASSWORD } from '../../../test/global-setup.ts';
import { deliverMailOnce, startSmtp } from '../../../test/helpers/receivers.ts';
import { csrfOf, signInWeb, WebClient, type WebResponse } from '../../../test/helpers/web-client.ts';
import { FORGED, STALE, STALE_SECRETS } from '../../../test/helpers/stale-form-texts.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await t?.close();
});

const SECRET = 'sandi-sangat-rahasia-2026';

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function users(email: string): Promise<number> {
  return (await rows<{ id: string }>(sql`select id from users where email = ${email}`)).length;
}

/**
 * The form re-rendered for a stale token: 403, the message in the error summary, the form posting to `action`, a fresh
 * token (the session's, not the forged one) and none of `secrets`.
 */
function expectOwnForm(r: WebResponse, message: string, action: string, secrets: string[] = []): string {
  expect(r.status, r.html.slice(0, 300)).toBe(403);
  expect(r.html).toMatch(new RegExp(`class="error-summary"[^]*${message.replace(/[.()?]/g, '\\$&')}`));
  expect(r.html).toContain(`action="${action}`);
  expect(r.html).not.toContain('stale-form-texts');
  for (const s of secrets) expect(r.html).not.toContain(s);
  const fresh = csrfOf(r.html);
  expect(fresh).not.toBe('');
  expect(fresh).not.toBe(FORGED);
  return fresh;
}

describe('an account form with a stale token comes back as its own form', () => {
  it('registration, in id and en: name and email kept, never the passwords; nothing created until the fresh token', async () => {
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    for (const lang of ['id', 'en'] as const) {
      const email = `rina.${lang}@contoh.aduan.id`;
      const typed = { name: 'Rina Wulandari', email, password: SECRET, passwordConfirm: SECRET };
      const stale = await me.post(`/daftar?lang=${lang}`, { _csrf: FORGED, ...typed });
      const fresh = expectOwnForm(stale, STALE_SECRETS[lang], `/daftar?lang=${lang}`, [SECRET]);
      expect(stale.html).toContain('value="Rina Wulandari"');
      expect(stale.html).toContain(`value="${email}"`);
      expect(await users(email)).toBe(0);
      const sent = await me.post(`/daftar?lang=${lang}`, { _csrf: fresh, ...typed });
      expect(sent.status, sent.html.slice(0, 300)).toBe(303);
      expect(sent.location).toBe(`/daftar/terkirim?lang=${lang}`);
      expect(await users(email)).toBe(1);
    }
  });

  it('forgotten password: the address kept, no request queued until the fresh token', async () => {
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const queued = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from outbox`))[0]!.n;
    const before = await queued();
    const stale = await me.post('/lupa-sandi?lang=en', { _csrf: FORGED, email: DEMO.assessor });
    const fresh = expectOwnForm(stale, STALE.en, '/lupa-sandi?lang=en');
    expect(stale.html).toContain(`value="${DEMO.assessor}"`);
    expect(await queued()).toBe(before);
    const sent = await me.post('/lupa-sandi?lang=en', { _csrf: fresh, email: DEMO.assessor });
    expect(sent.location).toBe('/lupa-sandi/terkirim?lang=en');
  });

  it('password reset: the same link again, no password, the password unchanged; then reset with the fresh token', async () => {
    expect((await new WebClient(t.url).post('/lupa-sandi', { email: DEMO.dinkesAdmin })).status).toBe(303);
    const before = smtp.mails.length;
    await deliverMailOnce(t.runtime.services, smtp.url);
    const mail = smtp.mails.slice(before).find((m) => m.to === DEMO.dinkesAdmin)!;
    const token = /\/atur-ulang-sandi\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const typed = { token, password: SECRET, passwordConfirm: SECRET };
    const stale = await me.post('/atur-ulang-sandi', { _csrf: FORGED, ...typed });
    const fresh = expectOwnForm(stale, STALE_SECRETS.id, '/atur-ulang-sandi?lang=id', [SECRET]);
    // The link's own token is the form's hidden field, as on the page the link opened.
    expect(stale.html).toContain(`name="token" value="${token}"`);
    await signInWeb(t.url, DEMO.dinkesAdmin);
    const sent = await me.post('/atur-ulang-sandi', { _csrf: fresh, ...typed });
    expect(sent.location).toBe('/masuk?sandi=baru&lang=id');
    await signInWeb(t.url, DEMO.dinkesAdmin, SECRET);
    // A stale post of a link used since: the invalid-link page, not a form that cannot work.
    const used = await me.post('/atur-ulang-sandi', { _csrf: FORGED, ...typed });
    expect(used.status).toBe(410);
    expect(used.html).not.toContain(SECRET);
  });

  it('account claim: the tracking number kept, never the access key; claimed only with the fresh token', async () => {
    const filed = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Jembatan kayu rapuh di Loa Janan',
        body: 'Papan jembatan banyak yang patah dan berbahaya bagi anak sekolah.',
        regionCode: '64.71',
        reporter: { name: 'Warga Loa Janan', email: 'warga.loajanan@contoh.aduan.id' },
      },
    });
    expect(filed.status).toBe(201);
    const { trackingId, accessKey } = filed.body as { trackingId: string; accessKey: string };
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const typed = { trackingId, accessKey };
    const stale = await me.post('/akun/klaim?lang=en', { _csrf: FORGED, ...typed });
    const fresh = expectOwnForm(stale, STALE_SECRETS.en, '/akun/klaim?lang=en', [accessKey]);
    expect(stale.html).toContain(`value="${trackingId}"`);
    expect(stale.html).not.toContain('notice-ok');
    const owner = async () =>
      (
        await rows<{ user_id: string | null }>(
          sql`select reporter_user_id as user_id from reports where tracking_id = ${trackingId}`,
        )
      )[0]!.user_id;
    expect(await owner()).toBeNull();
    const sent = await me.post('/akun/klaim', { _csrf: fresh, ...typed });
    expect(sent.location).toBe(`/akun?klaim=${trackingId}&lang=id`);
    expect(await owner()).not.toBeNull();
  });

  it('password change: the form again with no password, the password unchanged; changed with the fresh token', async () => {
    const me = await signInWeb(t.url, DEMO.puprOfficer);
    const typed = { currentPassword: DEMO_PASSWORD, newPassword: SECRET, newPasswordConfirm: SECRET };
    const stale = await me.post('/kantor/kata-sandi?next=%2Fkantor', { _csrf: FORGED, ...typed });
    const fresh = expectOwnForm(stale, STALE_SECRETS.id, '/kantor/kata-sandi?next=%2Fkantor', [
      SECRET,
      DEMO_PASSWORD,
    ]);
    await signInWeb(t.url, DEMO.puprOfficer);
    const sent = await me.post('/kantor/kata-sandi?next=%2Fkantor', { _csrf: fresh, ...typed });
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
    await signInWeb(t.url, DEMO.puprOfficer, SECRET);
  });

  it('invitation: the same invitation with the name kept, never the password; accepted with the fresh token', async () => {
    const email = 'petugas.baru@contoh.aduan.id';
    const inv = await inviteStaffAsOperator(t.runtime.services, {
      email,
      name: 'Petugas Baru',
      role: 'officer',
      agencyId: 'pupr-kaltim',
      lang: 'id',
    });
    const token = new URL(inv.url).searchParams.get('token')!;
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const typed = { token, name: 'Petugas Baru Sekali', password: SECRET, passwordConfirm: SECRET };
    const stale = await me.post('/undangan?lang=en', { _csrf: FORGED, ...typed });
    const fresh = expectOwnForm(stale, STALE_SECRETS.en, '/undangan', [SECRET]);
    expect(stale.html).toContain('value="Petugas Baru Sekali"');
    expect(await users(email)).toBe(0);
    const sent = await me.post('/undangan', { _csrf: fresh, ...typed });
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
    expect(await users(email)).toBe(1);
  });

  it('sign-in has no token to go stale: a wrong password keeps only the email, the right one signs in', async () => {
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/akun');
    const wrong = await me.post('/masuk', { _csrf: FORGED, email: DEMO.citizen, password: SECRET });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain(`value="${DEMO.citizen}"`);
    expect(wrong.html).not.toContain(SECRET);
    const right = await me.post('/masuk', { _csrf: FORGED, email: DEMO.citizen, password: DEMO_PASSWORD });
    expect(right.status).toBe(303);
  });
});
