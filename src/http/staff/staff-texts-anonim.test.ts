/**
 * What staff write on an *anonim* report. A verifier may see the reporter (the sealed identity, each view logged),
 * so a note, a hold or return note, or a new title could carry the name or number to the agency that must not see
 * it. Every staff text on an anonim report (a merge note too) is stored without the reporter's own identity (as the
 * reporter's own texts are): the agency's JSON and page and the database at rest hold none of it, while a third party's number stays
 * for staff in scope. On a report that is not anonim, staff texts are stored as written.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  verifyReport,
  type TestApp,
} from '../../../test/helpers/app.ts';
import { signInWeb } from '../../../test/helpers/web-client.ts';

const REPORTER = { name: 'Wulandari Kusumaningrum', phone: '081277700456', email: 'wulan.k@contoh.aduan.id' };
const OWN = /Wulandari|Kusumaningrum|7770[- ]?0456|wulan\.k@/i;
const CONTRACTOR = '081366611122';

let t: TestApp;

async function file(anonymous: boolean): Promise<string> {
  const filed = await t.api('/api/v1/reports', {
    json: {
      classification: 'pengaduan',
      title: 'Lampu jalan padam di Jalan Juanda',
      body: 'Lampu penerangan jalan di depan sekolah padam sejak sepekan, jalan gelap dan rawan.',
      regionCode: '64.72.02',
      anonymous,
      reporter: REPORTER,
    },
  });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  return filed.body.trackingId as string;
}

/** The staff texts of a report at rest: its title and every event body, note and consent note. */
async function storedTexts(trackingId: string): Promise<string> {
  const { rows } = (await t.runtime.services.db.execute(
    sql`select r.title, e.body, e.data from reports r join report_events e on e.report_id = r.id
        where r.tracking_id = ${trackingId}`,
  )) as unknown as { rows: Array<{ title: string; body: string | null; data: unknown }> };
  return JSON.stringify(rows);
}

let anonim: string;
let named: string;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-12-02T02:00:00Z') });
  const coord = await t.login(DEMO.coordinator);
  const roads = await categoryIdByName(t);
  anonim = await file(true);
  named = await file(false);
  for (const id of [anonim, named]) {
    await actOk(
      t,
      id,
      'note',
      {
        body: `Pelapor Ibu Wulandari Kusumaningrum minta ditelepon di 0812-7770-0456; kontraktor ${CONTRACTOR}.`,
      },
      { token: coord },
    );
    await verifyReport(t, coord, id, 'pupr-kaltim', roads);
  }
  // A new title written at a re-verification: the verifier names the reporter.
  await actOk(
    t,
    anonim,
    'return',
    { note: 'Bukan wewenang kami.' },
    { token: await t.login(DEMO.puprAdmin) },
  );
  await actOk(
    t,
    anonim,
    'verify',
    {
      agencyId: 'pupr-kaltim',
      categoryId: roads,
      confirmRedispatch: true,
      title: 'Lampu jalan padam (lapor Bu Wulandari Kusumaningrum)',
    },
    { token: coord },
  );
});
afterAll(() => t?.close());

describe('staff texts on an anonim report', () => {
  it('are stored without the reporter’s identity (note, new title); a third party’s number stays', async () => {
    const stored = await storedTexts(anonim);
    expect(stored).toContain('minta ditelepon');
    expect(stored).toContain('[nama-disembunyikan]');
    expect(stored).toContain('[telepon-disembunyikan]');
    expect(stored).toContain(CONTRACTOR);
    expect(stored).not.toMatch(OWN);
  });

  it('reach the agency without it (JSON timeline, report, back-office page)', async () => {
    const pupr = await t.login(DEMO.puprAdmin);
    const events = await t.api(`/api/v1/reports/${anonim}/events`, { token: pupr });
    expect(events.status).toBe(200);
    expect(JSON.stringify(events.body)).not.toMatch(OWN);
    const report = await t.api(`/api/v1/reports/${anonim}`, { token: pupr });
    expect(report.body.title).toContain('Lampu jalan padam');
    expect(JSON.stringify(report.body)).not.toMatch(OWN);
    const page = await (await signInWeb(t.url, DEMO.puprAdmin)).get(`/kantor/laporan/${anonim}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Lampu jalan padam');
    expect(page.html).not.toMatch(OWN);
  });

  it('a merge note on the kept report holds neither report’s anonim reporter', async () => {
    const coord = await t.login(DEMO.coordinator);
    const dup = await file(true);
    await actOk(
      t,
      dup,
      'archive',
      {
        reason: 'duplicate',
        duplicateOf: anonim,
        note: 'Sama dengan laporan lain; pelapor a.n. Wulandari Kusumaningrum, 0812 7770 0456.',
      },
      { token: coord },
    );
    const stored = await storedTexts(anonim);
    expect(stored).toContain('Sama dengan laporan lain');
    expect(stored).not.toMatch(OWN);
    const events = await t.api(`/api/v1/reports/${anonim}/events`, { token: await t.login(DEMO.puprAdmin) });
    const merge = (events.body.items as Array<{ type: string; body: string }>).find(
      (e) => e.type === 'merge',
    );
    expect(merge?.body).toContain('[nama-disembunyikan]');
  });

  it('on a report that is not anonim are stored as written', async () => {
    const stored = await storedTexts(named);
    expect(stored).toContain('Ibu Wulandari Kusumaningrum minta ditelepon di 0812-7770-0456');
  });
});
