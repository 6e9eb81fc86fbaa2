/**
 * Deadline explanations name the event that started the clock (real database, real HTTP): after a bukan-wewenang
 * return, a pull-back, a supplement, a dispute and an interim follow-up after the dispute, the deadline the JSON API
 * and the staff report page show says "sejak laporan dikembalikan sebagai bukan wewenang …" (and so on, in both
 * languages) with the date of that event, not "sejak laporan diterima" / "sejak laporan diteruskan". A holiday
 * edit recomputes the running clocks and keeps the event (it is found again from the timeline). `startCauseOf`,
 * which finds it, is tested here too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, DEMO, startTestApp, verifyReport, type TestApp } from '../../test/helpers/app.ts';
import { signInWeb, type WebClient } from '../../test/helpers/web-client.ts';
import { startCauseOf } from './clocks.ts';

let t: TestApp;
/** The coordinator's web session (signed in again after the clock moves: sessions older than 12 h expire). */
let staff: WebClient | null = null;
/** The reporters' access keys by tracking number. */
const keys = new Map<string, string>();

const at = (iso: string) => {
  t.setNow(new Date(iso));
  staff = null;
};
/** Bearer tokens (cached until the clock moves). */
const coordinator = () => t.login(DEMO.coordinator);
const agency = () => t.login(DEMO.puprAdmin);

async function submit(title: string): Promise<string> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title,
      body: `${title}. Mohon segera ditindaklanjuti oleh instansi yang berwenang.`,
      regionCode: '64.72.02',
      reporter: { name: 'Warga Uji Tenggat', email: 'tenggat@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  keys.set(r.body.trackingId, r.body.accessKey);
  return r.body.trackingId as string;
}

interface ShownDeadline {
  clock: string;
  explanation: string;
  explanations: { id: string; en: string };
}

/** The deadline the JSON API shows a verifier, in `lang`. */
async function apiDeadline(id: string, lang: 'id' | 'en' = 'id'): Promise<ShownDeadline> {
  const r = await t.api(`/api/v1/reports/${id}?lang=${lang}`, { token: await coordinator() });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.deadline;
}

/** The explanation in the deadline badge of the staff report page, in `lang`. */
async function staffExplanation(id: string, lang: 'id' | 'en' = 'id'): Promise<string> {
  staff ??= await signInWeb(t.url, DEMO.coordinator);
  const page = await staff.get(`/kantor/laporan/${id}?lang=${lang}`);
  expect(page.status).toBe(200);
  const m = /<p class="deadline-explanation">(.*?)<\/p>/s.exec(page.html);
  expect(m, 'deadline explanation on the staff page').not.toBeNull();
  return m![1]!.replace(/<!--.*?-->/g, '').replace(/&#x27;|&#39;/g, "'");
}

/** Checks what a verifier sees, in the API (both languages) and on the staff page. */
async function expectShown(
  id: string,
  clock: string,
  idText: string,
  enText: string,
): Promise<ShownDeadline> {
  const d = await apiDeadline(id);
  expect(d.clock).toBe(clock);
  expect(d.explanations.id).toContain(idText);
  expect(d.explanations.en).toContain(enText);
  expect(d.explanation).toBe(d.explanations.id);
  expect((await apiDeadline(id, 'en')).explanation).toBe(d.explanations.en);
  expect(await staffExplanation(id)).toContain(idText);
  expect(await staffExplanation(id, 'en')).toContain(enText);
  return d;
}

let returned: string;
let pulledBack: string;
let supplemented: string;
let disputed: string;

beforeAll(async () => {
  // Monday 7 September 2026, 10:00 WITA (Samarinda); no holiday in the weeks the clocks run.
  t = await startTestApp({ now: new Date('2026-09-07T02:00:00Z') });
  const categoryId = (await t.api('/api/v1/categories')).body.items[0].id as number;
  returned = await submit('Jembatan kayu di Sungai Kunjang lapuk');
  pulledBack = await submit('Lubang besar di jalan Cendana');
  supplemented = await submit('Drainase tersumbat di Loa Bakung');
  disputed = await submit('Aspal jalan Juanda mengelupas');

  at('2026-09-07T03:00:00Z'); // 11:00 WITA
  for (const id of [returned, pulledBack, disputed])
    await verifyReport(t, await coordinator(), id, 'pupr-kaltim', categoryId);
  await actOk(
    t,
    supplemented,
    'hold',
    { question: 'Di RT berapa drainase itu?' },
    { token: await coordinator() },
  );

  at('2026-09-08T02:00:00Z'); // Tuesday 8 September, 10:00 WITA
  await actOk(
    t,
    returned,
    'return',
    { note: 'Jembatan ini kewenangan Pemkot Samarinda.' },
    { token: await agency() },
  );
  await actOk(t, pulledBack, 'pull-back', { note: 'Salah instansi.' }, { token: await coordinator() });
  await actOk(
    t,
    supplemented,
    'supplement',
    { body: 'Di RT 12, depan masjid.' },
    { accessKey: keys.get(supplemented)! },
  );
  await actOk(
    t,
    disputed,
    'respond',
    { body: 'Jalan sudah ditambal.', final: true },
    { token: await agency() },
  );

  at('2026-09-09T02:00:00Z'); // Wednesday 9 September, 10:00 WITA
  await actOk(
    t,
    disputed,
    'dispute',
    { reason: 'Tambalan sudah lepas lagi.' },
    { accessKey: keys.get(disputed)! },
  );
});
afterAll(() => t?.close());

describe('deadline explanations name the event that started the clock', () => {
  it('after a bukan-wewenang return, the verification deadline says the report was returned', async () => {
    const d = await expectShown(
      returned,
      'verification',
      'Verifikasi paling lambat 3 hari kerja sejak laporan dikembalikan sebagai bukan wewenang 8 September 2026',
      'Verification is due within 3 working days of when the report was returned as not within the agency’s ' +
        'authority on 8 September 2026',
    );
    expect(d.explanations.id).not.toContain('laporan diterima');
    expect(d.explanations.en).not.toContain('was received');
  });

  it('after a pull-back, a supplement and a dispute, each deadline names its own event', async () => {
    await expectShown(
      pulledBack,
      'verification',
      'sejak laporan ditarik kembali ke verifikasi 8 September 2026',
      'of when the report was pulled back to verification on 8 September 2026',
    );
    await expectShown(
      supplemented,
      'verification',
      'sejak pelapor melengkapi laporan 8 September 2026',
      'of when the reporter added information on 8 September 2026',
    );
    const d = await expectShown(
      disputed,
      'follow_up',
      'Tindak lanjut paling lambat 5 hari kerja sejak pelapor menyanggah tindak lanjut 9 September 2026',
      'The follow-up is due within 5 working days of when the reporter disputed the follow-up on 9 September 2026',
    );
    expect(d.explanations.id).not.toContain('laporan diteruskan');
    // The reporter sees the same deadline on their report.
    const mine = await t.api(`/api/v1/reports/${disputed}`, { accessKey: keys.get(disputed)! });
    expect(mine.status).toBe(200);
    expect(mine.body.deadline.explanation).toContain(
      'sejak pelapor menyanggah tindak lanjut 9 September 2026',
    );
  });

  it('a holiday edit recomputes the running clocks and keeps the event they started on', async () => {
    at('2026-09-09T03:00:00Z');
    const national = await t.login(DEMO.national);
    const add = await t.api('/api/v1/holidays', {
      json: { date: '2026-09-11', name: 'Libur uji sebab tenggat', kind: 'libur_nasional_khusus' },
      token: national,
    });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    const cases: Array<[string, string, string, string]> = [
      [
        returned,
        'verification',
        'sejak laporan dikembalikan sebagai bukan wewenang 8 September 2026',
        '14 September',
      ],
      [
        pulledBack,
        'verification',
        'sejak laporan ditarik kembali ke verifikasi 8 September 2026',
        '14 September',
      ],
      [supplemented, 'verification', 'sejak pelapor melengkapi laporan 8 September 2026', '14 September'],
      [disputed, 'follow_up', 'sejak pelapor menyanggah tindak lanjut 9 September 2026', '17 September'],
    ];
    for (const [id, clock, since, due] of cases) {
      const d = await apiDeadline(id);
      expect(d.clock, id).toBe(clock);
      expect(d.explanations.id, id).toContain(since);
      expect(d.explanations.id, id).toContain('Libur uji sebab tenggat');
      expect(d.explanations.id, id).toContain(`batas waktu ${due} 2026`);
      expect(await staffExplanation(id)).toContain(since);
    }
    expect((await apiDeadline(returned)).explanations.en).toContain(
      'of when the report was returned as not within the agency’s authority on 8 September 2026',
    );
    expect((await apiDeadline(disputed)).explanations.en).toContain(
      'of when the reporter disputed the follow-up on 9 September 2026',
    );
  });

  it('the resolution clock restarted by the first interim follow-up after a dispute says so, also when recomputed', async () => {
    at('2026-09-10T02:00:00Z'); // Thursday 10 September, 10:00 WITA
    await actOk(
      t,
      disputed,
      'respond',
      { body: 'Tim sedang menambal ulang.', final: false },
      { token: await agency() },
    );
    await expectShown(
      disputed,
      'completion',
      'Penyelesaian paling lambat 14 hari kerja sejak instansi memberi tindak lanjut sementara 10 September 2026',
      'Resolution is due within 14 working days of when the agency gave an interim follow-up on 10 September 2026',
    );
    const add = await t.api('/api/v1/holidays', {
      json: { date: '2026-09-15', name: 'Libur uji kedua', kind: 'libur_nasional_khusus' },
      token: await t.login(DEMO.national),
    });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    const d = await apiDeadline(disputed);
    expect(d.explanations.id).toContain('sejak instansi memberi tindak lanjut sementara 10 September 2026');
    expect(d.explanations.id).toContain('Libur uji kedua');
  });
});

describe('startCauseOf', () => {
  const ev = (type: string, more: { final?: boolean; pullBack?: string } = {}) => ({ type, ...more });

  it('finds the event that started each clock', () => {
    expect(startCauseOf('verification', [ev('submit')])).toBeNull();
    expect(startCauseOf('verification', [ev('return')])).toBe('return');
    expect(startCauseOf('verification', [ev('return', { pullBack: 'dispatch' })])).toBe('pull_back');
    expect(startCauseOf('verification', [ev('return', { pullBack: 'auto_dispatch' })])).toBe('pull_back');
    expect(startCauseOf('verification', [ev('supplement')])).toBe('supplement');
    expect(startCauseOf('follow_up', [ev('verify')])).toBeNull();
    expect(startCauseOf('follow_up', [ev('dispute')])).toBe('dispute');
    expect(startCauseOf('completion', [ev('verify')])).toBeNull();
    expect(startCauseOf('completion', [ev('respond', { final: false })])).toBe('interim_follow_up');
    expect(startCauseOf('hold_reply', [ev('supplement')])).toBeNull();
    expect(startCauseOf('verification', [])).toBeNull();
  });

  it('takes the last start when several events share the instant (an injected clock)', () => {
    // Filed, verified, returned, verified again and disputed at one instant.
    const all = [ev('submit'), ev('verify'), ev('return'), ev('verify'), ev('respond', { final: true })];
    expect(startCauseOf('verification', all)).toBe('return');
    expect(startCauseOf('follow_up', [...all, ev('dispute')])).toBe('dispute');
    expect(startCauseOf('verification', [ev('submit'), ev('supplement')])).toBe('supplement');
    // An interim follow-up while the verify's resolution clock runs does not restart it.
    expect(startCauseOf('completion', [ev('verify'), ev('respond', { final: false })])).toBeNull();
    // After a final follow-up (and a dispute), the next interim one does.
    expect(
      startCauseOf('completion', [
        ev('verify'),
        ev('respond', { final: true }),
        ev('dispute'),
        ev('respond', { final: false }),
      ]),
    ).toBe('interim_follow_up');
    // A return stops it; the next verify starts the usual one.
    expect(
      startCauseOf('completion', [ev('respond', { final: false }), ev('return'), ev('verify')]),
    ).toBeNull();
  });
});
