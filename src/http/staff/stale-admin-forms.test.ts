/**
 * Back-office administration forms with a stale form token, over real HTTP and a real database (`staleAdminForm`,
 * admin-forms.ts; route config `staleForm`, web/render.ts): a post whose token no longer holds changes nothing (no
 * administration log entry) and comes back (403) as the form's own page, with the fields typed, a fresh token that
 * then works and the stale message in both languages; a key or password typed is never echoed (the message then says
 * to type it again). The page is shown only to whom may open it: a unit officer, an agency admin outside its scope,
 * a coordinator on the national admin's category page and a forged post to an agency that does not exist get the
 * error page, with nothing typed on it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb, type WebClient, type WebResponse } from '../../../test/helpers/web-client.ts';
import { FORGED, STALE, STALE_SECRETS } from '../../../test/helpers/stale-form-texts.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
});
afterAll(async () => {
  await t?.close();
});

/** Entries in the administration log: every admin command writes one, so an unchanged count means nothing done. */
async function logged(): Promise<number> {
  const r = (await t.runtime.services.db.execute(
    sql`select count(*)::int as n from admin_audit_log`,
  )) as unknown as { rows: Array<{ n: number }> };
  return r.rows[0]!.n;
}

/**
 * The form's own page for a stale token: 403, the message in the error summary, a form posting to `action`, a fresh
 * token (the session's, not the forged one), the typed `shows` and none of `secrets`. Returns the fresh token.
 */
function expectOwnForm(
  r: WebResponse,
  message: string,
  action: string,
  shows: string[],
  secrets: string[] = [],
): string {
  expect(r.status, r.html.slice(0, 300)).toBe(403);
  expect(r.html).toMatch(new RegExp(`class="error-summary"[^]*${message.replace(/[.()?]/g, '\\$&')}`));
  expect(r.html).toContain(`action="${action}`);
  for (const s of shows) expect(r.html).toContain(s);
  for (const s of secrets) expect(r.html).not.toContain(s);
  const fresh = csrfOf(r.html);
  expect(fresh).not.toBe('');
  expect(fresh).not.toBe(FORGED);
  return fresh;
}

/** One admin form: who posts it where, what is typed and what the stale page must show. */
interface Case {
  name: string;
  email: string;
  post: string;
  action: string;
  typed: Record<string, string | string[]>;
  shows: string[];
  lang: 'id' | 'en';
  /** Typed secrets: never on the page, and the message asks for them again. */
  secrets?: string[];
  /** Hosts the outbound guard lets through for the fresh post (a local receiver address). */
  allowHosts?: string[];
}

const CASES: Case[] = [
  {
    name: 'agencies: a new agency (national admin)',
    email: DEMO.national,
    post: '/kantor/admin/instansi?lang=id',
    action: '/kantor/admin/instansi?lang=id',
    typed: {
      name: 'Pemerintah Provinsi Papua Tengah',
      shortName: 'Pemprov Papua Tengah',
      kind: 'pemerintah_provinsi',
      regionCode: '94',
    },
    shows: ['value="Pemerintah Provinsi Papua Tengah"', 'value="Pemprov Papua Tengah"'],
    lang: 'id',
  },
  {
    name: "an agency's rename form (agency admin)",
    email: DEMO.puprAdmin,
    post: '/kantor/admin/instansi/pupr-kaltim/ubah?lang=en',
    action: '/kantor/admin/instansi/pupr-kaltim/ubah?lang=en',
    typed: { name: 'Dinas PUPR dan Perumahan Kaltim', shortName: 'PUPR-Pera Kaltim' },
    shows: ['value="Dinas PUPR dan Perumahan Kaltim"', 'value="PUPR-Pera Kaltim"'],
    lang: 'en',
  },
  {
    name: 'categories: a new category (national admin)',
    email: DEMO.national,
    post: '/kantor/admin/kategori?q=jalan&lang=en',
    action: '/kantor/admin/kategori',
    typed: { categoryName: 'Jalan Desa Rusak' },
    shows: ['value="Jalan Desa Rusak"'],
    lang: 'en',
  },
  {
    name: 'users: a staff invitation (agency admin)',
    email: DEMO.puprAdmin,
    post: '/kantor/admin/pengguna?lang=id',
    action: '/kantor/admin/pengguna?lang=id',
    typed: {
      name: 'Petugas Undangan Basi',
      email: 'undangan.basi@contoh.aduan.id',
      role: 'officer',
      agencyId: 'pupr-kaltim-unit',
    },
    shows: ['value="Petugas Undangan Basi"', 'value="undangan.basi@contoh.aduan.id"'],
    lang: 'id',
  },
  {
    name: 'calendar: a regional holiday (coordinator)',
    email: DEMO.coordinator,
    post: '/kantor/admin/kalender?lang=en',
    action: '/kantor/admin/kalender?lang=en',
    typed: { date: '2026-12-03', name: 'Hari jadi Kota Samarinda (basi)', regionCode: '64.72' },
    shows: ['value="2026-12-03"', 'value="Hari jadi Kota Samarinda (basi)"', 'value="64.72" selected'],
    lang: 'en',
  },
  {
    name: 'SLA rules: a regional rule (coordinator)',
    email: DEMO.coordinator,
    post: '/kantor/admin/sla?lang=id',
    action: '/kantor/admin/sla?lang=id',
    typed: {
      regionCode: '64',
      clock: 'verification',
      workingDays: '1',
      basis: 'Pergub Kaltim 12/2029 tentang Pengaduan (basi)',
      validFrom: '2026-04-01',
    },
    shows: ['value="Pergub Kaltim 12/2029 tentang Pengaduan (basi)"', 'value="2026-04-01"'],
    lang: 'id',
  },
  {
    name: "auto-dispatch: the instance's rule (national admin)",
    email: DEMO.national,
    post: '/kantor/admin/rute-otomatis/instans?lang=en',
    action: '/kantor/admin/rute-otomatis/instans?lang=en',
    typed: { instanceEnabled: 'on', instanceThreshold: '87' },
    shows: ['value="87"'],
    lang: 'en',
  },
  {
    name: 'integrations: a partner key, its name kept (agency admin)',
    email: DEMO.puprAdmin,
    post: '/kantor/integrasi/kunci?lang=id',
    action: '/kantor/integrasi/kunci?lang=id',
    typed: { keyName: 'Aplikasi Kota Basi', keyAgency: 'pupr-kaltim', keyOptions: 'agency' },
    shows: ['value="Aplikasi Kota Basi"'],
    lang: 'id',
  },
  {
    name: 'integrations: a webhook (agency admin)',
    email: DEMO.puprAdmin,
    post: '/kantor/integrasi/webhook?lang=en',
    action: '/kantor/integrasi/webhook?lang=en',
    typed: { url: 'http://127.0.0.1:9/basi', events: ['dispatched'], hookAgency: 'pupr-kaltim' },
    shows: ['value="http://127.0.0.1:9/basi"'],
    lang: 'en',
    allowHosts: ['127.0.0.1'],
  },
  {
    name: 'integrations: a federation peer, never its API key (national admin)',
    email: DEMO.national,
    post: '/kantor/integrasi/federasi?lang=en',
    action: '/kantor/integrasi/federasi?lang=en',
    typed: {
      peerInstance: 'aduan-basi',
      peerUrl: 'http://127.0.0.1:9/',
      peerKey: 'kunci-peer-rahasia-sekali',
    },
    shows: ['value="aduan-basi"', 'value="http://127.0.0.1:9/"'],
    secrets: ['kunci-peer-rahasia-sekali'],
    lang: 'en',
    allowHosts: ['127.0.0.1'],
  },
  {
    name: 'evaluation: a new period, its first day kept (national admin)',
    email: DEMO.national,
    post: '/kantor/evaluasi/baru?lang=id',
    action: '/kantor/evaluasi/baru',
    typed: {
      id: 'periode-basi',
      name: 'Periode Formulir Basi',
      from: '2026-01-01',
      to: '2026-02-28',
      minVolume: '1',
      w_volume: '10',
      t1_name: 'Baik',
      t1_min: '0',
      g1_id: 'periode-basi-pd',
      g1_name: 'Perangkat Daerah Kaltim',
      g1_scope: 'agency',
      g1_award: 'complaint_handling',
      g1_participants: 'pupr-kaltim\ndinkes-kaltim',
    },
    shows: [
      'value="periode-basi"',
      'value="Periode Formulir Basi"',
      'value="2026-01-01"',
      'dinkes-kaltim</textarea>',
    ],
    lang: 'id',
  },
];

describe('a back-office admin form with a stale token comes back as its own page', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.lang}): typed fields kept, nothing done until the fresh token`, async () => {
      const me = await signInWeb(t.url, c.email);
      const before = await logged();
      const stale = await me.post(c.post, { _csrf: FORGED, ...c.typed });
      const message = (c.secrets ? STALE_SECRETS : STALE)[c.lang];
      const fresh = expectOwnForm(stale, message, c.action, c.shows, c.secrets);
      expect(stale.html).toContain(`<html lang="${c.lang}"`);
      expect(await logged()).toBe(before);
      t.runtime.services.outboundAllowHosts = c.allowHosts ?? [];
      const sent = await me.post(c.post, { _csrf: fresh, ...c.typed });
      t.runtime.services.outboundAllowHosts = [];
      // A redirect; or, for an invitation without an email transport, the page showing its link once.
      expect([200, 303], sent.html.slice(0, 1500)).toContain(sent.status);
      expect(await logged()).toBeGreaterThan(before);
    });
  }

  it("an evaluation period's change form: the typed name kept, the period unchanged until the fresh token", async () => {
    const me = await signInWeb(t.url, DEMO.national);
    expect((await me.get('/kantor/evaluasi/periode-basi/ubah')).status, 'created by the case above').toBe(
      200,
    );
    // The period as created, with another name typed.
    const { id: _id, ...created } = CASES.find((c) => c.post.startsWith('/kantor/evaluasi/baru'))!.typed;
    const typed = { ...created, name: 'Periode Formulir Basi, Diubah' };
    const stale = await me.post('/kantor/evaluasi/periode-basi/ubah?lang=en', { _csrf: FORGED, ...typed });
    const fresh = expectOwnForm(stale, STALE.en, '/kantor/evaluasi/periode-basi/ubah', [
      'value="Periode Formulir Basi, Diubah"',
    ]);
    const name = async () =>
      (
        (await t.runtime.services.db.execute(
          sql`select name from evaluation_periods where id = 'periode-basi'`,
        )) as unknown as { rows: Array<{ name: string }> }
      ).rows[0]!.name;
    expect(await name()).toBe('Periode Formulir Basi');
    const sent = await me.post('/kantor/evaluasi/periode-basi/ubah', { _csrf: fresh, ...typed });
    expect(sent.status, sent.html.slice(0, 1500)).toBe(303);
    expect(await name()).toBe('Periode Formulir Basi, Diubah');
  });

  it("the user page's role form (agency admin): the page again with the fresh token, the role granted with it", async () => {
    const me = await signInWeb(t.url, DEMO.puprAdmin);
    const officer = (
      (await t.runtime.services.db.execute(
        sql`select id from users where email = ${DEMO.puprOfficer}`,
      )) as unknown as { rows: Array<{ id: string }> }
    ).rows[0]!.id;
    const before = await logged();
    const typed = { role: 'officer', agencyId: 'pupr-kaltim' };
    const stale = await me.post(`/kantor/admin/pengguna/${officer}/peran?lang=id`, {
      _csrf: FORGED,
      ...typed,
    });
    const fresh = expectOwnForm(stale, STALE.id, `/kantor/admin/pengguna/${officer}/peran?lang=id`, [
      DEMO.puprOfficer,
    ]);
    expect(await logged()).toBe(before);
    const sent = await me.post(`/kantor/admin/pengguna/${officer}/peran`, { _csrf: fresh, ...typed });
    expect(sent.status, sent.html.slice(0, 1500)).toBe(303);
    expect(await logged()).toBe(before + 1);
  });
});

describe('the own page only for whom may open it', () => {
  const TYPED = 'Nama Yang Diketik Basi';

  /** A stale post answered by the error page: the status, no form of the page, nothing typed given back. */
  async function expectErrorPage(me: WebClient, path: string, status: number) {
    const before = await logged();
    const r = await me.post(path, { _csrf: FORGED, name: TYPED, categoryName: TYPED });
    expect(r.status, r.html.slice(0, 300)).toBe(status);
    expect(r.html).not.toContain(TYPED);
    expect(r.html).not.toContain('method="post" action="/kantor/admin');
    expect(await logged()).toBe(before);
  }

  it('a unit officer posting to an agency form: 403, the error page', async () => {
    await expectErrorPage(
      await signInWeb(t.url, DEMO.puprOfficer),
      '/kantor/admin/instansi/pupr-kaltim/ubah',
      403,
    );
  });

  it("an agency admin posting to another agency's form: the 404 page", async () => {
    const me = await signInWeb(t.url, DEMO.puprAdmin);
    await expectErrorPage(me, '/kantor/admin/instansi/dinkes-kaltim/ubah', 404);
    await expectErrorPage(me, '/kantor/admin/instansi/tidak-ada/ubah', 404);
  });

  it("a coordinator posting to the national admin's agency and category forms: 403, the error page", async () => {
    const me = await signInWeb(t.url, DEMO.coordinator);
    for (const path of [
      '/kantor/admin/instansi',
      '/kantor/admin/kategori',
      '/kantor/admin/kategori/1/ubah',
      '/kantor/admin/kategori/1/status',
    ])
      await expectErrorPage(me, path, 403);
  });

  it('an agency admin posting to the calendar and SLA forms (coordinators and the national admin): 403', async () => {
    const me = await signInWeb(t.url, DEMO.puprAdmin);
    await expectErrorPage(me, '/kantor/admin/kalender', 403);
    await expectErrorPage(me, '/kantor/admin/sla', 403);
  });
});
