/**
 * Regional SLA rules, revised (docs/adr/0013-regional-sla-rules.md "Revised 2026-11-30"), over real HTTP:
 * - an instansi vertikal (a Kantor Wilayah under a kementerian, in Samarinda) is not bound by the Pergub: a report in
 *   64.72 dispatched to it gets the national follow-up (5 working days), completion (14) and escalation (60 calendar
 *   days) limits, explained with the national basis, and the sweeper offers the Ombudsman hand-off on the national
 *   date; the same report sent to a perangkat daerah of Kaltim gets the Pergub's 2, 4 and 30;
 * - a later, shorter national rule caps a longer regional one: once the national admin lowers aspirasi completion to
 *   3 working days, an aspirasi report in Kaltim gets 3 (citing the new basis) instead of the Pergub's 4, and the SLA
 *   page (coordinator and national admin, both languages) and `GET /api/v1/sla-rules` (`overriddenBy`) mark the
 *   Pergub's rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../../test/helpers/web-client.ts';
import { planSweep } from '../../jobs/sweeper.ts';

let t: TestApp;
type Made = { trackingId: string; accessKey: string };
let coord: string;
let national: string;
let roads: number;
let kanwil: string;

const PERGUB = 'Pergub Kaltim 12/2026 tentang Pengelolaan Pengaduan';
const PERMEN = 'PermenPANRB 9/2026 tentang Pengelolaan Pengaduan';

const at = (iso: string) => {
  const d = new Date(iso);
  t.setNow(d);
  return d;
};

async function submit(title: string, classification = 'pengaduan'): Promise<Made> {
  const r = await t.api('/api/v1/reports', {
    json: {
      classification,
      title,
      body: `${title}: sudah lebih dari sebulan dan belum ada penanganan dari instansi yang berwenang.`,
      regionCode: '64.72.01',
      reporter: { name: 'Rina Samarinda', email: 'rina.smd@contoh.aduan.id' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as Made;
}

/** The reporter's tracking page, which lists every clock with its explanation. */
async function trackingPage(r: Made, lang = 'id'): Promise<string> {
  const res = await fetch(`${t.url}/lacak/${r.trackingId}?k=${r.accessKey}&lang=${lang}`);
  expect(res.status).toBe(200);
  return res.text();
}

async function escalationOpensAt(r: Made): Promise<string> {
  const early = await t.api(`/api/v1/reports/${r.trackingId}/actions/escalate`, {
    json: { consent: true },
    accessKey: r.accessKey,
  });
  expect(early.body.error?.code, JSON.stringify(early.body)).toBe('ESCALATION_NOT_DUE');
  return early.body.error.params.availableFrom as string;
}

async function addRule(token: string, json: Record<string, unknown>) {
  const r = await t.api('/api/v1/sla-rules', { json, token });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

beforeAll(async () => {
  // Tuesday 1 December 2026, 09:00 WITA.
  t = await startTestApp({ now: new Date('2026-12-01T01:00:00Z') });
  coord = await t.login(DEMO.coordinator);
  national = await t.login(DEMO.national);
  roads = await categoryIdByName(t);
  const regional = { regionCode: '64', basis: PERGUB, validFrom: '2026-12-01' };
  await addRule(coord, { ...regional, clock: 'follow_up', workingDays: 2 });
  await addRule(coord, { ...regional, clock: 'completion', workingDays: 4 });
  await addRule(coord, { ...regional, clock: 'escalation', workingDays: 30, dayUnit: 'calendar' });
  // A ministry's regional office in Samarinda: a unit in the KemenPANRB branch, with the province's region.
  const admin = await signInWeb(t.url, DEMO.national);
  const page = await admin.get('/kantor/admin/instansi/kemenpanrb');
  expect(page.status).toBe(200);
  const added = await admin.post('/kantor/admin/instansi/kemenpanrb/tambah', {
    _csrf: csrfOf(page.html),
    childName: 'Kantor Wilayah KemenPANRB Kalimantan Timur',
    kind: 'unit',
    childRegionCode: '64',
  });
  expect(added.status, added.html.slice(0, 1000)).toBe(303);
  kanwil = /\/kantor\/admin\/instansi\/([^/?]+)\?selesai=tambah/.exec(added.location ?? '')![1]!;
});
afterAll(() => t?.close());

describe('an instansi vertikal in a region with a Pergub', () => {
  let toPd: Made;
  let toKanwil: Made;

  it("runs its own clocks on the national rules; a perangkat daerah on the Pergub's", async () => {
    at('2026-12-01T10:00:00+08:00');
    toPd = await submit('Jalan berlubang di Sungai Kunjang');
    toKanwil = await submit('Pelayanan kantor wilayah lambat di Samarinda');
    const pd = await verifyReport(t, coord, toPd.trackingId, 'pupr-kaltim', roads);
    // The new office has no staff yet: the coordinator confirms the dispatch anyway.
    const kw = (
      await actOk(
        t,
        toKanwil.trackingId,
        'verify',
        { agencyId: kanwil, categoryId: roads, confirmUnstaffed: true },
        { token: coord },
      )
    ).body;
    // The follow-up clock: the Pergub's 2 working days for the perangkat daerah, the national 5 for the Kanwil.
    expect(pd.deadline).toMatchObject({ clock: 'follow_up', ruleId: '64:follow_up' });
    expect(pd.deadline.dueAt).toBe('2026-12-03T23:59:59.999+08:00');
    expect(kw.deadline).toMatchObject({ clock: 'follow_up', ruleId: 'follow_up' });
    expect(kw.deadline.explanations.id).toContain('5 hari kerja');
    expect(kw.deadline.explanations.id).toContain('PermenPANRB 62/2018');
    expect(kw.deadline.explanations.id).not.toContain('Pergub');

    // Completion, as the reporter reads it on the tracking page: 4 days and the Pergub, or 14 and the PermenPANRB.
    const pdPage = await trackingPage(toPd);
    expect(pdPage).toContain(`Penyelesaian paling lambat 4 hari kerja sejak laporan diteruskan`);
    expect(pdPage).toContain(PERGUB);
    const kwPage = await trackingPage(toKanwil);
    expect(kwPage).toMatch(
      /Penyelesaian paling lambat 14 hari kerja sejak laporan diteruskan [^<]*PermenPANRB 62\/2018/,
    );
    expect(kwPage).not.toContain(PERGUB);
    const kwEn = await trackingPage(toKanwil, 'en');
    expect(kwEn).toMatch(/Resolution is due within 14 working days [^<]*PermenPANRB 62\/2018/);
  });

  it('offers the Ombudsman hand-off on the national date for the Kanwil, the regional one otherwise', async () => {
    // Escalation: 30 calendar days under the Pergub, 60 under Perpres 76/2013 for the ministry's office.
    expect(await escalationOpensAt(toPd)).toBe('2027-01-01T00:00:00.000+08:00');
    expect(await escalationOpensAt(toKanwil)).toBe('2027-01-31T00:00:00.000+08:00');
    const offers = async (iso: string) =>
      (await planSweep(t.runtime.services, at(iso)))
        .filter((a) => a.action === 'ombudsman_offer')
        .map((a) => ({ trackingId: a.trackingId, ruleId: a.ruleId, dueAt: a.dueAt }));
    expect(await offers('2027-01-01T00:00:00.000+08:00')).toEqual([
      { trackingId: toPd.trackingId, ruleId: '64:escalation', dueAt: '2026-12-31T23:59:59.999+08:00' },
    ]);
    expect(await offers('2027-01-31T00:00:00.000+08:00')).toEqual(
      expect.arrayContaining([
        { trackingId: toKanwil.trackingId, ruleId: 'escalation', dueAt: '2027-01-30T23:59:59.999+08:00' },
      ]),
    );
    at('2026-12-01T11:00:00+08:00');
  });
});

describe('a later, shorter national rule', () => {
  it("caps the Pergub's longer rule for new clocks, and the SLA page and API say so", async () => {
    at('2026-12-01T11:00:00+08:00');
    const before = await t.api('/api/v1/sla-rules?regionCode=64', { token: coord });
    const pergubRule = () => before.body.items as Array<{ id: string; overriddenBy: unknown }>;
    expect(pergubRule().find((r) => r.id === '64:completion')).toMatchObject({ overriddenBy: null });

    // The national admin lowers aspirasi completion from 5 to 3 working days, below the Pergub's 4.
    await addRule(national, {
      clock: 'completion',
      classification: 'aspirasi',
      workingDays: 3,
      basis: PERMEN,
      validFrom: '2026-12-01',
    });
    const aspirasi = await submit('Usulan jam layanan sore di kantor samsat', 'aspirasi');
    await verifyReport(t, coord, aspirasi.trackingId, 'pupr-kaltim', roads);
    const page = await trackingPage(aspirasi);
    expect(page).toMatch(new RegExp(`Penyelesaian paling lambat 3 hari kerja [^<]*${PERMEN}`));
    expect(page).not.toContain('Penyelesaian paling lambat 4 hari kerja');
    // A pengaduan keeps the Pergub's 4 days (the national 14 are longer).
    const pengaduan = await submit('Drainase tersumbat di Samarinda Ulu');
    await verifyReport(t, coord, pengaduan.trackingId, 'pupr-kaltim', roads);
    expect(await trackingPage(pengaduan)).toContain('Penyelesaian paling lambat 4 hari kerja');

    // The API marks the Pergub's rule with the national rule that now applies instead.
    const list = await t.api('/api/v1/sla-rules?regionCode=64', { token: coord });
    const items = list.body.items as Array<{ id: string; version: number; overriddenBy: unknown }>;
    expect(items.find((r) => r.id === '64:completion')?.overriddenBy).toEqual({
      id: 'completion.aspirasi',
      version: 2,
      regionCode: null,
      workingDays: 3,
      dayUnit: 'working',
      basis: PERMEN,
      validFrom: '2026-12-01',
    });
    expect(items.find((r) => r.id === '64:follow_up')?.overriddenBy).toBeNull();
    expect(items.find((r) => r.id === 'completion.aspirasi' && r.version === 2)?.overriddenBy).toBeNull();

    // The SLA page warns the coordinator and the national admin, in both languages.
    const warningId = `Lebih lama dari batas nasional yang berlaku (3 hari kerja, ${PERMEN}); batas nasional yang dipakai.`;
    const warningEn = `Longer than the national limit in force (3 working days, ${PERMEN}); the national limit applies.`;
    for (const who of [DEMO.coordinator, DEMO.national]) {
      const web = await signInWeb(t.url, who);
      const id = await web.get('/kantor/admin/sla');
      expect(id.status).toBe(200);
      expect(id.html).toContain(warningId);
      // Once: on the Pergub's completion rule only.
      expect(id.html.split(warningId)).toHaveLength(2);
      const section = id.html.slice(id.html.indexOf('<h2 id="h-sla-64">'));
      expect(section.slice(0, section.indexOf(warningId))).toContain('<code>64:completion</code>');
      expect((await web.get('/kantor/admin/sla?lang=en')).html).toContain(warningEn);
    }
  });
});
