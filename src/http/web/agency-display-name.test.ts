/**
 * A unit handling a report is named with the agency above it on the citizen's pages ("UPT Drainase (Dinas …)"),
 * since a unit name alone could be in any kab/kota; units whose names already carry it keep their own.
 */
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
import { agencies } from '../../db/schema.ts';
import { agencyDisplayNames } from './report-view.ts';

describe('agencyDisplayNames', () => {
  const row = (
    id: string,
    name: string,
    kind: string,
    parentId: string | null,
    shortName: string | null = null,
  ) => ({
    id,
    name,
    shortName,
    kind,
    parentId,
  });
  it('names a unit with the nearest agency above it that is not a unit', () => {
    const names = agencyDisplayNames([
      row('pemkot', 'Pemerintah Kota Balikpapan', 'pemerintah_kabupaten_kota', null),
      row('dpu', 'Dinas Pekerjaan Umum Kota Balikpapan', 'perangkat_daerah', 'pemkot', 'DPU Balikpapan'),
      row('upt', 'UPT Drainase', 'unit', 'dpu'),
      row('seksi', 'Seksi Saluran', 'unit', 'upt'),
      row('bidang', 'Bidang Jalan, DPU Balikpapan', 'unit', 'dpu'),
    ]);
    expect(names.get('dpu')).toBe('Dinas Pekerjaan Umum Kota Balikpapan');
    expect(names.get('upt')).toBe('UPT Drainase (Dinas Pekerjaan Umum Kota Balikpapan)');
    expect(names.get('seksi')).toBe('Seksi Saluran (Dinas Pekerjaan Umum Kota Balikpapan)');
    expect(names.get('bidang')).toBe('Bidang Jalan, DPU Balikpapan');
  });
});

describe('the tracking and public pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('name the handling unit with its agency', async () => {
    await t.runtime.services.db.insert(agencies).values({
      id: 'pupr-kaltim-upt-drainase-uji',
      name: 'UPT Drainase Uji',
      kind: 'unit',
      parentId: 'pupr-kaltim',
      path: '/pemprov-kaltim/pupr-kaltim/pupr-kaltim-upt-drainase-uji/',
      regionCode: '64',
      zone: 'WITA',
    });
    const id = await submitReport(t, 'Saluran drainase tersumbat sampah di depan pasar', {
      reporter: { name: 'Warga Sintetis' },
    });
    await verifyReport(t, await t.login(DEMO.coordinator), id, 'pupr-kaltim', await categoryIdByName(t));
    await actOk(
      t,
      id,
      'dispose',
      { unitId: 'pupr-kaltim-upt-drainase-uji' },
      { token: await t.login(DEMO.puprAdmin) },
    );
    const page = await (await fetch(`${t.url}/laporan/${id}`)).text();
    expect(page).toMatch(/UPT Drainase Uji \(Dinas Pekerjaan Umum[^)<]*\)/);
  });
});
