/**
 * The rubric scoring form in two steps, over real HTTP as a browser without JavaScript sends it:
 * - step 1 is a GET form choosing the participant (`?agencyId=`, page language kept), offering only the participants
 *   the assessor may score that have a weighted rubric indicator; no scoring form before a choice;
 * - step 2 lists only the chosen participant's weighted indicators (complaint handling: the four rubric
 *   indicators; the website award: `website` only; both: five), in Indonesian and English;
 * - the whole flow collected from the pages stores the score and redirects back to the same participant;
 * - a participant not offered (unknown, outside the assessor's region, repeated) is 422 on the chooser in both
 *   languages, naming nobody out of scope; a 422 on the POST keeps the participant, its indicators and the input;
 *   a wrong CSRF token is still 403;
 * - one participant opens step 2 at once; without any weighted rubric indicator a note replaces the form; a viewer
 *   who may not score gets no form, whatever the URL names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../test/helpers/pdf.ts';
import { formFields, formOptions, sessionsFor } from '../../../test/helpers/web-client.ts';
import { t as tr } from '../../locales/index.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);

const PERIOD = 'langkah-2026';
const CHOOSE = `/kantor/evaluasi/${PERIOD}#score-h`;
const SCORE = `/kantor/evaluasi/${PERIOD}/nilai`;
const HANDLING = ['komitmen_pimpinan', 'sumber_daya_manusia', 'inovasi', 'pemanfaatan_data'];
const JUSTIFICATION = 'Laporan inovasi layanan pengaduan 2026 beserta SK tim pengelola.';

const period = (id: string, groups: unknown[], weights?: Record<string, number>) => ({
  id,
  name: `Evaluasi ${id}`,
  from: '2026-01-01',
  to: '2026-12-31',
  ...(weights ? { weights } : {}),
  groups,
});

async function get(email: string, path: string) {
  const res = await fetch(t.url + path, {
    headers: { cookie: (await signIn(email)).cookie, accept: 'text/html' },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

async function postScore(email: string, fields: Array<[string, string]>, csrf?: string) {
  const s = await signIn(email);
  const form = new FormData();
  for (const [k, v] of fields) if (k !== 'evidence') form.append(k, k === '_csrf' ? (csrf ?? v) : v);
  form.set('evidence', new Blob([Buffer.from(MINIMAL_PDF)], { type: 'application/pdf' }), 'bukti.pdf');
  const res = await fetch(t.url + SCORE, {
    method: 'POST',
    headers: { cookie: s.cookie, accept: 'text/html' },
    body: form,
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

/** The step-1 GET form submitted as a browser does: its action with the fields as the query. */
function chooseUrl(html: string, agencyId: string): string {
  const fields = formFields(html, CHOOSE).map(([k, v]): [string, string] => [
    k,
    k === 'agencyId' ? agencyId : v,
  ]);
  return `/kantor/evaluasi/${PERIOD}?${new URLSearchParams(fields).toString()}`;
}

/** Sets (or replaces) fields of a collected form. */
function withFields(fields: Array<[string, string]>, set: Record<string, string>): Array<[string, string]> {
  return [...fields.filter(([k]) => !(k in set)), ...Object.entries(set)];
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const token = await t.login(DEMO.national);
  for (const body of [
    period(PERIOD, [
      {
        id: `${PERIOD}-pd`,
        name: 'Perangkat Daerah',
        scope: 'agency',
        participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
      },
      {
        id: `${PERIOD}-web`,
        name: 'Situs Web',
        scope: 'agency',
        award: 'website',
        participants: [{ agencyId: 'dinkes-kaltim' }, { agencyId: 'diskominfo-balikpapan' }],
      },
      // Outside the regional assessor's region (Kalimantan Timur).
      {
        id: `${PERIOD}-nas`,
        name: 'Kementerian',
        scope: 'agency',
        participants: [{ agencyId: 'kemenpanrb' }],
      },
    ]),
    period('satu-2026', [
      { id: 'satu-2026-pd', name: 'Satu', scope: 'agency', participants: [{ agencyId: 'pupr-kaltim' }] },
    ]),
    period(
      'data-2026',
      [{ id: 'data-2026-pd', name: 'Data', scope: 'agency', participants: [{ agencyId: 'pupr-kaltim' }] }],
      { volume: 10, completion_rate: 10 },
    ),
  ]) {
    const created = await t.api('/api/v1/evaluation/periods', { json: body, token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
}, 60_000);
afterAll(() => t?.close());

describe('scoring form in two steps without JavaScript', () => {
  it('step 1 chooses among the participants the assessor may score; no scoring form before a choice', async () => {
    const r = await get(DEMO.assessor, `/kantor/evaluasi/${PERIOD}`);
    expect(r.status).toBe(200);
    expect(r.html).toContain(`<form method="get" action="${CHOOSE}"`);
    expect(formOptions(r.html, CHOOSE, 'agencyId').sort()).toEqual([
      'dinkes-kaltim',
      'diskominfo-balikpapan',
      'pupr-kaltim',
    ]);
    expect(formFields(r.html, CHOOSE)).toContainEqual(['lang', 'id']);
    expect(r.html).not.toContain(`action="${SCORE}"`);
    expect(r.html).not.toContain('name="indicator"');
    expect(r.html).toContain(tr('id', 'eval.staff.score_choose_first'));
    expect(r.html).not.toContain('Kementerian PANRB');
  });

  it("step 2 lists only the chosen participant's weighted indicators (id, en)", async () => {
    for (const [agencyId, indicators] of [
      ['pupr-kaltim', HANDLING],
      ['dinkes-kaltim', [...HANDLING, 'website']],
      ['diskominfo-balikpapan', ['website']],
    ] as const) {
      for (const lang of ['id', 'en'] as const) {
        const r = await get(DEMO.assessor, `/kantor/evaluasi/${PERIOD}?lang=${lang}&agencyId=${agencyId}`);
        expect(r.status, `${agencyId} ${lang}`).toBe(200);
        expect(formOptions(r.html, SCORE, 'indicator'), agencyId).toEqual(indicators);
        const fields = formFields(r.html, SCORE);
        expect(fields).toContainEqual(['agencyId', agencyId]);
        expect(fields.filter(([k]) => k === 'agencyId')).toHaveLength(1);
        // Step 1 keeps the choice, so "change participant" is the same form.
        expect(formFields(r.html, CHOOSE)).toContainEqual(['agencyId', agencyId]);
        expect(formFields(r.html, CHOOSE)).toContainEqual(['lang', lang]);
        expect(r.html).toContain(tr(lang, 'eval.staff.score_indicator_hint'));
        expect(r.html).toContain(tr(lang, 'eval.staff.score_step_score', { name: '' }).trim());
        expect(r.html).not.toContain(tr(lang, 'eval.staff.score_choose_first'));
      }
    }
  });

  it('the flow collected from the pages stores the score and returns to the same participant', async () => {
    const step1 = await get(DEMO.assessor, `/kantor/evaluasi/${PERIOD}`);
    const step2 = await get(DEMO.assessor, chooseUrl(step1.html, 'pupr-kaltim'));
    expect(step2.status).toBe(200);
    const fields = withFields(formFields(step2.html, SCORE), {
      indicator: 'pemanfaatan_data',
      score: '75',
      justification: JUSTIFICATION,
    });
    // A stale or forged token is refused as before, and nothing is stored.
    expect((await postScore(DEMO.assessor, fields, 'stale')).status).toBe(403);
    const ok = await postScore(DEMO.assessor, fields);
    expect(ok.status, ok.html.slice(0, 500)).toBe(303);
    expect(ok.location).toBe(`/kantor/evaluasi/${PERIOD}?ok=1&agencyId=pupr-kaltim#score-h`);
    const back = await get(DEMO.assessor, ok.location!.replace('#score-h', ''));
    expect(back.status).toBe(200);
    expect(back.html).toContain(tr('id', 'eval.staff.ok_saved'));
    expect(formOptions(back.html, SCORE, 'indicator')).toEqual(HANDLING);
    const stored = await t.api(`/api/v1/evaluation/periods/${PERIOD}`, {
      token: await t.login(DEMO.assessor),
    });
    expect((stored.body.rubricScores as any[]).map((s) => `${s.agencyId}:${s.indicator}:${s.score}`)).toEqual(
      ['pupr-kaltim:pemanfaatan_data:75'],
    );
  });

  it('a 422 keeps the participant, its indicators and the input; a participant not offered shows step 1 only', async () => {
    const step2 = await get(DEMO.assessor, `/kantor/evaluasi/${PERIOD}?agencyId=diskominfo-balikpapan`);
    const fields = formFields(step2.html, SCORE);
    const short = await postScore(
      DEMO.assessor,
      withFields(fields, { score: '88', justification: 'pendek' }),
    );
    expect(short.status).toBe(422);
    expect(short.html).toContain('error-summary');
    expect(formOptions(short.html, SCORE, 'indicator')).toEqual(['website']);
    expect(formFields(short.html, SCORE)).toContainEqual(['agencyId', 'diskominfo-balikpapan']);
    expect(formFields(short.html, SCORE)).toContainEqual(['score', '88']);

    // A hidden field altered to an agency that is not a participant: the chooser carries the message.
    const unknown = await postScore(
      DEMO.assessor,
      withFields(fields, { agencyId: 'pemprov-kaltim', score: '88', justification: JUSTIFICATION }),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.html).toContain(tr('id', 'eval.field.participant_unknown'));
    expect(unknown.html).toContain('href="#f-agencyId"');
    expect(unknown.html).not.toContain(`action="${SCORE}"`);
    // Outside the assessor's region: refused as before.
    const outside = await postScore(
      DEMO.assessor,
      withFields(fields, { agencyId: 'kemenpanrb', score: '88', justification: JUSTIFICATION }),
    );
    expect(outside.status).toBe(403);
    const stored = await t.api(`/api/v1/evaluation/periods/${PERIOD}`, {
      token: await t.login(DEMO.national),
    });
    expect((stored.body.rubricScores as any[]).map((s) => s.agencyId)).toEqual(['pupr-kaltim']);
  });

  it('a participant the chooser does not offer is 422 on it (id, en), naming nobody out of scope', async () => {
    for (const [query, lang] of [
      ['agencyId=kemenpanrb', 'id'],
      ['agencyId=tidak-ada&lang=en', 'en'],
      ['agencyId=pupr-kaltim&agencyId=dinkes-kaltim', 'id'],
    ] as const) {
      const r = await get(DEMO.assessor, `/kantor/evaluasi/${PERIOD}?${query}`);
      expect(r.status, query).toBe(422);
      expect(r.html).toContain(tr(lang, 'eval.staff.score_participant_invalid'));
      expect(r.html).toContain('href="#f-agencyId"');
      expect(r.html).not.toContain(`action="${SCORE}"`);
      expect(r.html).not.toContain('Kementerian PANRB');
    }
    expect(tr('en', 'eval.staff.score_participant_invalid')).not.toBe(
      tr('id', 'eval.staff.score_participant_invalid'),
    );
    // An empty choice is no choice.
    expect((await get(DEMO.assessor, `/kantor/evaluasi/${PERIOD}?agencyId=`)).status).toBe(200);
  });

  it('one participant opens step 2 at once; none with a weighted rubric indicator gets a note, not a form', async () => {
    const one = await get(DEMO.assessor, '/kantor/evaluasi/satu-2026');
    expect(one.status).toBe(200);
    expect(formOptions(one.html, '/kantor/evaluasi/satu-2026/nilai', 'indicator')).toEqual(HANDLING);
    const none = await get(DEMO.assessor, '/kantor/evaluasi/data-2026?lang=en');
    expect(none.status).toBe(200);
    expect(none.html).toContain(tr('en', 'eval.staff.score_none'));
    expect(none.html).not.toContain('name="agencyId"');
    expect(none.html).not.toContain('action="/kantor/evaluasi/data-2026/nilai"');
  });

  it('a viewer who may not score gets no form, whatever the URL names', async () => {
    for (const q of ['agencyId=pupr-kaltim', 'agencyId=tidak-ada']) {
      const r = await get(DEMO.puprAdmin, `/kantor/evaluasi/${PERIOD}?${q}`);
      expect(r.status, q).toBe(200);
      expect(r.html).not.toContain('name="agencyId"');
      expect(r.html).not.toContain('name="indicator"');
    }
  });
});
