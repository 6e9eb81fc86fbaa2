/**
 * Rubric-score bodies that are not what a form sends get a clear answer, never a 500 (real HTTP, API and page):
 * a body that is not readable multipart (broken boundary, truncated part) is 400 BAD_REQUEST in both languages;
 * a justification over 5000 characters is 422 "Maksimal 5000 karakter." / "At most 5000 characters." and
 * nothing is stored; an indicator that carries no weight for the participant (its groups' weights or award) is
 * 422 on `indicator` in both languages, not offered by the page's form for that participant, and not stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../../test/helpers/pdf.ts';
import { signInSession } from '../../../../test/helpers/web-client.ts';

let t: TestApp;
let assessor: string;
const PERIOD = 'skor-input';
const TRUNCATED = '--x\r\nContent-Disposition: form-data; name="agencyId"\r\n\r\npupr-kal';

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  assessor = await t.login(DEMO.assessor);
  const created = await t.api('/api/v1/evaluation/periods', {
    token: await t.login(DEMO.national),
    json: {
      id: PERIOD,
      name: 'Evaluasi Masukan Skor',
      from: '2026-01-01',
      to: '2026-12-31',
      groups: [
        {
          id: `${PERIOD}-g`,
          name: 'Perangkat Daerah',
          scope: 'agency',
          participants: [{ agencyId: 'pupr-kaltim' }],
        },
        {
          id: `${PERIOD}-web`,
          name: 'Situs Web Perangkat Daerah',
          scope: 'agency',
          award: 'website',
          participants: [{ agencyId: 'dinkes-kaltim' }],
        },
      ],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}, 60_000);
afterAll(() => t?.close());

function scoreForm(justification: string, csrf?: string, agencyId = 'pupr-kaltim', indicator = 'inovasi') {
  const form = new FormData();
  if (csrf) form.set('_csrf', csrf);
  form.set('agencyId', agencyId);
  form.set('indicator', indicator);
  form.set('score', '70');
  form.set('justification', justification);
  form.set('evidence', new Blob([Buffer.from(MINIMAL_PDF)]), 'bukti.pdf');
  return form;
}

describe('rubric score input', () => {
  it('a body that is not readable multipart is 400 on the API and the page, not 500', async () => {
    for (const body of ['garbage', TRUNCATED]) {
      const res = await fetch(`${t.url}/api/v1/evaluation/periods/${PERIOD}/scores`, {
        method: 'POST',
        headers: { authorization: `Bearer ${assessor}`, 'content-type': 'multipart/form-data; boundary=x' },
        body,
      });
      expect(res.status).toBe(400);
      const json = (await res.json()) as any;
      expect(json.error.code).toBe('BAD_REQUEST');
      expect(json.error.translations.id.message).toBe('Permintaan tidak dapat dibaca.');
      expect(json.error.translations.en.message).toBe('The request could not be read.');
    }
    const session = await signInSession(t.url, DEMO.assessor);
    const page = await fetch(`${t.url}/kantor/evaluasi/${PERIOD}/nilai`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        accept: 'text/html',
        'content-type': 'multipart/form-data; boundary=x',
      },
      body: TRUNCATED,
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Permintaan tidak dapat dibaca.');
  });

  it('a justification over 5000 characters is 422 in both languages; 5000 is taken', async () => {
    const long = 'Penilaian inovasi layanan. '.repeat(200).slice(0, 5001);
    let res = await fetch(`${t.url}/api/v1/evaluation/periods/${PERIOD}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${assessor}` },
      body: scoreForm(long),
    });
    expect(res.status).toBe(422);
    const json = (await res.json()) as any;
    expect(json.error.translations.id.fields.justification).toBe('Maksimal 5000 karakter.');
    expect(json.error.translations.en.fields.justification).toBe('At most 5000 characters.');
    const period = await t.api(`/api/v1/evaluation/periods/${PERIOD}`, { token: assessor });
    expect(period.body.rubricScores).toEqual([]);

    const session = await signInSession(t.url, DEMO.assessor);
    const page = await fetch(`${t.url}/kantor/evaluasi/${PERIOD}/nilai`, {
      method: 'POST',
      headers: { cookie: session.cookie, accept: 'text/html' },
      body: scoreForm(long, session.csrf),
      redirect: 'manual',
    });
    expect(page.status).toBe(422);
    expect(await page.text()).toContain('Maksimal 5000 karakter.');

    res = await fetch(`${t.url}/api/v1/evaluation/periods/${PERIOD}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${assessor}` },
      body: scoreForm(long.slice(0, 5000)),
    });
    expect(res.status).toBe(201);
  });

  it('an indicator without weight for the participant is 422 in both languages (API and page) and not stored', async () => {
    const justification = 'Penilaian situs web dan media sosial berdasarkan bukti terlampir.';
    const api = (agencyId: string, indicator: string) =>
      fetch(`${t.url}/api/v1/evaluation/periods/${PERIOD}/scores`, {
        method: 'POST',
        headers: { authorization: `Bearer ${assessor}` },
        body: scoreForm(justification, undefined, agencyId, indicator),
      });
    // PUPR is in the complaint-handling group (default weights: no website); Dinkes in the website award only.
    for (const [agencyId, indicator] of [
      ['pupr-kaltim', 'website'],
      ['pupr-kaltim', 'media_sosial'],
      ['dinkes-kaltim', 'inovasi'],
    ]) {
      const res = await api(agencyId!, indicator!);
      expect(res.status, `${agencyId} ${indicator}`).toBe(422);
      const json = (await res.json()) as any;
      expect(json.error.translations.id.fields.indicator).toContain('Indikator ini tidak berbobot');
      expect(json.error.translations.en.fields.indicator).toContain('carries no weight');
    }
    const stored = async () =>
      ((await t.api(`/api/v1/evaluation/periods/${PERIOD}`, { token: assessor })).body.rubricScores as any[])
        .map((r) => `${r.agencyId}:${r.indicator}`)
        .sort();
    expect(await stored()).not.toContain('pupr-kaltim:website');
    expect((await api('dinkes-kaltim', 'website')).status).toBe(201);

    // The scoring form, once a participant is chosen, offers only the indicators weighted for it, and the page
    // refuses the others with the message.
    const session = await signInSession(t.url, DEMO.assessor);
    const formFor = async (agencyId: string) =>
      (
        await fetch(`${t.url}/kantor/evaluasi/${PERIOD}?agencyId=${agencyId}`, {
          headers: { cookie: session.cookie, accept: 'text/html' },
        })
      ).text();
    const pupr = await formFor('pupr-kaltim');
    expect(pupr).toContain('<option value="inovasi"');
    expect(pupr).not.toContain('<option value="website"');
    expect(pupr).not.toContain('<option value="media_sosial"');
    const dinkes = await formFor('dinkes-kaltim');
    expect(dinkes).toContain('<option value="website"');
    expect(dinkes).not.toContain('<option value="inovasi"');
    expect(dinkes).not.toContain('<option value="media_sosial"');
    for (const [lang, text] of [
      ['id', 'Indikator ini tidak berbobot untuk peserta ini'],
      ['en', 'This indicator carries no weight for this participant'],
    ]) {
      const page = await fetch(`${t.url}/kantor/evaluasi/${PERIOD}/nilai?lang=${lang}`, {
        method: 'POST',
        headers: { cookie: session.cookie, accept: 'text/html' },
        body: scoreForm(justification, session.csrf, 'pupr-kaltim', 'website'),
        redirect: 'manual',
      });
      expect(page.status).toBe(422);
      expect(await page.text()).toContain(text);
    }
    expect(await stored()).toEqual(['dinkes-kaltim:website', 'pupr-kaltim:inovasi']);
  });
});
