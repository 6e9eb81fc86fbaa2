/**
 * The published results XLSX speaks the public results page's words (QA L1): headers, the award category of
 * each group, one column per indicator named as on `/evaluasi/:periodId` (`eval.indicator.*`) and the notes in
 * words ("belum dinilai: Inovasi, …", never `no_assessment:inovasi`), in Indonesian by default and in English
 * with `?lang=en`. Read back with exceljs over real HTTP. The results, certificate and back-office preview pages
 * write decimals and formula lines in the page language ("33,33", "Batas bawah Wilson 95% …" / "33.33", "Wilson …");
 * the JSON results and preview keep the English, hashed `formula` lines and carry them in words in both languages
 * beside the result (`formulaTexts`), which leaves the fingerprint unchanged.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { refreshStats } from '../../../commands/refresh-stats.ts';
import { snapshotOpenData } from '../../../commands/snapshot-open-data.ts';
import { t as text } from '../../../locales/index.ts';
import { signInWeb } from '../../../../test/helpers/web-client.ts';
import { publishReviewed } from '../../../../test/helpers/evaluation.ts';
import { resultFingerprint } from '../../../commands/publish-evaluation.ts';

let t: TestApp;
const PERIOD = 'xlsx-2026';

/** The first sheet as rows of cell values (row 1: headers). */
async function sheet(path: string, headers: Record<string, string> = {}): Promise<unknown[][]> {
  const res = await fetch(t.url + path, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const national = await t.login(DEMO.national);
  const coord = await t.login(DEMO.coordinator);
  const categoryId = (await t.api('/api/v1/categories')).body.items[0].id;
  // Two verified reports for PUPR: Dinkes stays below the minimum volume of 2.
  for (const region of ['64.71.01', '64.72.02']) {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'pengaduan',
        title: 'Jalan rusak di depan sekolah',
        body: 'Jalan berlubang besar di depan sekolah dan membahayakan anak-anak setiap pagi.',
        regionCode: region,
        reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' },
      },
    });
    expect(r.status).toBe(201);
    const v = await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
      json: { categoryId, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    expect(v.status).toBe(200);
  }
  await refreshStats(t.runtime.services);
  const created = await t.api('/api/v1/evaluation/periods', {
    token: national,
    json: {
      id: PERIOD,
      name: 'Evaluasi Pengelolaan Pengaduan Kaltim 2026',
      from: '2026-01-01',
      to: '2026-12-31',
      minVolume: 2,
      weights: { volume: 10, completion_rate: 10, inovasi: 5, pemanfaatan_data: 5 },
      groups: [
        {
          id: `${PERIOD}-pd`,
          name: 'Perangkat Daerah Kaltim 2026',
          scope: 'agency',
          participants: [{ agencyId: 'pupr-kaltim' }, { agencyId: 'dinkes-kaltim' }],
        },
      ],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await snapshotOpenData(t.runtime.services, t.runtime.config.dataDir);
  const published = await publishReviewed(t, PERIOD, national);
  expect(published.status, JSON.stringify(published.body)).toBe(201);
});
afterAll(() => t?.close());

describe('results XLSX', () => {
  it('has the results page’s headers, indicator names and notes in Indonesian', async () => {
    const rows = await sheet(`/api/v1/evaluation/periods/${PERIOD}/results.xlsx`);
    expect(rows[0]).toEqual([
      'Kelompok',
      'Kategori penghargaan',
      'Peringkat',
      'Peserta',
      'Nilai',
      'Predikat',
      text('id', 'eval.received'),
      'Catatan',
      // An indicator column holds the score, not the raw value (PUPR's 2 reports score 100).
      'Volume laporan (skor 0–100)',
      'Ketepatan waktu verifikasi (skor 0–100)',
      'Ketepatan waktu tindak lanjut (skor 0–100)',
      'Tingkat penyelesaian (skor 0–100)',
      'Kepuasan pelapor (skor 0–100)',
      'Tidak salah sasaran (skor 0–100)',
      'Keaktifan admin (skor 0–100)',
      'Komitmen pimpinan (skor 0–100)',
      'Sumber daya manusia (skor 0–100)',
      'Inovasi (skor 0–100)',
      'Pemanfaatan data (skor 0–100)',
      'Situs web (skor 0–100)',
      'Media sosial (skor 0–100)',
    ]);
    const page0 = await (await fetch(`${t.url}/evaluasi/${PERIOD}`)).text();
    const all = JSON.stringify(rows);
    expect(all).not.toMatch(/no_assessment|below_min_volume|verification_timeliness|media_sosial/);
    const byName = new Map(rows.slice(1).map((r) => [r[3], r]));
    const pupr = [...byName.entries()].find(([n]) => String(n).includes('Pekerjaan Umum'))![1];
    const dinkes = [...byName.entries()].find(([n]) => String(n).includes('Kesehatan'))![1];
    expect(pupr[0]).toBe('Perangkat Daerah Kaltim 2026');
    // The award category in words, as the results page writes it beside the group.
    expect(pupr[1]).toBe('pengelolaan pengaduan');
    expect(page0).toContain('(pengelolaan pengaduan)');
    expect(pupr[2]).toBe(1);
    expect(pupr[6]).toBe(2);
    expect(pupr[7]).toBe('belum dinilai: Inovasi, Pemanfaatan data');
    expect(pupr[8]).toBe(100); // the volume score; the raw volume (2) is the "Laporan diterima" column
    expect(dinkes[2] ?? null).toBeNull(); // no rank (an empty cell)
    expect(dinkes[7]).toBe(
      'di bawah volume minimum, tidak diperingkat; belum dinilai: Inovasi, Pemanfaatan data',
    );
    // The same words as the public results page.
    const page = await (await fetch(`${t.url}/evaluasi/${PERIOD}`)).text();
    expect(page).toContain(
      'di bawah volume minimum, tidak diperingkat; belum dinilai: Inovasi, Pemanfaatan data',
    );
    for (const h of ['Peringkat', 'Peserta', 'Nilai', 'Predikat', text('id', 'eval.received'), 'Catatan'])
      expect(page).toContain(`>${h}</th>`);
    expect(page).toContain('<th scope="row">Volume laporan</th>');
    expect(page).toContain('<th scope="row">Pemanfaatan data</th>');
  });

  it('is in English with ?lang=en (and with an English Accept-Language)', async () => {
    for (const [path, headers] of [
      [`/api/v1/evaluation/periods/${PERIOD}/results.xlsx?lang=en`, {}],
      [`/api/v1/evaluation/periods/${PERIOD}/results.xlsx`, { 'accept-language': 'en-US,en;q=0.9' }],
    ] as const) {
      const rows = await sheet(path, headers);
      expect(rows[0]!.slice(0, 10)).toEqual([
        'Group',
        'Award category',
        'Rank',
        'Participant',
        'Score',
        'Predikat',
        text('en', 'eval.received'),
        'Notes',
        'Report volume (score 0–100)',
        'Verification timeliness (score 0–100)',
      ]);
      expect(rows[0]!.slice(-2)).toEqual(['Website (score 0–100)', 'Social media (score 0–100)']);
      expect(rows.slice(1).map((r) => r[1])).toEqual(['complaint handling', 'complaint handling']);
      const notes = rows.slice(1).map((r) => r[7]);
      expect(notes).toContain(
        'below the minimum volume, not ranked; not assessed yet: Innovation, Use of data',
      );
      expect(notes).toContain('not assessed yet: Innovation, Use of data');
    }
    const page = await (await fetch(`${t.url}/evaluasi/${PERIOD}?lang=en`)).text();
    expect(page).toContain('below the minimum volume, not ranked; not assessed yet: Innovation, Use of data');
  });
});

describe('results and preview pages in the reader’s language', () => {
  it('write decimals and formula lines in Indonesian (33,33) and English (33.33), public and back office', async () => {
    const coordinator = await signInWeb(t.url, DEMO.coordinator);
    for (const [lang, expected, absent] of [
      [
        'id',
        [
          '>33,33</td>',
          '>0,00</td>',
          'Rincian nilai Dinas Kesehatan Provinsi Kalimantan Timur (0,00)',
          '2 laporan ÷ nilai tertinggi kelompok 2 × 100',
          'Batas bawah Wilson 95% dari 0/2 laporan terverifikasi yang selesai × 100',
          'Belum ada nilai penilai',
        ],
        ['>33.33</td>', '>0.00</td>', 'Wilson 95% lower bound', 'reports ÷ group max', 'assessor score'],
      ],
      [
        'en',
        [
          '>33.33</td>',
          '>0.00</td>',
          '2 reports ÷ group maximum 2 × 100',
          'Wilson 95% lower bound of 0/2 verified reports completed × 100',
          'No assessor score yet',
        ],
        ['>33,33</td>', 'Batas bawah Wilson', 'laporan ÷'],
      ],
    ] as const) {
      const pages = [
        await (await fetch(`${t.url}/evaluasi/${PERIOD}?lang=${lang}`)).text(),
        (await coordinator.get(`/kantor/evaluasi/${PERIOD}?lang=${lang}`)).html,
      ];
      for (const html of pages) {
        for (const text of expected) expect(html, `${lang}: ${text}`).toContain(text);
        for (const text of absent) expect(html, `${lang}: ${text}`).not.toContain(text);
      }
    }
    const cert = await (
      await fetch(`${t.url}/evaluasi/${PERIOD}/sertifikat/pupr-kaltim?kelompok=${PERIOD}-pd`)
    ).text();
    expect(cert).toContain('Nilai 33,33');
  });

  it('the JSON results and preview keep the hashed English formula lines and word them beside the result', async () => {
    const published = (await t.api(`/api/v1/evaluation/periods/${PERIOD}/results`)).body;
    const preview = (
      await t.api(`/api/v1/evaluation/periods/${PERIOD}/preview`, { token: await t.login(DEMO.national) })
    ).body;
    const lines = (result: any): string[] =>
      result.groups.flatMap((g: any) =>
        g.results.flatMap((r: any) => r.indicators.map((i: any) => i.formula)),
      );
    // The result itself is unchanged: English lines, no worded copy inside it, the same fingerprint.
    expect(JSON.stringify(published.result)).not.toContain('formulaText');
    expect(lines(published.result)).toContain(
      'completion_rate: Wilson 95% lower bound of 0/2 verified reports completed × 100',
    );
    expect(preview.previewSha256).toBe(resultFingerprint(published.result));
    for (const body of [published, preview]) {
      const all = lines(body.result ?? body);
      expect(Object.keys(body.formulaTexts).sort()).toEqual([...new Set(all)].sort());
      expect(
        body.formulaTexts['completion_rate: Wilson 95% lower bound of 0/2 verified reports completed × 100'],
      ).toEqual({
        id: 'Batas bawah Wilson 95% dari 0/2 laporan terverifikasi yang selesai × 100',
        en: 'Wilson 95% lower bound of 0/2 verified reports completed × 100',
      });
    }
  });
});
