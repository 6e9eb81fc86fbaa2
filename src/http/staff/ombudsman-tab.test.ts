/**
 * The back-office "Ombudsman" queue tab (QA audit M3), over real HTTP against a controllable clock: reports the
 * sweeper offered the Ombudsman hand-off (escalation deadline passed) that still wait for the reporter's consent,
 * and reports already handed over (`transferred`), scoped like the other tabs: the Kota Balikpapan coordinator sees
 * only its region's, the Kalimantan Timur coordinator and the national admin all, an agency admin those of its tree;
 * officers have no such tab. The statistics dashboard shows how many reports of the range were handed over (they
 * count as neither completed nor overdue), linking to the tab for those who have it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';
import { refreshStats } from '../../commands/refresh-stats.ts';
import { runSweep } from '../../jobs/sweeper.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);
type Made = { trackingId: string; accessKey: string };
/** Balikpapan: handed over (PUPR), offered (Dinkes), offered before verification, too young for an offer. */
const bpp = {} as Record<'transferred' | 'offered' | 'unverified' | 'young', Made>;
/** Samarinda: handed over (PUPR), offered (Dinkes). */
const smd = {} as Record<'transferred' | 'offered', Made>;

async function page(email: string, path: string): Promise<{ status: number; html: string }> {
  const res = await fetch(t.url + path, {
    headers: { accept: 'text/html', cookie: (await signIn(email)).cookie },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
}

/** The tracking numbers a queue page lists. */
const listed = (html: string) =>
  [...html.matchAll(/href="\/kantor\/laporan\/(\d{10})"/g)].map((m) => m[1]!).sort();
const ids = (...made: Made[]) => made.map((m) => m.trackingId).sort();
/** The count shown on the Ombudsman tab link, or null when the tab is not there. */
const tabCount = (html: string) =>
  Number(
    /href="\/kantor\?tab=ombudsman"[^>]*>[^<]*<span class="queue-count">\((\d+)\)/.exec(html)?.[1] ?? NaN,
  );

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-01-05T01:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const submit = async (regionCode: string, title: string): Promise<Made> => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title,
        body: `${title}. Sudah berbulan-bulan tidak ada perbaikan dari instansi yang berwenang.`,
        regionCode,
        reporter: { name: 'Rina Pelapor', email: 'rina.pelapor@contoh.aduan.id' },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as Made;
  };
  const verified = async (regionCode: string, agencyId: string, title: string) => {
    const made = await submit(regionCode, title);
    await actOk(
      t,
      made.trackingId,
      'verify',
      { categoryId, agencyId },
      { token: await t.login(DEMO.coordinator) },
    );
    return made;
  };
  // Monday 5 January 2026, 09:00 WITA: the escalation deadline (60 working days) ends on Friday 10 April.
  t.setNow(new Date('2026-01-05T09:00:00+08:00'));
  bpp.transferred = await verified('64.71.01', 'pupr-kaltim', 'Jalan provinsi di Balikpapan amblas');
  bpp.offered = await verified('64.71.01', 'dinkes-kaltim', 'Puskesmas Balikpapan tanpa dokter jaga');
  bpp.unverified = await submit('64.71.01', 'Lampu jalan di Balikpapan padam');
  smd.transferred = await verified('64.72.02', 'pupr-kaltim', 'Jembatan provinsi di Samarinda retak');
  smd.offered = await verified('64.72.02', 'dinkes-kaltim', 'Puskesmas Samarinda kehabisan vaksin');
  t.setNow(new Date('2026-03-02T09:00:00+08:00'));
  bpp.young = await verified('64.71.01', 'pupr-kaltim', 'Trotoar di Balikpapan rusak');
  // Monday 13 April: the sweeper offers the hand-off; two reporters consent.
  const monday = new Date('2026-04-13T09:00:00+08:00');
  t.setNow(monday);
  const offers = (await runSweep(t.runtime.services, monday, { dryRun: false })).filter(
    (a) => a.action === 'ombudsman_offer',
  );
  expect(offers.map((a) => a.trackingId).sort()).toEqual(
    ids(bpp.transferred, bpp.offered, bpp.unverified, smd.transferred, smd.offered),
  );
  for (const r of [bpp.transferred, smd.transferred])
    await actOk(t, r.trackingId, 'escalate', { consent: true }, { accessKey: r.accessKey });
  t.setNow(new Date('2026-04-14T02:00:00Z'));
  await refreshStats(t.runtime.services);
});
afterAll(() => t?.close());

describe('the Ombudsman queue tab', () => {
  it('Kota Balikpapan coordinator: only its region, handed over and waiting for consent, with since when', async () => {
    const r = await page(DEMO.balikpapanCoordinator, '/kantor?tab=ombudsman');
    expect(r.status).toBe(200);
    expect(r.html).toContain('<h2>Ombudsman</h2>');
    expect(r.html).toContain('menunggu persetujuan pelapor');
    expect(tabCount(r.html)).toBe(3);
    expect(listed(r.html)).toEqual(ids(bpp.transferred, bpp.offered, bpp.unverified));
    // Handed over on 13 April; offered by the sweep the same day (dates in WITA).
    const row = (m: Made) =>
      r.html.slice(r.html.indexOf(`/kantor/laporan/${m.trackingId}"`)).split('</tr>')[0]!;
    expect(row(bpp.transferred)).toContain('data-ombudsman="transferred">Dialihkan 13 April 2026</td>');
    expect(row(bpp.offered)).toContain(
      'data-ombudsman="offered">Ditawarkan 13 April 2026, menunggu persetujuan pelapor</td>',
    );
    expect(row(bpp.unverified)).toContain('data-ombudsman="offered"');
    // Neither Samarinda report, public as they are, nor the Balikpapan report too young for an offer.
    for (const m of [smd.transferred, smd.offered, bpp.young]) expect(r.html).not.toContain(m.trackingId);
  });

  it('Kalimantan Timur coordinator and national admin see every one; English labels', async () => {
    const all = ids(bpp.transferred, bpp.offered, bpp.unverified, smd.transferred, smd.offered);
    const kaltim = await page(DEMO.coordinator, '/kantor?tab=ombudsman');
    expect(tabCount(kaltim.html)).toBe(5);
    expect(listed(kaltim.html)).toEqual(all);
    const en = await page(DEMO.national, '/kantor?tab=ombudsman&lang=en');
    expect(tabCount(en.html)).toBe(5);
    expect(listed(en.html)).toEqual(all);
    expect(en.html).toContain('<h2>Ombudsman</h2>');
    expect(en.html).toContain('<th scope="col">Ombudsman stage</th>');
    expect(en.html).toContain("Offered 13 April 2026, waiting for the reporter's consent");
    expect(en.html).toContain('Handed over 13 April 2026');
  });

  it('an agency admin sees its tree only; officers have no Ombudsman tab', async () => {
    const pupr = await page(DEMO.puprAdmin, '/kantor?tab=ombudsman');
    expect(tabCount(pupr.html)).toBe(2);
    expect(listed(pupr.html)).toEqual(ids(bpp.transferred, smd.transferred));
    const dinkes = await page(DEMO.dinkesAdmin, '/kantor?tab=ombudsman');
    expect(listed(dinkes.html)).toEqual(ids(bpp.offered, smd.offered));
    // The rows carry no reporter identity, so no anonim reporter can reach an agency through this tab.
    for (const html of [pupr.html, dinkes.html]) {
      expect(html).not.toContain('Rina Pelapor');
      expect(html).not.toContain('rina.pelapor@contoh.aduan.id');
    }
    const officer = await page(DEMO.puprOfficer, '/kantor?tab=ombudsman');
    expect(officer.status).toBe(200);
    expect(officer.html).not.toContain('href="/kantor?tab=ombudsman"');
    expect(officer.html).not.toContain('data-ombudsman');
    expect(officer.html).toContain('<h2>Diteruskan ke instansi/unit saya</h2>');
  });
});

describe('the dashboard figure', () => {
  const range = 'dari=2026-01-01&sampai=2026-04-14';

  it('counts the handed-over reports of the scope and links to the tab for those who have it', async () => {
    const bppDash = await page(DEMO.balikpapanCoordinator, `/kantor/statistik?${range}`);
    expect(bppDash.html).toContain(
      'Dialihkan ke Ombudsman: 1 laporan yang diterima dalam rentang ini. Laporan ini tidak dihitung sebagai selesai maupun terlambat.',
    );
    expect(bppDash.html).toContain('<a href="/kantor?tab=ombudsman">Lihat tab Ombudsman di antrean</a>');
    const kaltim = await page(DEMO.coordinator, `/kantor/statistik?${range}&lang=en`);
    expect(kaltim.html).toContain('Handed over to the Ombudsman: 2 reports received in this range.');
    const pupr = await page(DEMO.puprAdmin, `/kantor/statistik?${range}`);
    expect(pupr.html).toContain('Dialihkan ke Ombudsman: 2 laporan');
    expect(pupr.html).toContain('href="/kantor?tab=ombudsman"');
    // The PUPR officer's scope is its unit (Bina Marga), which held neither; officers have no Ombudsman tab.
    const officer = await page(DEMO.puprOfficer, `/kantor/statistik?${range}`);
    expect(officer.html).toContain('Dialihkan ke Ombudsman: 0 laporan');
    expect(officer.html).not.toContain('href="/kantor?tab=ombudsman"');
    // Outside the range: none.
    const march = await page(DEMO.coordinator, '/kantor/statistik?dari=2026-03-01&sampai=2026-03-31');
    expect(march.html).toContain('Dialihkan ke Ombudsman: 0 laporan');
  });
});
