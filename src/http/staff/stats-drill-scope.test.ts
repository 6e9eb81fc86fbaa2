/**
 * The dashboard drill-down lists the reports behind the row, in the dashboard's own scope (QA audit M1), over real
 * HTTP: for the Kota Balikpapan coordinator every agency and region row's number equals the count of its drill-down,
 * which lists only Balikpapan reports (not the Samarinda ones the coordinator may also open because they are public),
 * a region outside the scope lists nothing, a report received just after midnight WITA on 1 April is in neither the
 * March row nor its drill-down, a report not yet verified counts for the agency it was addressed to on both, and the
 * heading names the agency or region instead of its id. The Kalimantan Timur coordinator's rows match too, and an
 * agency admin's drill-down stays inside its own subtree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOk, categoryIdByName, DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { sessionsFor } from '../../../test/helpers/web-client.ts';
import { refreshStats } from '../../commands/refresh-stats.ts';

let t: TestApp;
const signIn = sessionsFor(() => t.url);
const balikpapan: string[] = [];
const samarinda: string[] = [];
let afterMidnight = '';
let addressed = '';

const MARCH = 'dari=2026-03-01&sampai=2026-03-31';

async function page(email: string, path: string): Promise<{ status: number; html: string }> {
  const res = await fetch(t.url + path, {
    headers: { accept: 'text/html', cookie: (await signIn(email)).cookie },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
}

/** The rows of a dashboard table: key of the drill-down link → [label, reports received]. */
function rows(html: string): Map<string, [string, number]> {
  const out = new Map<string, [string, number]>();
  for (const m of html.matchAll(/kunci=([^"&]+)">([^<]+)<\/a><\/th><td class="num">(\d+)<\/td>/g))
    out.set(decodeURIComponent(m[1]!), [m[2]!, Number(m[3])]);
  return out;
}

/** The drill-down's count line and the tracking numbers it lists (one page). */
function drill(html: string): { count: number; ids: string[]; h1: string } {
  const count = /(\d+) laporan yang dapat Anda lihat\./.exec(html);
  expect(count, html.slice(0, 400)).not.toBeNull();
  return {
    count: Number(count![1]),
    ids: [...html.matchAll(/href="\/kantor\/laporan\/(\d{10})"/g)].map((m) => m[1]!),
    h1: /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '',
  };
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-10T02:00:00Z') });
  const categoryId = await categoryIdByName(t);
  const submit = async (regionCode: string, title: string, extra: Record<string, unknown> = {}) => {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title,
        body: `${title}. Mohon segera ditangani oleh instansi yang berwenang di wilayah kami.`,
        regionCode,
        reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' },
        ...extra,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.trackingId as string;
  };
  const verified = async (regionCode: string, agencyId: string, title: string, extra = {}) => {
    const id = await submit(regionCode, title, extra);
    await actOk(t, id, 'verify', { categoryId, agencyId }, { token: await t.login(DEMO.coordinator) });
    return id;
  };
  balikpapan.push(
    await verified('64.71.01', 'dinkes-kaltim', 'Puskesmas Balikpapan kekurangan obat'),
    await verified('64.71.01', 'dinkes-kaltim', 'Antrean puskesmas Balikpapan sangat panjang', {
      confidential: true,
    }),
    await verified('64.71', 'pupr-kaltim', 'Drainase jalan provinsi di Balikpapan tersumbat'),
  );
  // Addressed to Dinkes, not verified yet: the statistics count it for Dinkes, so must the drill-down.
  addressed = await submit('64.71.01', 'Ambulans puskesmas Balikpapan tidak datang', {
    targetAgencyId: 'dinkes-kaltim',
  });
  balikpapan.push(addressed);
  samarinda.push(
    await verified('64.72.02', 'dinkes-kaltim', 'Puskesmas Samarinda tutup lebih awal'),
    await verified('64.72.02', 'dinkes-kaltim', 'Obat puskesmas Samarinda habis'),
    await verified('64.72.02', 'pupr-kaltim', 'Jalan provinsi di Samarinda berlubang'),
  );
  // 31 March 16:30 UTC is 1 April 00:30 WITA: an April report for the statistics (local date of receipt).
  t.setNow(new Date('2026-03-31T16:30:00Z'));
  afterMidnight = await verified('64.71.01', 'dinkes-kaltim', 'Lampu puskesmas Balikpapan mati malam hari');
  t.setNow(new Date('2026-04-15T02:00:00Z'));
  await refreshStats(t.runtime.services);
});
afterAll(() => t?.close());

describe('drill-down = the reports behind the dashboard row', () => {
  it('Kota Balikpapan coordinator: every agency row equals its drill-down, which lists only Balikpapan reports', async () => {
    const dash = await page(DEMO.balikpapanCoordinator, `/kantor/statistik?kelompok=agency&${MARCH}`);
    expect(dash.status).toBe(200);
    expect(dash.html).toContain('Cakupan: Kota Balikpapan.');
    const agencyRows = rows(dash.html);
    // Dinkes: two verified, the addressed one; not the one received on 1 April WITA.
    expect(agencyRows.get('dinkes-kaltim')?.[1]).toBe(3);
    expect(agencyRows.get('pupr-kaltim')?.[1]).toBe(1);
    expect(agencyRows.get('pemprov-kaltim')?.[1]).toBe(4);
    for (const [key, [label, n]] of agencyRows) {
      const d = drill(
        (
          await page(
            DEMO.balikpapanCoordinator,
            `/kantor/statistik/laporan?kelompok=agency&${MARCH}&kunci=${key}`,
          )
        ).html,
      );
      expect(d.count, key).toBe(n);
      expect(d.ids.length, key).toBe(n);
      for (const id of d.ids) expect(balikpapan, `${key} ${id}`).toContain(id);
      expect(d.ids).not.toContain(afterMidnight);
      // The heading names the agency as the row does, not its id.
      expect(d.h1, key).toBe(`Laporan: Instansi ${label}`);
      expect(d.h1).not.toContain(key);
    }
    const dinkes = drill(
      (
        await page(
          DEMO.balikpapanCoordinator,
          `/kantor/statistik/laporan?kelompok=agency&${MARCH}&kunci=dinkes-kaltim`,
        )
      ).html,
    );
    expect(dinkes.ids).toContain(addressed);
    for (const id of samarinda) expect(dinkes.ids).not.toContain(id);
  });

  it('region rows: the kab/kota row equals its drill-down; a region outside the scope lists nothing', async () => {
    const dash = await page(DEMO.balikpapanCoordinator, `/kantor/statistik?kelompok=region&${MARCH}`);
    const regionRows = rows(dash.html);
    expect([...regionRows.keys()]).toEqual(['64.71']);
    const res = await page(
      DEMO.balikpapanCoordinator,
      `/kantor/statistik/laporan?kelompok=region&${MARCH}&kunci=64.71`,
    );
    const d = drill(res.html);
    expect(d.count).toBe(regionRows.get('64.71')![1]);
    expect(d.count).toBe(4);
    expect(d.h1).toBe('Laporan: Wilayah Kota Balikpapan (64.71)');
    expect(res.html).toContain('dalam cakupan Kota Balikpapan');
    // Samarinda reports are public and the coordinator may open them, but its dashboard has no Samarinda row.
    const other = drill(
      (
        await page(
          DEMO.balikpapanCoordinator,
          `/kantor/statistik/laporan?kelompok=region&${MARCH}&kunci=64.72`,
        )
      ).html,
    );
    expect(other.count).toBe(0);
    // The April report is in the April range, row and drill-down alike.
    const april = 'dari=2026-04-01&sampai=2026-04-30';
    const aprilRows = rows(
      (await page(DEMO.balikpapanCoordinator, `/kantor/statistik?kelompok=region&${april}`)).html,
    );
    const aprilDrill = drill(
      (
        await page(
          DEMO.balikpapanCoordinator,
          `/kantor/statistik/laporan?kelompok=region&${april}&kunci=64.71`,
        )
      ).html,
    );
    expect(aprilRows.get('64.71')?.[1]).toBe(1);
    expect(aprilDrill.ids).toEqual([afterMidnight]);
  });

  it('Kalimantan Timur coordinator: rows equal their drill-downs across both kab/kota, in English too', async () => {
    const dash = await page(DEMO.coordinator, `/kantor/statistik?kelompok=agency&${MARCH}`);
    const agencyRows = rows(dash.html);
    expect(agencyRows.get('dinkes-kaltim')?.[1]).toBe(5);
    for (const [key, [, n]] of agencyRows) {
      const d = drill(
        (await page(DEMO.coordinator, `/kantor/statistik/laporan?kelompok=agency&${MARCH}&kunci=${key}`))
          .html,
      );
      expect(d.count, key).toBe(n);
    }
    const en = await page(
      DEMO.coordinator,
      `/kantor/statistik/laporan?kelompok=region&${MARCH}&kunci=64.72&lang=en`,
    );
    expect(en.html).toContain('<h1>Reports: Region Kota Samarinda (64.72)</h1>');
    expect(en.html).toContain('3 reports you may see.');
  });

  it('agency admin: a drill-down into an ancestor stays inside its own subtree', async () => {
    const dash = rows((await page(DEMO.puprAdmin, `/kantor/statistik?kelompok=agency&${MARCH}`)).html);
    expect([...dash.keys()]).toEqual(['pupr-kaltim']);
    const d = drill(
      (await page(DEMO.puprAdmin, `/kantor/statistik/laporan?kelompok=agency&${MARCH}&kunci=pemprov-kaltim`))
        .html,
    );
    // Not the Dinkes reports under the same province government, public as they are.
    expect(d.count).toBe(dash.get('pupr-kaltim')![1]);
    expect(d.count).toBe(2);
  });
});

describe('the back-office error page of the statistics pages (QA audit L3)', () => {
  it('422: fields by their labels, the range message, links back to the dashboard and the queue, no citizen links', async () => {
    const bad = await page(DEMO.balikpapanCoordinator, '/kantor/statistik?dari=abc');
    expect(bad.status).toBe(422);
    expect(bad.html).toContain(
      '<strong>Dari tanggal</strong>: Tanggal harus berformat YYYY-MM-DD dan merupakan tanggal yang ada.',
    );
    expect(bad.html).toContain('<a href="/kantor/statistik">Kembali ke dasbor statistik</a>');
    expect(bad.html).toContain('<a href="/kantor">Ke antrean laporan</a>');
    expect(bad.html).not.toContain('href="/lacak"');
    expect(bad.html).not.toContain('dari:');
    // A real date outside 1900–2100 gets the range message, as the API gives.
    const far = await page(DEMO.balikpapanCoordinator, '/kantor/statistik?sampai=2999-12-31&lang=en');
    expect(far.status).toBe(422);
    expect(far.html).toContain(
      '<strong>To date</strong>: The date must be between 1900-01-01 and 2100-12-31.',
    );
    expect(far.html).toContain('<a href="/kantor/statistik">Back to the statistics dashboard</a>');
    // The drill-down and the exports go through the same page.
    const noKey = await page(
      DEMO.balikpapanCoordinator,
      `/kantor/statistik/laporan?kelompok=agency&${MARCH}`,
    );
    expect(noKey.status).toBe(422);
    expect(noKey.html).toContain('<strong>Baris dasbor yang dipilih</strong>: Wajib diisi.');
    const csv = await page(
      DEMO.balikpapanCoordinator,
      '/kantor/statistik.csv?dari=2026-04-01&sampai=2026-03-01',
    );
    expect(csv.status).toBe(422);
    expect(csv.html).toContain(
      '<strong>Dari tanggal</strong>: Tanggal awal tidak boleh setelah tanggal akhir.',
    );
  });

  it('a refused page does not link back to itself; citizens keep the public error page', async () => {
    const assessor = await page(DEMO.assessor, '/kantor/statistik');
    expect(assessor.status).toBe(403);
    expect(assessor.html).not.toContain('<a href="/kantor/statistik">Kembali');
    expect(assessor.html).not.toContain('href="/lacak"');
    expect(assessor.html).toContain('<a href="/kantor/evaluasi">Kembali ke daftar evaluasi</a>');
    const citizen = await page(DEMO.citizen, '/kantor/statistik');
    expect(citizen.status).toBe(403);
    expect(citizen.html).toContain('href="/lacak"');
  });
});
