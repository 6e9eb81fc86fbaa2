/** Where a queue download is filed (`exportFiling`): the grant it was made in, from the reports in each grant's scope. */
import { describe, expect, it } from 'vitest';
import type { RoleGrant } from '../policies/can.ts';
import { exportFiling } from './record-queue-export.ts';

const officer: RoleGrant = {
  role: 'officer',
  agencyId: 'pupr-kaltim-unit',
  regionCode: '64',
  agencyPath: ['pemprov-kaltim', 'pupr-kaltim', 'pupr-kaltim-unit'],
};
const pemkot: RoleGrant = {
  role: 'agency_admin',
  agencyId: 'pemkab-balikpapan',
  regionCode: '64.71',
  agencyPath: ['pemkab-balikpapan'],
};
const coordinator: RoleGrant = { role: 'coordinator', agencyId: 'diskominfo-kaltim', regionCode: '64' };
const national: RoleGrant = { role: 'national_admin', agencyId: 'kemenpanrb', regionCode: null };

describe('exportFiling', () => {
  it('files under the grant holding every report, whatever the grants’ order', () => {
    for (const shares of [
      [
        { grant: officer, reports: 0 },
        { grant: pemkot, reports: 4 },
      ],
      [
        { grant: pemkot, reports: 4 },
        { grant: officer, reports: 0 },
      ],
    ])
      expect(exportFiling(shares, 4)).toEqual({ agencyId: 'pemkab-balikpapan', grantAgencies: [] });
  });

  it('prefers the narrowest grant that holds them all: a unit before its coordinator, both before national', () => {
    const shares = [
      { grant: national, reports: 3 },
      { grant: coordinator, reports: 3 },
      { grant: officer, reports: 3 },
    ];
    expect(exportFiling(shares, 3).agencyId).toBe('pupr-kaltim-unit');
    expect(exportFiling(shares.slice(0, 2), 3).agencyId).toBe('diskominfo-kaltim');
    expect(
      exportFiling(
        [
          { grant: national, reports: 9 },
          { grant: officer, reports: 3 },
        ],
        9,
      ),
    ).toEqual({
      agencyId: null,
      grantAgencies: [],
    });
  });

  it('a download over several grants: the one with most reports, naming every grant with some', () => {
    const shares = [
      { grant: pemkot, reports: 1 },
      { grant: officer, reports: 2 },
    ];
    expect(exportFiling(shares, 3)).toEqual({
      agencyId: 'pupr-kaltim-unit',
      grantAgencies: ['pupr-kaltim-unit', 'pemkab-balikpapan'],
    });
  });

  it('nothing matched: the narrowest grant; no grant at all: national', () => {
    expect(
      exportFiling(
        [
          { grant: coordinator, reports: 0 },
          { grant: pemkot, reports: 0 },
        ],
        0,
      ).agencyId,
    ).toBe('pemkab-balikpapan');
    expect(exportFiling([], 0)).toEqual({ agencyId: null, grantAgencies: [] });
  });
});
