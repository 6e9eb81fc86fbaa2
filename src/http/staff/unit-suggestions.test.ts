/**
 * The dispose form's unit suggestions when only one candidate is left (QA audit): the confidence is conditional on
 * the units the form offers that the model knows, so a single one is "100 %" by construction. The form then shows
 * the unit without a percentage and says why; with two or more candidates the percentages stay. Real HTTP over a
 * real database; a unit model trained on synthetic dispositions to the demo's Bina Marga and Cipta Karya.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { signInWeb } from '../../../test/helpers/web-client.ts';
import { trainRoutingModels } from '../../commands/train-routing.ts';

const BM = 'pupr-kaltim-unit';
const CK = 'pupr-kaltim-cipta-karya';
const ROADS = [
  'Jalan berlubang dan aspal rusak parah di dekat jembatan',
  'Aspal jalan provinsi mengelupas, lubang besar membahayakan motor',
  'Jembatan kayu lapuk dan jalan rusak menuju kampung',
  'Perbaikan jalan rusak berlubang belum dikerjakan kontraktor',
  'Bahu jalan provinsi ambles dan aspal bergelombang',
];
const WATER = [
  'Saluran air minum bocor di permukiman, air bersih tidak mengalir',
  'Drainase permukiman tersumbat sampah, air meluap ke rumah warga',
  'Instalasi pengolahan air limbah komunal tidak berfungsi',
  'Sambungan air bersih ke rumah warga belum dipasang',
  'Saluran air permukiman mampet dan berbau',
];

let t: TestApp;
let coord: string;
let pupr: string;
let catRoads: number;

const dispatched = async (title: string) => {
  const id = await submitReport(t, title, { reporter: { name: 'Warga Sintetis' } });
  await verifyReport(t, coord, id, 'pupr-kaltim', catRoads);
  return id;
};

/** The dispose form's unit suggestions block of the PUPR admin's report page, in a language. */
async function unitBlock(id: string, lang: 'id' | 'en'): Promise<string> {
  const page = await (await signInWeb(t.url, DEMO.puprAdmin)).get(`/kantor/laporan/${id}?lang=${lang}`);
  expect(page.status).toBe(200);
  const m = /<div class="routing-suggestions" data-slot="unit-suggestions">[\s\S]*?<\/ol><\/div><\/div>/.exec(
    page.html,
  );
  expect(m, 'unit suggestions block').toBeTruthy();
  return m![0];
}
const items = (block: string) => [...block.matchAll(/data-suggestion="unit:([^"]+)"/g)].map((m) => m[1]);
/** The `<li>` of each suggestion. */
const rows = (block: string) => block.match(/<li[\s\S]*?<\/li>/g) ?? [];

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  coord = await t.login(DEMO.coordinator);
  pupr = await t.login(DEMO.puprAdmin);
  catRoads = await categoryIdByName(t);
  for (const [unit, titles] of [
    [BM, ROADS],
    [CK, WATER],
  ] as const)
    for (const title of titles)
      await actOk(t, await dispatched(title), 'dispose', { unitId: unit }, { token: pupr });
  const [unit] = await trainRoutingModels(t.runtime.services, { kinds: ['unit'], cvMaxRows: 0 });
  expect(unit!.status).toBe('trained');
}, 180_000);
afterAll(() => t?.close());

describe('unit suggestions with a single candidate', () => {
  it('two candidates: each with its confidence', async () => {
    const block = await unitBlock(await dispatched('Saluran air bersih bocor dan drainase meluap'), 'id');
    expect(items(block).sort()).toEqual([BM, CK].sort());
    for (const li of rows(block)) expect(li).toMatch(/<\/strong> \(keyakinan (?:di atas |di bawah )?\d+%\)/);
    expect(block).toContain('Saran dari model yang dilatih dengan disposisi sebelumnya');
  });

  it('the only known unit left (the other holds the report): no percentage, and the form says why', async () => {
    // At Bina Marga, the form offers PUPR itself and Cipta Karya; the model knows only Cipta Karya of those.
    const id = await dispatched('Jalan rusak berlubang di depan sekolah');
    await actOk(t, id, 'dispose', { unitId: BM }, { token: pupr });
    const block = await unitBlock(id, 'id');
    expect(items(block)).toEqual([CK]);
    expect(rows(block)[0]).not.toMatch(/keyakinan|%/);
    expect(block).toContain('Model hanya mengenal satu dari unit yang dapat dipilih di formulir ini');
    expect(block).toContain('Pakai di formulir');
    const en = await unitBlock(id, 'en');
    expect(rows(en)[0]).not.toMatch(/confidence|%/);
    expect(en).toContain('The model knows only one of the units this form offers');
  });

  it('the only unit left active: no percentage either', async () => {
    await t.runtime.services.db.execute(sql`update agencies set active = false where id = ${CK}`);
    try {
      const block = await unitBlock(await dispatched('Drainase permukiman tersumbat dan berbau'), 'id');
      expect(items(block)).toEqual([BM]);
      expect(rows(block)[0]).not.toMatch(/keyakinan|%/);
      expect(block).toContain('Model hanya mengenal satu dari unit');
    } finally {
      await t.runtime.services.db.execute(sql`update agencies set active = true where id = ${CK}`);
    }
  });
});
