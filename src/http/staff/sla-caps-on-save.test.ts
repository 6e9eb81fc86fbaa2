/**
 * Saving an SLA rule names the regional rules it now caps (docs/adr/0013-regional-sla-rules.md, revised), over real
 * HTTP: when the national admin saves a national version shorter than Kaltim's Pergub and Balikpapan's Perwali, the
 * SLA page's confirmation lists both (region name, rule, days, basis; both languages) so the coordinators can be told,
 * and `POST /api/v1/sla-rules` answers with them in `caps`; a version that caps nothing answers `caps: []` and the
 * confirmation has no list. `GET /api/v1/sla-rules` declares its items (OpenAPI response schema) without losing a field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfOf, signInWeb } from '../../../test/helpers/web-client.ts';

let t: TestApp;
let coord: string;
let national: string;

const PERGUB = 'Pergub Kaltim 12/2026 tentang Pengelolaan Pengaduan';
const PERWALI = 'Perwali Balikpapan 7/2026 tentang Pelayanan Pengaduan';
const PERMEN = 'PermenPANRB 9/2026 tentang Pengelolaan Pengaduan';

async function addRule(token: string, json: Record<string, unknown>) {
  const r = await t.api('/api/v1/sla-rules', { json, token });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

beforeAll(async () => {
  // Tuesday 1 December 2026, 09:00 WITA.
  t = await startTestApp({ now: new Date('2026-12-01T01:00:00Z') });
  coord = await t.login(DEMO.coordinator);
  national = await t.login(DEMO.national);
  const from = { validFrom: '2026-12-01' };
  await addRule(coord, { ...from, regionCode: '64', basis: PERGUB, clock: 'completion', workingDays: 4 });
  await addRule(coord, { ...from, regionCode: '64', basis: PERGUB, clock: 'follow_up', workingDays: 3 });
  await addRule(coord, { ...from, regionCode: '64.71', basis: PERWALI, clock: 'completion', workingDays: 4 });
});
afterAll(() => t?.close());

describe('saving a shorter national rule', () => {
  it('the SLA page confirmation names the regional rules it now caps, in both languages', async () => {
    const admin = await signInWeb(t.url, DEMO.national);
    const page = await admin.get('/kantor/admin/sla');
    expect(page.status).toBe(200);
    // The national admin lowers aspirasi completion from 5 to 3 working days, below the Pergub's and Perwali's 4.
    const saved = await admin.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      regionCode: '',
      clock: 'completion',
      classification: 'aspirasi',
      workingDays: '3',
      dayUnit: 'working',
      basis: PERMEN,
      validFrom: '2026-12-01',
    });
    expect(saved.status, saved.html.slice(0, 2000)).toBe(303);
    expect(saved.location).toContain('aturan=completion.aspirasi%402');
    const id = await admin.get(saved.location!);
    expect(id.status).toBe(200);
    expect(id.html).toContain('Perubahan tersimpan.');
    expect(id.html).toContain('Aturan yang baru disimpan lebih pendek dari aturan daerah berikut');
    expect(id.html).toContain(
      `<li>Provinsi Kalimantan Timur (64): <code>64:completion</code>, 4 hari kerja (${PERGUB})</li>`,
    );
    expect(id.html).toContain(
      `<li>Kota Balikpapan (64.71): <code>64.71:completion</code>, 4 hari kerja (${PERWALI})</li>`,
    );
    expect(id.html).toContain('Beri tahu koordinator wilayah tersebut');
    // The follow-up rule is not capped (the national 5 days are longer).
    expect(id.html).not.toContain('<code>64:follow_up</code>, ');
    // The page's own language switch keeps the saved rule in its link, so the list is computed again in English.
    const switchTo = /<a class="lang-switch" href="([^"]+)"/.exec(id.html)?.[1]?.replaceAll('&amp;', '&');
    expect(switchTo).toContain('aturan=completion.aspirasi%402');
    expect(switchTo).toContain('lang=en');
    const en = await admin.get(switchTo!);
    expect(en.status).toBe(200);
    expect(en.html).toContain('Changes saved.');
    expect(en.html).toContain('The rule you saved is shorter than these regional rules');
    expect(en.html).toContain(
      `<li>Kota Balikpapan (64.71): <code>64.71:completion</code>, 4 working days (${PERWALI})</li>`,
    );
    expect(en.html).toContain('Tell the coordinators of these regions');

    // A national rule that caps nothing: the plain confirmation.
    const longer = await admin.post('/kantor/admin/sla', {
      _csrf: csrfOf(page.html),
      regionCode: '',
      clock: 'verification',
      workingDays: '2',
      dayUnit: 'working',
      basis: PERMEN,
      validFrom: '2026-12-01',
    });
    expect(longer.status).toBe(303);
    expect(longer.location).not.toContain('aturan=');
    const plain = await admin.get(longer.location!.replace('lang=en', 'lang=id'));
    expect(plain.html).toContain('Perubahan tersimpan.');
    expect(plain.html).not.toContain('Aturan yang baru disimpan lebih pendek');
  });

  it('POST /api/v1/sla-rules answers with the rules it caps in `caps`', async () => {
    const body = await addRule(national, {
      clock: 'completion',
      classification: 'pengaduan',
      supervisory: false,
      workingDays: 2,
      basis: PERMEN,
      validFrom: '2027-01-04',
    });
    expect(body).toMatchObject({ id: 'completion.pengaduan', regionCode: null, workingDays: 2 });
    const cap = (regionCode: string, regionName: string, basis: string) => ({
      id: `${regionCode}:completion`,
      version: 1,
      regionCode,
      regionName,
      clock: 'completion',
      classification: null,
      supervisory: null,
      workingDays: 4,
      dayUnit: 'working',
      basis,
      validFrom: '2026-12-01',
    });
    // Capped from its validity date (a later date than today), listed by region.
    expect(body.caps).toEqual([
      cap('64', 'Kalimantan Timur', PERGUB),
      cap('64.71', 'Kota Balikpapan', PERWALI),
    ]);
    // Longer than every regional rule: nothing capped.
    const none = await addRule(national, {
      clock: 'follow_up',
      workingDays: 4,
      basis: PERMEN,
      validFrom: '2026-12-02',
    });
    expect(none.caps).toEqual([]);
    // A province rule shorter than a kab/kota rule caps it too.
    const province = await addRule(coord, {
      regionCode: '64',
      clock: 'completion',
      workingDays: 3,
      basis: PERGUB,
      validFrom: '2026-12-02',
    });
    expect(province.caps.map((c: { id: string }) => c.id)).toEqual(['64.71:completion']);
  });

  it('GET /api/v1/sla-rules keeps every field under its declared response schema', async () => {
    const list = await t.api('/api/v1/sla-rules?regionCode=64.71', { token: coord });
    expect(list.status).toBe(200);
    const items = list.body.items as Array<Record<string, unknown>>;
    const fields = [
      'id',
      'version',
      'regionCode',
      'clock',
      'classification',
      'supervisory',
      'workingDays',
      'dayUnit',
      'basis',
      'validFrom',
      'overriddenBy',
    ];
    for (const item of items) expect(Object.keys(item).sort()).toEqual([...fields].sort());
    const perwali = items.find((r) => r.id === '64.71:completion');
    expect(perwali).toMatchObject({ regionCode: '64.71', supervisory: null, classification: null });
    expect(perwali!.overriddenBy).toEqual({
      id: 'completion.aspirasi',
      version: 2,
      regionCode: null,
      workingDays: 3,
      dayUnit: 'working',
      basis: PERMEN,
      validFrom: '2026-12-01',
    });
  });
});
