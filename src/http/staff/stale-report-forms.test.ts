/**
 * The report page's action forms with a stale form token, over real HTTP and a real database (`staleReportForm` and
 * the multipart follow-up's own check, staff/report.ts; route config `staleForm`, web/render.ts): a post whose token no
 * longer holds records nothing (no report event) and comes back (403) as the report page, with the text typed in the
 * same form, a fresh token that then works and the stale message in both languages (a follow-up with files says to
 * pick them again). The page is shown only to whom may open the report's staff page: an agency outside the report's
 * scope and a citizen get the error page with nothing typed; on an anonim report the agency's re-render carries no
 * reporter identity, exactly as its normal page.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../db/client.ts';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../test/helpers/pdf.ts';
import { csrfOf, signInWeb, type WebClient, type WebResponse } from '../../../test/helpers/web-client.ts';
import { FORGED, STALE, STALE_FILES } from '../../../test/helpers/stale-form-texts.ts';

let t: TestApp;
let coord: string;
let category: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z'), limits: { submitPerMinute: 1000 } });
  coord = await t.login(DEMO.coordinator);
  category = await categoryIdByName(t);
});
afterAll(async () => {
  await t?.close();
});

/** The report's events: every action records one, so an unchanged count means nothing done. */
async function events(trackingId: string): Promise<number> {
  return (
    await query<{ n: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n from report_events e join reports r on r.id = e.report_id
           where r.tracking_id = ${trackingId}`,
    )
  )[0]!.n;
}

/** A new report waiting for verification (named unless `json` says otherwise). */
const submitted = (title: string, json: Record<string, unknown> = {}) =>
  submitReport(t, title, { reporter: { name: 'Budi Santoso' }, ...json });

/** A new report dispatched to PUPR Kaltim by the coordinator. */
async function dispatched(title: string, json: Record<string, unknown> = {}): Promise<string> {
  const id = await submitted(title, json);
  await verifyReport(t, coord, id, 'pupr-kaltim', category);
  return id;
}

/**
 * The report page for a stale token: 403, the message in the error summary, the report's page (its tracking number),
 * the form posting to `action` (unless the form is not offered, `noForm`), the typed `shows`, a fresh token (the
 * session's, not the forged one). Returns the fresh token.
 */
function expectReportPage(
  r: WebResponse,
  id: string,
  message: string,
  action: string,
  shows: string[],
  noForm = false,
): string {
  expect(r.status, r.html.slice(0, 300)).toBe(403);
  expect(r.html).toMatch(new RegExp(`class="error-summary"[^]*${message.replace(/[.()?]/g, '\\$&')}`));
  expect(r.html).toContain(id);
  if (!noForm) expect(r.html).toContain(`action="/kantor/laporan/${id}/${action}`);
  for (const s of shows) expect(r.html, s).toContain(s);
  const fresh = csrfOf(r.html);
  expect(fresh).not.toBe('');
  expect(fresh).not.toBe(FORGED);
  return fresh;
}

/** One report form: who posts it, on which report, what is typed and what the page must show. */
interface Case {
  name: string;
  email: string;
  report: () => Promise<string>;
  action: string;
  typed: (id: string) => Record<string, string | string[]>;
  shows: (id: string) => string[];
  lang: 'id' | 'en';
}

const CASES: Case[] = [
  {
    name: 'verify (coordinator)',
    email: DEMO.coordinator,
    report: () => submitted('Jalan berlubang di Jalan Pangeran Antasari'),
    action: 'verify',
    typed: () => ({
      classification: 'aspirasi',
      categoryId: String(category),
      agencyId: 'dinkes-kaltim',
      flags: 'confidential',
    }),
    shows: () => [
      'value="aspirasi" checked',
      'value="dinkes-kaltim" selected',
      'value="confidential" checked',
    ],
    lang: 'id',
  },
  {
    name: 'hold, the question typed (coordinator)',
    email: DEMO.coordinator,
    report: () => submitted('Trotoar rusak di Jalan Basuki Rahmat'),
    action: 'hold',
    typed: () => ({ question: 'Mohon sebutkan nomor rumah terdekat dan foto trotoar yang rusak (basi).' }),
    shows: () => ['Mohon sebutkan nomor rumah terdekat dan foto trotoar yang rusak (basi).</textarea>'],
    lang: 'en',
  },
  {
    name: 'archive, the reason and note typed (coordinator)',
    email: DEMO.coordinator,
    report: () => submitted('Keluhan umum tentang pelayanan kantor'),
    action: 'archive',
    typed: () => ({
      reason: 'too_general',
      archiveNote: 'Terlalu umum: tidak menyebut kantor maupun waktu (basi).',
    }),
    shows: () => [
      'value="too_general" selected',
      'Terlalu umum: tidak menyebut kantor maupun waktu (basi).</textarea>',
    ],
    lang: 'id',
  },
  {
    name: 'merge (archive as a duplicate of another report, coordinator)',
    email: DEMO.coordinator,
    report: () => submitted('Lampu jalan padam di Jalan Juanda ujung'),
    action: 'archive',
    typed: () => ({
      reason: 'duplicate',
      duplicateOf: KEPT.id,
      archiveNote: 'Sama dengan laporan sebelumnya (basi).',
    }),
    shows: () => [
      'value="duplicate" selected',
      `value="${KEPT.id}"`,
      'Sama dengan laporan sebelumnya (basi).</textarea>',
    ],
    lang: 'en',
  },
  {
    name: 'pull-back (coordinator)',
    email: DEMO.coordinator,
    report: () => dispatched('Drainase tersumbat di Jalan Slamet Riyadi'),
    action: 'pull-back',
    typed: () => ({ pullBackNote: 'Salah instansi: ini wewenang kota, bukan provinsi (basi).' }),
    shows: () => ['Salah instansi: ini wewenang kota, bukan provinsi (basi).</textarea>'],
    lang: 'id',
  },
  {
    name: 'internal note (coordinator)',
    email: DEMO.coordinator,
    report: () => submitted('Genangan air di Jalan Cendana'),
    action: 'note',
    typed: () => ({ noteBody: 'Sudah ditelepon, pelapor akan mengirim foto susulan (catatan basi).' }),
    shows: () => ['Sudah ditelepon, pelapor akan mengirim foto susulan (catatan basi).</textarea>'],
    lang: 'en',
  },
  {
    name: 'disposisi to a unit (agency admin)',
    email: DEMO.puprAdmin,
    report: () => dispatched('Jembatan kayu lapuk di Sungai Karang Mumus'),
    action: 'dispose',
    typed: () => ({
      unitId: 'pupr-kaltim-unit',
      disposeNote: 'Mohon ditinjau minggu ini bersama pengawas (basi).',
    }),
    shows: () => [
      'value="pupr-kaltim-unit" selected',
      'Mohon ditinjau minggu ini bersama pengawas (basi).</textarea>',
    ],
    lang: 'id',
  },
  {
    name: 'return, bukan wewenang (agency admin)',
    email: DEMO.puprAdmin,
    report: () => dispatched('Pungutan liar di puskesmas kecamatan'),
    action: 'return',
    typed: () => ({
      returnNote: 'Ini wewenang Dinas Kesehatan, bukan PUPR (basi).',
      suggestedAgencyId: 'dinkes-kaltim',
    }),
    shows: () => [
      'Ini wewenang Dinas Kesehatan, bukan PUPR (basi).</textarea>',
      'value="dinkes-kaltim" selected',
    ],
    lang: 'en',
  },
  {
    name: 'assign (agency admin)',
    email: DEMO.puprAdmin,
    report: () => dispatched('Saluran irigasi jebol di Desa Sungai Siring'),
    action: 'assign',
    typed: () => ({ assignee: OFFICER.id }),
    shows: () => [`value="${OFFICER.id}" selected`],
    lang: 'id',
  },
];

/** A report the merge case names as the one kept. */
const KEPT = { id: '' };
/** The PUPR admin's user id (the assign case: the admin takes the report on). */
const OFFICER = { id: '' };

beforeAll(async () => {
  KEPT.id = await submitted('Lampu jalan padam di Jalan Juanda');
  OFFICER.id = (
    await query<{ id: string }>(
      t.runtime.services.db,
      sql`select id from users where email = ${DEMO.puprAdmin}`,
    )
  )[0]!.id;
});

describe("a report page's form with a stale token comes back as the report page", () => {
  for (const c of CASES) {
    it(`${c.name} (${c.lang}): what was typed is in the form, nothing recorded until the fresh token`, async () => {
      const id = await c.report();
      const me = await signInWeb(t.url, c.email);
      const before = await events(id);
      const post = `/kantor/laporan/${id}/${c.action}?lang=${c.lang}`;
      const typed = c.typed(id);
      const stale = await me.post(post, { _csrf: FORGED, ...typed });
      const fresh = expectReportPage(stale, id, STALE[c.lang], c.action, c.shows(id));
      expect(stale.html).toContain(`<html lang="${c.lang}"`);
      expect(await events(id)).toBe(before);
      const sent = await me.post(post, { _csrf: fresh, ...typed });
      expect(sent.status, sent.html.slice(0, 1500)).toBe(303);
      expect(await events(id)).toBeGreaterThan(before);
    });
  }

  it('a follow-up (multipart): the text and its kind kept; with a file, the message says to pick it again', async () => {
    const id = await dispatched('Jalan amblas di Jalan Ir. H. Juanda');
    const me = await signInWeb(t.url, DEMO.puprAdmin);
    const before = await events(id);
    const text = 'Tim sudah menimbun jalan yang amblas dan memasang rambu sementara (basi).';
    const form = (csrf: string, file?: boolean) => {
      const f = new FormData();
      f.set('_csrf', csrf);
      f.set('body', text);
      f.set('kind', 'final');
      if (file)
        f.set('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'bukti.pdf');
      return f;
    };
    const stale = await me.postMultipart(`/kantor/laporan/${id}/respond?lang=en`, form(FORGED));
    expectReportPage(stale, id, STALE.en, 'respond', [`${text}</textarea>`, 'value="final" checked']);
    const withFile = await me.postMultipart(`/kantor/laporan/${id}/respond?lang=id`, form(FORGED, true));
    const fresh = expectReportPage(withFile, id, STALE_FILES.id, 'respond', [`${text}</textarea>`]);
    expect(await events(id)).toBe(before);
    const sent = await me.postMultipart(`/kantor/laporan/${id}/respond`, form(fresh));
    expect(sent.status, sent.html.slice(0, 1500)).toBe(303);
    expect(await events(id)).toBeGreaterThan(before);
  });

  it('a form no longer offered (the hand-off to the Ombudsman, not open yet): the page with the text read-only', async () => {
    const id = await submitted('Pelayanan KTP lambat di kecamatan');
    const me = await signInWeb(t.url, DEMO.coordinator);
    const before = await events(id);
    const note = 'Pelapor setuju lewat telepon agar laporan diteruskan ke Ombudsman (basi).';
    const stale = await me.post(`/kantor/laporan/${id}/escalate?lang=id`, {
      _csrf: FORGED,
      consent: '1',
      note,
    });
    expectReportPage(stale, id, STALE.id, 'escalate', [`${note}</textarea>`, 'readonly'], true);
    expect(await events(id)).toBe(before);
  });

  it('an image release (no text typed): the report page with the message and a fresh token', async () => {
    const id = await submitted('Sampah menumpuk di pasar');
    const me = await signInWeb(t.url, DEMO.coordinator);
    const stale = await me.post(
      `/kantor/laporan/${id}/lampiran/00000000-0000-4000-8000-000000000000/teruskan?lang=en`,
      { _csrf: FORGED },
    );
    expectReportPage(stale, id, STALE.en, 'release', [], true);
  });
});

describe('the report page only for whom may open it', () => {
  const TYPED = 'Teks yang diketik basi, jangan ditampilkan';

  /** A stale post answered by the error page: the status, no form of the report page, nothing typed given back. */
  async function expectErrorPage(me: WebClient, id: string, r: WebResponse, status: number) {
    expect(r.status, r.html.slice(0, 300)).toBe(status);
    expect(r.html).not.toContain(TYPED);
    expect(r.html).not.toContain(`action="/kantor/laporan/${id}/`);
    void me;
  }

  it("another agency's admin, on a rahasia report out of its scope: the 404 page, for the url-encoded and the multipart forms", async () => {
    const id = await dispatched('Jalan rusak berat di Jalan Pahlawan', { confidential: true });
    const before = await events(id);
    const me = await signInWeb(t.url, DEMO.dinkesAdmin);
    expect((await me.get(`/kantor/laporan/${id}`)).status, 'its GET').toBe(404);
    for (const [action, field] of [
      ['note', 'noteBody'],
      ['return', 'returnNote'],
      ['dispose', 'disposeNote'],
    ] as const)
      await expectErrorPage(
        me,
        id,
        await me.post(`/kantor/laporan/${id}/${action}`, { _csrf: FORGED, [field]: TYPED }),
        404,
      );
    const f = new FormData();
    f.set('_csrf', FORGED);
    f.set('body', TYPED);
    f.set('kind', 'interim');
    await expectErrorPage(me, id, await me.postMultipart(`/kantor/laporan/${id}/respond`, f), 404);
    expect(await events(id)).toBe(before);
  });

  it('a citizen: 403, the error page', async () => {
    const id = await submitted('Air PDAM keruh di perumahan');
    const before = await events(id);
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/');
    await expectErrorPage(
      me,
      id,
      await me.post(`/kantor/laporan/${id}/note`, { _csrf: FORGED, noteBody: TYPED }),
      403,
    );
    expect(await events(id)).toBe(before);
  });
});

describe('an anonim report', () => {
  const REPORTER = {
    name: 'Wulandari Kusumaningrum',
    phone: '081277700456',
    email: 'wulan.k@contoh.aduan.id',
  };
  const OWN = /Wulandari|Kusumaningrum|7770[- ]?0456|wulan\.k@/i;

  it("the agency's stale re-render carries no reporter identity, as its normal page", async () => {
    const id = await dispatched('Lampu jalan padam di Jalan Gatot Subroto', {
      anonymous: true,
      reporter: REPORTER,
    });
    const me = await signInWeb(t.url, DEMO.puprAdmin);
    const page = await me.get(`/kantor/laporan/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toMatch(OWN);
    const note = 'Petugas dijadwalkan memeriksa lampu hari Kamis (basi).';
    for (const [action, form] of [
      ['note', { noteBody: note }],
      ['dispose', { unitId: 'pupr-kaltim-unit', disposeNote: note }],
      ['return', { returnNote: note }],
    ] as const) {
      const stale = await me.post(`/kantor/laporan/${id}/${action}`, { _csrf: FORGED, ...form });
      expectReportPage(stale, id, STALE.id, action, [`${note}</textarea>`]);
      expect(stale.html).not.toMatch(OWN);
    }
    const f = new FormData();
    f.set('_csrf', FORGED);
    f.set('body', note);
    f.set('kind', 'interim');
    const respond = await me.postMultipart(`/kantor/laporan/${id}/respond`, f);
    expectReportPage(respond, id, STALE.id, 'respond', [`${note}</textarea>`]);
    expect(respond.html).not.toMatch(OWN);
    // The verifier, who may see the reporter, sees the identity on its re-render as on its page (the check can fail).
    const verifier = await signInWeb(t.url, DEMO.coordinator);
    const own = await verifier.post(`/kantor/laporan/${id}/note`, { _csrf: FORGED, noteBody: note });
    expectReportPage(own, id, STALE.id, 'note', [`${note}</textarea>`]);
    expect(own.html).toMatch(OWN);
  });
});

describe('the walk-in form, the notification preferences and the evaluation forms with a stale token', () => {
  const count = async (table: 'reports' | 'evaluation_rubric_scores') =>
    (
      await query<{ n: number }>(
        t.runtime.services.db,
        sql`select count(*)::int as n from ${sql.identifier(table)}`,
      )
    )[0]!.n;

  it('the walk-in form (en): the form again with what was typed; no report until the fresh token', async () => {
    const me = await signInWeb(t.url, DEMO.puprOfficer);
    const typed = {
      channel: 'phone',
      identity: 'named',
      visibility: 'public',
      classification: 'pengaduan',
      title: 'Lubang besar di Jalan Pramuka (lewat telepon)',
      body: 'Penelepon melaporkan lubang besar di depan kampus yang sudah memakan korban pengendara motor.',
      regionCode: '64.72.02',
      'reporter.name': 'Pak Rahmat Penelepon',
    };
    const before = await count('reports');
    const stale = await me.post('/kantor/lapor-langsung?lang=en', { _csrf: FORGED, ...typed });
    expect(stale.status, stale.html.slice(0, 300)).toBe(403);
    expect(stale.html).toMatch(new RegExp(`class="error-summary"[^]*${STALE.en.replace(/[.()?]/g, '\\$&')}`));
    expect(stale.html).toContain('action="/kantor/lapor-langsung?lang=en"');
    for (const s of [
      `value="${typed.title}"`,
      `${typed.body}</textarea>`,
      'value="Pak Rahmat Penelepon"',
      'value="phone" checked',
      'value="named" checked',
      'value="public" checked',
    ])
      expect(stale.html, s).toContain(s);
    const fresh = csrfOf(stale.html);
    expect(fresh).not.toBe(FORGED);
    expect(await count('reports')).toBe(before);
    const sent = await me.post('/kantor/lapor-langsung?lang=en', { _csrf: fresh, ...typed });
    expect(sent.status, sent.html.slice(0, 1500)).toBe(303);
    expect(sent.location).toContain('/kantor/lapor-langsung/selesai');
    expect(await count('reports')).toBe(before + 1);
  });

  it('notification preferences (id): the choices sent are shown, nothing saved until the fresh token', async () => {
    const me = await signInWeb(t.url, DEMO.dinkesAdmin);
    const form = (html: string) =>
      html.slice(html.indexOf('<form method="post" action="/kantor/preferensi"'));
    const plain = (html: string) => form(html).replace(/name="_csrf" value="[^"]*"/, '');
    const saved = await me.get('/kantor/preferensi');
    expect(saved.html).not.toContain('value="digest" checked');
    const typed = { channels: ['email', 'digest'], lang: 'en' };
    const stale = await me.post('/kantor/preferensi?lang=id', { _csrf: FORGED, ...typed });
    expect(stale.status, stale.html.slice(0, 300)).toBe(403);
    expect(stale.html).toContain('<html lang="id"');
    expect(stale.html).toMatch(new RegExp(`class="error-summary"[^]*${STALE.id.replace(/[.()?]/g, '\\$&')}`));
    for (const s of ['value="email" checked', 'value="digest" checked', 'value="en" checked'])
      expect(form(stale.html), s).toContain(s);
    const fresh = csrfOf(stale.html);
    expect(fresh).not.toBe(FORGED);
    expect(plain((await me.get('/kantor/preferensi')).html), 'nothing saved').toBe(plain(saved.html));
    const sent = await me.post('/kantor/preferensi', { _csrf: fresh, ...typed });
    expect(sent.status, sent.html.slice(0, 1500)).toBe(303);
    expect(form((await me.get('/kantor/preferensi')).html)).toContain('value="digest" checked');
  });

  it('a citizen posting to the walk-in and preferences forms: 403, the error page with nothing typed', async () => {
    const me = await signInWeb(t.url, DEMO.citizen, undefined, '/');
    const TYPED = 'Judul laporan warga yang diketik basi';
    for (const path of ['/kantor/lapor-langsung', '/kantor/preferensi']) {
      const r = await me.post(path, { _csrf: FORGED, title: TYPED, channels: 'email' });
      expect(r.status, r.html.slice(0, 300)).toBe(403);
      expect(r.html).not.toContain(TYPED);
      expect(r.html).not.toContain(`method="post" action="${path}`);
    }
  });

  describe('evaluation', () => {
    const PERIOD = 'basi-2026';
    beforeAll(async () => {
      const created = await t.api('/api/v1/evaluation/periods', {
        token: await t.login(DEMO.national),
        json: {
          id: PERIOD,
          name: 'Evaluasi Formulir Basi',
          from: '2026-01-01',
          to: '2026-12-31',
          groups: [
            {
              id: `${PERIOD}-pd`,
              name: 'Perangkat Daerah',
              scope: 'agency',
              participants: [{ agencyId: 'pupr-kaltim' }],
            },
          ],
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    });

    const scoreForm = (csrf: string, file = false) => {
      const f = new FormData();
      f.set('_csrf', csrf);
      f.set('agencyId', 'pupr-kaltim');
      f.set('indicator', 'inovasi');
      f.set('score', '77');
      f.set('justification', 'Inovasi layanan pengaduan lewat aplikasi kota, dengan SK tim (basi).');
      if (file)
        f.set('evidence', new Blob([Buffer.from(MINIMAL_PDF)], { type: 'application/pdf' }), 'bukti.pdf');
      return f;
    };

    it('the scoring form (multipart): the participant, indicator, score and justification kept; with a file, pick it again', async () => {
      const me = await signInWeb(t.url, DEMO.assessor);
      const before = await count('evaluation_rubric_scores');
      const stale = await me.postMultipart(`/kantor/evaluasi/${PERIOD}/nilai?lang=en`, scoreForm(FORGED));
      expect(stale.status, stale.html.slice(0, 300)).toBe(403);
      expect(stale.html).toMatch(
        new RegExp(`class="error-summary"[^]*${STALE.en.replace(/[.()?]/g, '\\$&')}`),
      );
      expect(stale.html).toContain(`action="/kantor/evaluasi/${PERIOD}/nilai`);
      for (const s of [
        'value="pupr-kaltim"',
        'value="inovasi" selected',
        'value="77"',
        'Inovasi layanan pengaduan lewat aplikasi kota, dengan SK tim (basi).</textarea>',
      ])
        expect(stale.html, s).toContain(s);
      const withFile = await me.postMultipart(
        `/kantor/evaluasi/${PERIOD}/nilai?lang=id`,
        scoreForm(FORGED, true),
      );
      expect(withFile.status).toBe(403);
      expect(withFile.html).toMatch(
        new RegExp(`class="error-summary"[^]*${STALE_FILES.id.replace(/[.()?]/g, '\\$&')}`),
      );
      const fresh = csrfOf(withFile.html);
      expect(fresh).not.toBe(FORGED);
      expect(await count('evaluation_rubric_scores')).toBe(before);
      const sent = await me.postMultipart(`/kantor/evaluasi/${PERIOD}/nilai`, scoreForm(fresh, true));
      expect(sent.status, sent.html.slice(0, 1500)).toBe(303);
      expect(await count('evaluation_rubric_scores')).toBe(before + 1);
    });

    it('the publish form: the period page again, nothing published until the fresh token', async () => {
      const me = await signInWeb(t.url, DEMO.national);
      const page = await me.get(`/kantor/evaluasi/${PERIOD}`);
      const preview = /name="preview" value="([0-9a-f]{64})"/.exec(page.html)?.[1];
      expect(preview).toBeDefined();
      const stale = await me.post(`/kantor/evaluasi/${PERIOD}/terbitkan?lang=id`, {
        _csrf: FORGED,
        preview: preview!,
      });
      expect(stale.status, stale.html.slice(0, 300)).toBe(403);
      expect(stale.html).toMatch(
        new RegExp(`class="error-summary"[^]*${STALE.id.replace(/[.()?]/g, '\\$&')}`),
      );
      expect(stale.html).toContain(`action="/kantor/evaluasi/${PERIOD}/terbitkan"`);
      const fresh = csrfOf(stale.html);
      expect(fresh).not.toBe(FORGED);
      expect((await me.get(`/kantor/evaluasi/${PERIOD}`)).html, 'not published').toContain(
        `action="/kantor/evaluasi/${PERIOD}/terbitkan"`,
      );
      const sent = await me.post(`/kantor/evaluasi/${PERIOD}/terbitkan`, { _csrf: fresh, preview: preview! });
      expect(sent.status, sent.html.slice(0, 1500)).toBe(303);
      expect(sent.location).toBe(`/kantor/evaluasi/${PERIOD}?ok=published`);
    });

    it('an agency officer posting to the publish and scoring forms: 403, the error page with nothing typed', async () => {
      const me = await signInWeb(t.url, DEMO.puprOfficer);
      const r = await me.post(`/kantor/evaluasi/${PERIOD}/terbitkan`, {
        _csrf: FORGED,
        preview: 'a'.repeat(64),
      });
      expect(r.status).toBe(403);
      expect(r.html).not.toContain(`action="/kantor/evaluasi/${PERIOD}/terbitkan"`);
      const s = await me.postMultipart(`/kantor/evaluasi/${PERIOD}/nilai`, scoreForm(FORGED));
      expect(s.status).toBe(403);
      expect(s.html).not.toContain('dengan SK tim (basi)');
    });
  });
});
