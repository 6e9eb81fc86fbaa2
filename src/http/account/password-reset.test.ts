/**
 * "Lupa kata sandi" over real HTTP with a real SMTP receiver: the request answers byte-identically for unknown,
 * deactivated and existing addresses, writes the same tables for an unknown and a known one (one queued request: the
 * worker looks the address up), and only the existing active account gets an email (in its language); the
 * emailed link is single use, dies after 60 minutes and when a newer link is requested; the new password closes
 * every session and API token, clears the lockout and `must_change_password`, verifies an unverified citizen and
 * writes `account.password_reset` to the administration log for a staff account; the API answers 202 / 204 / 422
 * with messages in both languages; requests are rate-limited per address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DEMO_PASSWORD } from '../../../test/global-setup.ts';
import { signInWeb, WebClient } from '../../../test/helpers/web-client.ts';
import { deliverMailOnce, startSmtp } from '../../../test/helpers/receivers.ts';
import { flushRateLimits } from '../../commands/rate-limit.ts';

const START = new Date('2026-11-30T01:00:00Z');
const NEW_PASSWORD = 'kata sandi baru yang panjang';
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
}

/** Delivers every pending outbox row through the SMTP receiver; returns the mails received by this call. */
async function deliver() {
  const before = smtp.mails.length;
  await deliverMailOnce(t.runtime.services, smtp.url);
  return smtp.mails.slice(before);
}

/** The path (with the token) of the reset link in a mail. */
function linkOf(text: string): string {
  const link = /https?:\/\/\S+\/atur-ulang-sandi\?token=[A-Za-z0-9_-]+/.exec(text)![0];
  const u = new URL(link);
  return u.pathname + u.search;
}

function tokenOf(path: string): string {
  return new URL(path, 'http://x').searchParams.get('token')!;
}

async function requestLink(email: string, lang: 'id' | 'en' = 'id') {
  const c = new WebClient(t.url);
  const r = await c.post(`/lupa-sandi?lang=${lang}`, { email });
  expect(r.status).toBe(303);
  return r;
}

describe('password reset', () => {
  beforeAll(async () => {
    t = await startTestApp({ now: START });
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  it('citizen: request, email in the request language, new password, every old session and token closed', async () => {
    const web = await signInWeb(t.url, DEMO.citizen, DEMO_PASSWORD, '/akun');
    const apiToken = await t.login(DEMO.citizen);
    expect((await web.get('/akun')).status).toBe(200);

    const signIn = await new WebClient(t.url).get('/masuk?lang=id');
    expect(signIn.html).toContain('href="/lupa-sandi?lang=id"');
    expect(signIn.html).toContain('Lupa kata sandi?');
    const form = await new WebClient(t.url).get('/lupa-sandi?lang=en');
    expect(form.status).toBe(200);
    expect(form.html).toContain('Forgot password');

    const r = await requestLink(DEMO.citizen, 'en');
    expect(r.location).toBe('/lupa-sandi/terkirim?lang=en');
    const sent = await new WebClient(t.url).get(r.location!);
    expect(sent.html).toContain('If an account with that address exists');
    expect(sent.html).toContain('60 minutes');

    const mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([DEMO.citizen]);
    expect(mails[0]!.subject).toBe('Reset the password of your aduan account');
    const path = linkOf(mails[0]!.text);
    const token = tokenOf(path);
    expect(token.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url
    const stored = await rows<{ id: string }>(
      sql`select id from account_tokens where purpose = 'reset_password'`,
    );
    expect(stored.map((s) => s.id)).not.toContain(token); // only the hash is kept
    // No table holds the link in clear (the queued text is sealed, as an invitation's).
    const [clear] = await rows<{ n: number }>(
      sql`select count(*)::int as n from outbox where payload::text like ${`%${token}%`}`,
    );
    expect(clear!.n).toBe(0);

    const c = new WebClient(t.url);
    const page = await c.get(`${path}&lang=en`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Choose a new password');
    // The link's token never leaves in a Referer header (the global same-origin default does not override it).
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('at least 10 and at most 200 characters');

    // Weak password and mismatch: field messages in the page language; the link stays usable.
    const weak = await c.post('/atur-ulang-sandi?lang=en', {
      token,
      password: 'pendek',
      passwordConfirm: 'pendek',
    });
    expect(weak.status).toBe(422);
    expect(weak.html).toContain('At least 10 characters.');
    expect(weak.html).not.toContain('value="pendek"');
    const mismatchId = await c.post('/atur-ulang-sandi?lang=id', {
      token,
      password: NEW_PASSWORD,
      passwordConfirm: `${NEW_PASSWORD}x`,
    });
    expect(mismatchId.status).toBe(422);
    expect(mismatchId.html).toContain('Kedua kata sandi tidak sama.');
    const mismatchEn = await c.post('/atur-ulang-sandi?lang=en', {
      token,
      password: NEW_PASSWORD,
      passwordConfirm: `${NEW_PASSWORD}x`,
    });
    expect(mismatchEn.html).toContain('The two passwords do not match.');

    const done = await c.post('/atur-ulang-sandi?lang=en', {
      token,
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/masuk?sandi=baru&lang=en');
    expect((await c.get(done.location!)).html).toContain('Your password has been changed');

    // Every old session and API token is gone.
    expect((await web.get('/akun')).status).toBe(303);
    expect((await t.api('/api/v1/auth/me', { token: apiToken })).status).toBe(401);
    // Single use.
    const again = await new WebClient(t.url).get(path);
    expect(again.status).toBe(410);
    expect(again.html).toContain('href="/lupa-sandi?lang=id"');
    // The old password no longer works, the new one does.
    expect(
      (await t.api('/api/v1/auth/login', { json: { email: DEMO.citizen, password: DEMO_PASSWORD } })).status,
    ).toBe(401);
    expect(
      (await t.api('/api/v1/auth/login', { json: { email: DEMO.citizen, password: NEW_PASSWORD } })).status,
    ).toBe(200);
  });

  it('unknown, deactivated and existing addresses get byte-identical answers; only the active one an email', async () => {
    await rows(
      sql`update users set disabled_at = ${START.toISOString()}::timestamptz where email = ${DEMO.assessor}`,
    );
    const answers = [];
    for (const email of ['tidak.ada@contoh.aduan.id', DEMO.assessor, DEMO.dinkesAdmin]) {
      const r = await new WebClient(t.url).post('/lupa-sandi?lang=id', { email });
      answers.push({ status: r.status, location: r.location, html: r.html });
      const api = await t.api('/api/v1/auth/password-reset', { json: { email } });
      expect(api.status).toBe(202);
      expect(api.body).toBe('');
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[1]).toEqual(answers[2]);
    const mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([DEMO.dinkesAdmin, DEMO.dinkesAdmin]);
    // The second request voided the first link.
    const [first, second] = mails.map((m) => linkOf(m.text));
    expect((await new WebClient(t.url).get(first!)).status).toBe(410);
    expect((await new WebClient(t.url).get(second!)).status).toBe(200);
    // A malformed address is a field error (it reveals nothing), in both languages on the API.
    const bad = await t.api('/api/v1/auth/password-reset', { json: { email: 'bukan-email' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.translations.id.fields.email).toBe('Alamat email tidak valid.');
    expect(bad.body.error.translations.en.fields.email).toBe('The email address is not valid.');
  });

  it('staff over the API: email in the account language, lockout and must_change_password cleared, audit entry', async () => {
    const [user] = await rows<{ id: string }>(sql`select id from users where email = ${DEMO.puprOfficer}`);
    await rows(sql`insert into notification_preferences (user_id, lang, updated_at)
      values (${user!.id}, 'en', now()) on conflict (user_id) do update set lang = 'en'`);
    await rows(sql`update users set must_change_password = true, failed_logins = 3,
      locked_until = ${new Date(START.getTime() + 3_600_000).toISOString()}::timestamptz where id = ${user!.id}`);
    const r = await t.api('/api/v1/auth/password-reset', {
      json: { email: DEMO.puprOfficer.toUpperCase() },
      headers: { 'accept-language': 'id' },
    });
    expect(r.status).toBe(202);
    const mails = await deliver();
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [DEMO.puprOfficer, 'Reset the password of your aduan account'],
    ]);
    const token = tokenOf(linkOf(mails[0]!.text));

    const weak = await t.api('/api/v1/auth/password-reset/confirm', { json: { token, password: 'pendek' } });
    expect(weak.status).toBe(422);
    expect(weak.body.error.translations.id.fields.password).toContain('10');
    expect(weak.body.error.translations.en.fields.password).toBe('At least 10 characters.');
    const unknown = await t.api('/api/v1/auth/password-reset/confirm', {
      json: { token: 'x'.repeat(43), password: NEW_PASSWORD },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.translations.en.fields.token).toContain('no longer valid');
    expect(unknown.body.error.translations.id.fields.token).toContain('tidak berlaku');

    const ok = await t.api('/api/v1/auth/password-reset/confirm', {
      json: { token, password: NEW_PASSWORD },
    });
    expect(ok.status).toBe(204);
    const login = await t.api('/api/v1/auth/login', {
      json: { email: DEMO.puprOfficer, password: NEW_PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.body.mustChangePassword).toBe(false);
    const used = await t.api('/api/v1/auth/password-reset/confirm', {
      json: { token, password: NEW_PASSWORD },
    });
    expect(used.status).toBe(422);

    const audit = await rows<{
      actor_user_id: string;
      target_id: string;
      details: unknown;
      agency_id: string;
    }>(
      sql`select actor_user_id, target_id, details, agency_id from admin_audit_log where action = 'account.password_reset'`,
    );
    expect(audit).toEqual([
      { actor_user_id: user!.id, target_id: user!.id, details: {}, agency_id: 'pupr-kaltim-unit' },
    ]);
    // A citizen's reset writes no administration-log entry (the first test reset one).
    const [{ n }] = (await rows<{ n: number }>(
      sql`select count(*)::int as n from admin_audit_log a join users u on u.id = a.target_id::uuid where u.email = ${DEMO.citizen}`,
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('an unverified citizen: the link proves the address and verifies the account', async () => {
    const c = new WebClient(t.url);
    const reg = await c.post('/daftar', {
      name: 'Rina Lupa',
      email: 'rina.lupa@contoh.aduan.id',
      password: 'sandi pertama panjang',
      passwordConfirm: 'sandi pertama panjang',
    });
    expect(reg.status).toBe(303);
    await requestLink('rina.lupa@contoh.aduan.id');
    const mails = (await deliver()).filter((m) => m.subject === 'Atur ulang kata sandi akun aduan Anda');
    expect(mails).toHaveLength(1);
    const token = tokenOf(linkOf(mails[0]!.text));
    const ok = await t.api('/api/v1/auth/password-reset/confirm', {
      json: { token, password: NEW_PASSWORD },
    });
    expect(ok.status).toBe(204);
    const roles = await rows<{ role: string }>(
      sql`select g.role from role_grants g join users u on u.id = g.user_id where u.email = 'rina.lupa@contoh.aduan.id'`,
    );
    expect(roles).toEqual([{ role: 'citizen' }]);
  });

  it('a link expires after 60 minutes', async () => {
    await requestLink(DEMO.balikpapanCoordinator);
    const [mail] = await deliver();
    const path = linkOf(mail!.text);
    t.setNow(new Date(START.getTime() + 59 * 60_000));
    expect((await new WebClient(t.url).get(path)).status).toBe(200);
    t.setNow(new Date(START.getTime() + 61 * 60_000));
    const late = await new WebClient(t.url).get(`${path}&lang=en`);
    expect(late.status).toBe(410);
    expect(late.html).toContain('This link is not valid');
    const post = await new WebClient(t.url).post('/atur-ulang-sandi?lang=en', {
      token: tokenOf(path),
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    });
    expect(post.status).toBe(410);
    expect((await new WebClient(t.url).get('/atur-ulang-sandi?token=bukan')).status).toBe(404);
  });

  it('a request writes the same tables for an unknown and a known address; the worker issues the link', async () => {
    // Row count and content digest of every table: a request may only change what it changes for any address.
    async function snapshot() {
      const tables = await rows<{ name: string }>(
        sql`select table_name as name from information_schema.tables
            where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      );
      const out = new Map<string, { n: number; h: string }>();
      for (const { name } of tables) {
        const [r] = await rows<{ n: number; h: string | null }>(
          sql.raw(
            `select count(*)::int as n, md5(string_agg(t::text, ',' order by t::text)) as h from "${name}" t`,
          ),
        );
        out.set(name, { n: r!.n, h: r!.h ?? '' });
      }
      return out;
    }
    /** The tables a call changed, with how many rows each gained. */
    async function writes(call: () => Promise<unknown>) {
      // A repeated hit of a rate-limit key is counted in memory and written within 250 ms (ADR 0008): flush it at
      // once so the snapshots do not race the background write.
      await flushRateLimits(t.runtime.services);
      const before = await snapshot();
      await call();
      await flushRateLimits(t.runtime.services);
      const after = await snapshot();
      const changed: Record<string, number> = {};
      for (const [name, a] of after) {
        const b = before.get(name)!;
        if (a.h !== b.h || a.n !== b.n) changed[name] = a.n - b.n;
      }
      return changed;
    }
    const unknownAddress = 'belum.terdaftar@contoh.aduan.id';
    const [known] = await rows<{ id: string }>(sql`select id from users where email = ${DEMO.puprAdmin}`);
    expect(known).toBeTruthy();
    // The client's own rate-limit counter exists before either request (its first request would create it).
    await requestLink('pemanasan@contoh.aduan.id');
    const page = async (email: string) => requestLink(email);
    const api = async (email: string) =>
      expect((await t.api('/api/v1/auth/password-reset', { json: { email } })).status).toBe(202);
    const expected = { outbox: 1, rate_limits: 1 }; // the queued request, the address's rate-limit counter
    expect(await writes(() => page(unknownAddress))).toEqual(expected);
    expect(await writes(() => page(DEMO.puprAdmin))).toEqual(expected);
    // Second requests for the same addresses: only counters move, on the API as on the page.
    expect(await writes(() => api(unknownAddress))).toEqual({ outbox: 1, rate_limits: 0 });
    expect(await writes(() => api(DEMO.puprAdmin))).toEqual({ outbox: 1, rate_limits: 0 });
    // No link, token or email exists before the worker runs; the queued request holds the address sealed only.
    const queued = await rows<{ kind: string; channel: string; payload: string }>(
      sql`select kind, channel, payload::text as payload from outbox where status = 'pending'`,
    );
    expect(queued.map((q) => [q.kind, q.channel])).toEqual(
      Array(5).fill(['account.password_reset_request', 'account']),
    );
    expect(queued.some((q) => q.payload.includes('@'))).toBe(false);
    const tokens = await rows<{ n: number }>(
      sql`select count(*)::int as n from account_tokens where user_id = ${known!.id}`,
    );
    expect(tokens[0]!.n).toBe(0);
    // The worker looks the addresses up: the known account gets its two links (the first voided), the others nothing.
    const mails = await deliver();
    expect(mails.map((m) => m.to)).toEqual([DEMO.puprAdmin, DEMO.puprAdmin]);
    const links = await rows<{ used: boolean }>(
      sql`select used_at is not null as used from account_tokens where user_id = ${known!.id} order by created_at, used_at nulls last`,
    );
    expect(links.map((l) => l.used).sort()).toEqual([false, true]);
    const left = await rows<{ n: number }>(sql`select count(*)::int as n from outbox where status <> 'sent'`);
    expect(left[0]!.n).toBe(0);
    // Handled requests keep no address, sealed or not.
    const handled = await rows<{ payload: unknown }>(
      sql`select payload from outbox where kind = 'account.password_reset_request'`,
    );
    expect(handled.length).toBeGreaterThanOrEqual(5);
    for (const h of handled) expect(Object.keys(h.payload as object)).toEqual(['lang']);
  });

  it('rate-limits requests per address (page and API share the counter)', async () => {
    const email = 'banjir.kotak@contoh.aduan.id';
    for (let i = 0; i < 4; i++) await requestLink(email);
    expect((await t.api('/api/v1/auth/password-reset', { json: { email } })).status).toBe(202);
    const page = await new WebClient(t.url).post('/lupa-sandi?lang=id', { email });
    expect(page.status).toBe(429);
    const api = await t.api('/api/v1/auth/password-reset', { json: { email: ` ${email.toUpperCase()}` } });
    expect(api.status).toBe(429);
    // Another address is not affected.
    expect(
      (await t.api('/api/v1/auth/password-reset', { json: { email: 'lain@contoh.aduan.id' } })).status,
    ).toBe(202);
  });
});
