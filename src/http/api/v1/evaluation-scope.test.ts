/**
 * Who sees what of an unpublished evaluation period, over real HTTP (API and back-office page): a viewer
 * sees only the participants in its own evaluation scope (a kab/kota coordinator its kab/kota, a regional
 * assessor its region, an agency admin its agency subtree) with their ranking rows, rubric scores,
 * justifications and evidence; national admins see everything. One participant in scope never opens the
 * others (finding F6), and evidence storage keys are never returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { MINIMAL_PDF } from '../../../../test/helpers/pdf.ts';
import { sessionsFor } from '../../../../test/helpers/web-client.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);

/** A justification per participant, so each one's leak can be told apart. */
const NOTE: Record<string, string> = {
  'pupr-kaltim': 'Catatan internal PUPRQX tentang komitmen pimpinan dinas.',
  'dinkes-kaltim': 'Catatan internal DINKESQX tentang komitmen pimpinan dinas.',
  'diskominfo-balikpapan': 'Catatan internal BALIKPAPANQX tentang komitmen pimpinan.',
  'diskominfo-samarinda': 'Catatan internal SAMARINDAQX tentang komitmen pimpinan.',
  kemenpanrb: 'Catatan internal KEMENPANQX tentang komitmen pimpinan kementerian.',
};
const EVIDENCE: Record<string, string> = {
  'pupr-kaltim': 'bukti-puprqx.pdf',
  'dinkes-kaltim': 'bukti-dinkesqx.pdf',
  'diskominfo-balikpapan': 'bukti-balikpapanqx.pdf',
  'diskominfo-samarinda': 'bukti-samarindaqx.pdf',
  kemenpanrb: 'bukti-kemenpanqx.pdf',
};
const ALL = Object.keys(NOTE);

const period = {
  id: 'scope-2026',
  name: 'Evaluasi Cakupan 2026',
  from: '2026-01-01',
  to: '2026-12-31',
  minVolume: 0,
  groups: [
    {
      id: 'scope-pd',
      name: 'Perangkat Daerah Provinsi',
      scope: 'agency',
      participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
    },
    {
      id: 'scope-kabkota',
      name: 'Diskominfo Kabupaten/Kota',
      scope: 'region',
      participants: [{ agencyId: 'diskominfo-balikpapan' }, { agencyId: 'diskominfo-samarinda' }],
    },
    {
      id: 'scope-nasional',
      name: 'Kementerian',
      scope: 'agency',
      participants: [{ agencyId: 'kemenpanrb' }],
    },
  ],
};

async function score(email: string, agencyId: string, value: number) {
  const form = new FormData();
  form.set('agencyId', agencyId);
  form.set('indicator', 'komitmen_pimpinan');
  form.set('score', String(value));
  form.set('justification', NOTE[agencyId]!);
  form.set('evidence', new Blob([Buffer.from(MINIMAL_PDF)]), EVIDENCE[agencyId]!);
  const res = await fetch(`${t.url}/api/v1/evaluation/periods/${period.id}/scores`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await t.login(email)}` },
    body: form,
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function page(email: string, path: string) {
  const res = await fetch(t.url + path, {
    headers: { cookie: (await signIn(email)).cookie, accept: 'text/html' },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
}

/** The participants (agency ids) whose data a text carries. */
const leaked = (text: string) => ALL.filter((a) => text.includes(NOTE[a]!) || text.includes(EVIDENCE[a]!));
/** Participant rows of a preview answer. */
const rows = (body: any) =>
  (body.groups as any[]).flatMap((g) => g.results.map((r: any) => `${g.id}:${r.agencyId}`)).sort();

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const created = await t.api('/api/v1/evaluation/periods', {
    json: period,
    token: await t.login(DEMO.national),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  // The regional assessor (Kalimantan Timur) scores the four participants of its region, the national
  // admin the national one.
  for (const [i, a] of [
    'pupr-kaltim',
    'dinkes-kaltim',
    'diskominfo-balikpapan',
    'diskominfo-samarinda',
  ].entries())
    await score(DEMO.assessor, a, 60 + i * 10);
  await score(DEMO.national, 'kemenpanrb', 50);
}, 120_000);
afterAll(() => t?.close());

describe('evaluation scope of each viewer (API)', () => {
  it('a kab/kota coordinator sees only its own participant: scores, justification, evidence, ranking row', async () => {
    const token = await t.login(DEMO.balikpapanCoordinator);
    const cfg = await t.api(`/api/v1/evaluation/periods/${period.id}`, { token });
    expect(cfg.status).toBe(200);
    expect(cfg.body.rubricScores.map((s: any) => s.agencyId)).toEqual(['diskominfo-balikpapan']);
    expect(leaked(JSON.stringify(cfg.body))).toEqual(['diskominfo-balikpapan']);
    expect(JSON.stringify(cfg.body)).not.toContain('"key"'); // no storage keys
    const preview = await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token });
    expect(preview.status).toBe(200);
    expect(rows(preview.body)).toEqual(['scope-kabkota:diskominfo-balikpapan']);
    // Its row is the same as in the national view (rank within the whole group included).
    const full = await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, {
      token: await t.login(DEMO.national),
    });
    const group = full.body.groups.find((g: any) => g.id === 'scope-kabkota');
    expect(group.results).toHaveLength(2);
    expect(preview.body.groups[0].results[0]).toEqual(
      group.results.find((r: any) => r.agencyId === 'diskominfo-balikpapan'),
    );
    expect(JSON.stringify(preview.body)).not.toContain('[90]');
  });

  it('a regional assessor sees its region, not the national participant', async () => {
    const token = await t.login(DEMO.assessor);
    const cfg = await t.api(`/api/v1/evaluation/periods/${period.id}`, { token });
    expect(cfg.body.rubricScores.map((s: any) => s.agencyId).sort()).toEqual([
      'dinkes-kaltim',
      'diskominfo-balikpapan',
      'diskominfo-samarinda',
      'pupr-kaltim',
    ]);
    expect(leaked(JSON.stringify(cfg.body))).not.toContain('kemenpanrb');
    const preview = await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token });
    expect(rows(preview.body)).toEqual([
      'scope-kabkota:diskominfo-balikpapan',
      'scope-kabkota:diskominfo-samarinda',
      'scope-pd:dinkes-kaltim',
      'scope-pd:pupr-kaltim',
    ]);
  });

  it('an agency admin sees its own agency (it holds view_evaluation) and nothing else', async () => {
    const token = await t.login(DEMO.puprAdmin);
    const preview = await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(rows(preview.body)).toEqual(['scope-pd:pupr-kaltim']);
    const cfg = await t.api(`/api/v1/evaluation/periods/${period.id}`, { token });
    expect(leaked(JSON.stringify(cfg.body))).toEqual(['pupr-kaltim']);
  });

  it('national admins see everything; citizens and the public see no scores', async () => {
    const token = await t.login(DEMO.national);
    const cfg = await t.api(`/api/v1/evaluation/periods/${period.id}`, { token });
    expect(leaked(JSON.stringify(cfg.body))).toEqual(ALL);
    const preview = await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token });
    expect(rows(preview.body)).toHaveLength(5);
    const citizen = await t.login(DEMO.citizen);
    expect((await t.api(`/api/v1/evaluation/periods/${period.id}/preview`, { token: citizen })).status).toBe(
      403,
    );
    for (const who of [citizen, undefined]) {
      const r = await t.api(`/api/v1/evaluation/periods/${period.id}`, { token: who });
      expect(r.body.rubricScores).toBeUndefined();
      expect(leaked(JSON.stringify(r.body))).toEqual([]);
    }
  });

  it('a coordinator without any participant in its region is refused', async () => {
    const created = await t.api('/api/v1/evaluation/periods', {
      json: { ...period, id: 'scope-prov-2026', groups: [{ ...period.groups[0], id: 'scope-prov-pd' }] },
      token: await t.login(DEMO.national),
    });
    expect(created.status).toBe(201);
    const token = await t.login(DEMO.balikpapanCoordinator);
    expect((await t.api('/api/v1/evaluation/periods/scope-prov-2026/preview', { token })).status).toBe(403);
    expect((await page(DEMO.balikpapanCoordinator, '/kantor/evaluasi/scope-prov-2026')).status).toBe(403);
  });
});

describe('evaluation scope of each viewer (back-office page)', () => {
  it('the period page shows a kab/kota coordinator only its own participant', async () => {
    const r = await page(DEMO.balikpapanCoordinator, `/kantor/evaluasi/${period.id}`);
    expect(r.status).toBe(200);
    expect(leaked(r.html)).toEqual(['diskominfo-balikpapan']);
    expect(r.html).not.toContain('Perangkat Daerah Provinsi'); // no preview of the other groups
    expect(r.html).not.toContain('Kota Samarinda');
    // Not every participant is in its region: it may neither change nor publish the period.
    expect(r.html).not.toContain(`action="/kantor/evaluasi/${period.id}/terbitkan"`);
  });

  it('an agency admin opens its own evaluation; the assessor may only score its region', async () => {
    const pupr = await page(DEMO.puprAdmin, `/kantor/evaluasi/${period.id}`);
    expect(pupr.status).toBe(200);
    expect(leaked(pupr.html)).toEqual(['pupr-kaltim']);
    const assessor = await page(DEMO.assessor, `/kantor/evaluasi/${period.id}`);
    expect(leaked(assessor.html)).not.toContain('kemenpanrb');
    expect(assessor.html).toContain('<option value="pupr-kaltim"');
    expect(assessor.html).not.toContain('<option value="kemenpanrb"');
    const national = await page(DEMO.national, `/kantor/evaluasi/${period.id}`);
    expect(leaked(national.html)).toEqual(ALL);
  });
});
