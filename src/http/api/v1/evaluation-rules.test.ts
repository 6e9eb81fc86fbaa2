/**
 * Evaluation period rules over real HTTP (findings F3, F4, F5, F7, F8, F9, F10):
 * - a bad definition is a 422 with field messages in both languages and nothing written: a group id used by
 *   another period or twice, a participant twice in a group, a group without participants, thresholds without a
 *   0 floor or with equal minimums, weights that are all 0;
 * - a rubric score is a whole number 0–100 in decimal digits (blank, hex, decimals, negatives → 422 with the
 *   right message); scoring an unknown period is 404;
 * - equal totals share a rank (1, 1, 3); an award entry nobody assessed is not ranked and gets no certificate;
 * - a published period cannot be changed or published again (409, both languages).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../../test/helpers/pdf.ts';
import { snapshotOpenData } from '../../../commands/snapshot-open-data.ts';
import { publishReviewed } from '../../../../test/helpers/evaluation.ts';

let t: TestApp;
let national: string;

const base = (id: string, groups: unknown[], extra: Record<string, unknown> = {}) => ({
  id,
  name: `Periode ${id}`,
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 0,
  groups,
  ...extra,
});
const group = (id: string, ...agencies: string[]) => ({
  id,
  name: `Kelompok ${id}`,
  scope: 'agency',
  participants: agencies.map((agencyId) => ({ agencyId })),
});

async function create(body: unknown) {
  return t.api('/api/v1/evaluation/periods', { json: body, token: national });
}

async function score(periodId: string, agencyId: string, value: string, indicator = 'komitmen_pimpinan') {
  const form = new FormData();
  form.set('agencyId', agencyId);
  form.set('indicator', indicator);
  form.set('score', value);
  form.set('justification', 'Justifikasi penilaian yang cukup panjang untuk pengujian.');
  form.set('evidence', new Blob([Buffer.from(MINIMAL_PDF)]), 'bukti.pdf');
  const res = await fetch(`${t.url}/api/v1/evaluation/periods/${periodId}/scores`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await t.login(DEMO.assessor)}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/** The field messages of a 422 in both languages. */
const messages = (body: any, field: string) => [
  body.error.translations.id.fields[field],
  body.error.translations.en.fields[field],
];

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  national = await t.login(DEMO.national);
}, 60_000);
afterAll(() => t?.close());

describe('a bad period definition is a 422 and nothing is written', () => {
  it('a group id used by another period, twice in the body, or a participant twice (not a 500)', async () => {
    expect((await create(base('rules-a', [group('rules-a-g', 'pupr-kaltim')]))).status).toBe(201);
    // Replacing a period keeps its own group ids.
    expect((await create(base('rules-a', [group('rules-a-g', 'pupr-kaltim')]))).status).toBe(201);

    let r = await create(base('rules-b', [group('rules-a-g', 'dinkes-kaltim')]));
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(messages(r.body, 'groups.0.id')).toEqual([
      'Kode kelompok ini sudah dipakai periode rules-a; pilih kode lain.',
      'This group code is already used by period rules-a; choose another code.',
    ]);

    r = await create(
      base('rules-b', [group('rules-b-g', 'pupr-kaltim'), group('rules-b-g', 'dinkes-kaltim')]),
    );
    expect(r.status).toBe(422);
    expect(messages(r.body, 'groups.1.id')).toEqual([
      'Kode kelompok ini dipakai lebih dari satu kelompok dalam periode ini.',
      'More than one group of this period uses this group code.',
    ]);

    r = await create(base('rules-b', [group('rules-b-g', 'pupr-kaltim', 'dinkes-kaltim', 'pupr-kaltim')]));
    expect(r.status).toBe(422);
    expect(messages(r.body, 'groups.0.participants.2.agencyId')).toEqual([
      'Instansi pupr-kaltim tercantum lebih dari sekali dalam kelompok ini.',
      'Agency pupr-kaltim is listed more than once in this group.',
    ]);

    r = await create(base('rules-b', [group('rules-b-g', 'pupr-kaltim'), group('rules-b-h')]));
    expect(r.status).toBe(422);
    expect(messages(r.body, 'groups.1.participants')).toEqual([
      'Isi setidaknya satu peserta untuk kelompok ini.',
      'Enter at least one participant for this group.',
    ]);

    r = await create(base('rules-b', [group('rules-b-g', 'pupr-kaltim', 'tidak-ada')]));
    expect(r.status).toBe(422);
    expect(messages(r.body, 'groups.0.participants')[1]).toBe('Unknown agency code(s): tidak-ada.');

    expect((await t.api('/api/v1/evaluation/periods/rules-b')).status).toBe(404);
    const a = await t.api('/api/v1/evaluation/periods/rules-a');
    expect(a.body.groups.map((g: any) => [g.id, g.participants])).toEqual([['rules-a-g', ['pupr-kaltim']]]);
  });

  it('thresholds need a 0 floor and distinct minimums; weights need one above 0', async () => {
    const g = [group('rules-c-g', 'pupr-kaltim')];
    let r = await create(base('rules-c', g, { thresholds: [{ predikat: 'A', min: 90 }] }));
    expect(r.status).toBe(422);
    expect(messages(r.body, 'thresholds')[1]).toBe(
      'Add a predikat with lowest total 0 so that every total gets a predikat.',
    );
    r = await create(
      base('rules-c', g, {
        thresholds: [
          { predikat: 'A', min: 50 },
          { predikat: 'B', min: 50 },
          { predikat: 'C', min: 0 },
        ],
      }),
    );
    expect(r.status).toBe(422);
    expect(messages(r.body, 'thresholds.1.min')[0]).toBe(
      'Nilai terendah 50 sudah dipakai predikat lain; setiap predikat perlu nilai terendah yang berbeda.',
    );
    for (const weights of [{}, { volume: 0, completion_rate: 0 }]) {
      r = await create(base('rules-c', g, { weights }));
      expect(r.status, JSON.stringify(weights)).toBe(422);
      expect(messages(r.body, 'weights')).toEqual([
        'Isi setidaknya satu bobot lebih dari 0.',
        'Enter at least one weight above 0.',
      ]);
    }
    expect((await t.api('/api/v1/evaluation/periods/rules-c')).status).toBe(404);
  });
});

describe('rubric scores', () => {
  it('are whole numbers 0–100 in decimal digits; an unknown period is 404', async () => {
    expect((await create(base('rules-s', [group('rules-s-g', 'pupr-kaltim')]))).status).toBe(201);
    for (const [raw, id, en] of [
      ['', 'Wajib diisi.', 'This field is required.'],
      ['  ', 'Wajib diisi.', 'This field is required.'],
      [
        '0x40',
        'Isi bilangan bulat 0 sampai 100 dengan angka desimal biasa.',
        'Enter a whole number from 0 to 100 in ordinary decimal digits.',
      ],
      [
        'abc',
        'Isi bilangan bulat 0 sampai 100 dengan angka desimal biasa.',
        'Enter a whole number from 0 to 100 in ordinary decimal digits.',
      ],
      [
        '80.5',
        'Isi bilangan bulat 0 sampai 100 dengan angka desimal biasa.',
        'Enter a whole number from 0 to 100 in ordinary decimal digits.',
      ],
      [
        '1e2',
        'Isi bilangan bulat 0 sampai 100 dengan angka desimal biasa.',
        'Enter a whole number from 0 to 100 in ordinary decimal digits.',
      ],
      ['-1', 'Minimal 0.', 'At least 0.'],
      ['101', 'Maksimal 100.', 'At most 100.'],
    ] as const) {
      const r = await score('rules-s', 'pupr-kaltim', raw);
      expect(r.status, raw).toBe(422);
      expect(Object.keys(r.body.error.fields), raw).toEqual(['score']);
      expect(messages(r.body, 'score'), raw).toEqual([id, en]);
    }
    expect(
      (await t.api('/api/v1/evaluation/periods/rules-s', { token: national })).body.rubricScores,
    ).toEqual([]);
    expect((await score('rules-s', 'pupr-kaltim', ' 100 ')).status).toBe(201);
    expect((await score('rules-s', 'pupr-kaltim', '0', 'inovasi')).status).toBe(201);
    const stored = (await t.api('/api/v1/evaluation/periods/rules-s', { token: national })).body.rubricScores;
    expect(stored.map((s: any) => [s.indicator, s.score])).toEqual([
      ['inovasi', 0],
      ['komitmen_pimpinan', 100],
    ]);
    const unknownPeriod = await score('tidak-ada-periode', 'pupr-kaltim', '80');
    expect(unknownPeriod.status).toBe(404);
    const notParticipant = await score('rules-s', 'dinkes-kaltim', '80');
    expect(notParticipant.status).toBe(422);
    expect(messages(notParticipant.body, 'agencyId')[1]).toBe(
      'This agency is not a participant of this evaluation period.',
    );
  });
});

describe('ranking, publishing once, and no change after publishing', () => {
  const web = {
    id: 'rules-web-g',
    name: 'Website Terbaik',
    scope: 'agency',
    award: 'website',
    participants: ['disdik-kaltim', 'bpkad-kaltim', 'dishub-kaltim', 'dpmptsp-kaltim'].map((agencyId) => ({
      agencyId,
      websiteUrl: `https://${agencyId}.example.org/`,
    })),
  };

  it('equal totals share a rank (1, 1, 3); an unassessed award entry is not ranked', async () => {
    expect((await create(base('rules-web', [web]))).status).toBe(201);
    for (const [agency, value] of [
      ['disdik-kaltim', '80'],
      ['bpkad-kaltim', '80'],
      ['dishub-kaltim', '70'],
    ] as const)
      expect((await score('rules-web', agency, value, 'website')).status).toBe(201);
    const r = await t.api('/api/v1/evaluation/periods/rules-web/preview', { token: national });
    const rows = r.body.groups[0].results.map((x: any) => [x.agencyId, x.rank, x.total]);
    expect(rows).toEqual([
      ['bpkad-kaltim', 1, 80],
      ['disdik-kaltim', 1, 80],
      ['dishub-kaltim', 3, 70],
      ['dpmptsp-kaltim', null, 0],
    ]);
    expect(r.body.groups[0].results[3].flags).toEqual(['no_assessment:website', 'not_assessed']);
  });

  it('publishes once: certificates follow the ranks; a second publish and any change are 409', async () => {
    await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
    let r = await publishReviewed(t, 'rules-web', national);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const published = (await t.api('/api/v1/evaluation/periods/rules-web/results')).body;

    const cert = async (agency: string) =>
      fetch(`${t.url}/evaluasi/rules-web/sertifikat/${agency}?kelompok=rules-web-g`);
    for (const agency of ['bpkad-kaltim', 'disdik-kaltim']) {
      const res = await cert(agency);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Peringkat 1');
    }
    expect((await cert('dpmptsp-kaltim')).status).toBe(404);

    r = await publishReviewed(t, 'rules-web', national, '?lang=en');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ALREADY_PUBLISHED');
    expect(r.body.error.message).toContain('cannot be published again');
    expect(r.body.error.translations.id.message).toContain('tidak dapat diterbitkan ulang');

    r = await create(
      base('rules-web', [web], { name: 'Nama baru setelah terbit', weights: { volume: 100 } }),
    );
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('PERIOD_PUBLISHED');
    expect(r.body.error.translations.id.message).toContain('sudah diterbitkan');
    expect(r.body.error.translations.en.message).toContain('can no longer be changed');

    // Nor is anything scored after publishing: the published result stays reproducible.
    const late = await score('rules-web', 'bpkad-kaltim', '10', 'website');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('PERIOD_PUBLISHED');

    const after = await t.api('/api/v1/evaluation/periods/rules-web/results');
    expect(after.body.publishedAt).toBe(published.publishedAt);
    expect(after.body.inputsSha256).toBe(published.inputsSha256);
    const period = (await t.api('/api/v1/evaluation/periods')).body.items.find(
      (p: any) => p.id === 'rules-web',
    );
    expect(period).toMatchObject({ name: 'Periode rules-web', weightsVersion: 1 });
    expect(await (await fetch(`${t.url}/evaluasi/rules-web`)).text()).not.toContain('Nama baru');
  });
});
