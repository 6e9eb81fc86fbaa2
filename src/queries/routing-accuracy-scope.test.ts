/**
 * Whose routing accuracy figures each viewer gets (`routingAccuracyScope`): a pure function of the grants, so
 * the combinations the demo accounts do not cover (a national assessor, mixed grants) are checked directly.
 */
import { describe, expect, it } from 'vitest';
import type { RoleGrant } from '../policies/can.ts';
import { routingAccuracyScope } from './routing-accuracy.ts';

const actor = (...grants: RoleGrant[]) => ({ userId: 'u', grants });
const g = (role: RoleGrant['role'], agencyId: string | null, regionCode: string | null): RoleGrant => ({
  role,
  agencyId,
  regionCode,
});

describe('routingAccuracyScope', () => {
  it('national admins and assessors without a region see national figures', () => {
    expect(routingAccuracyScope(actor(g('national_admin', 'kemenpanrb', null)))).toEqual({
      kind: 'national',
    });
    expect(routingAccuracyScope(actor(g('assessor', null, null)))).toEqual({ kind: 'national' });
    expect(
      routingAccuracyScope(actor(g('agency_admin', 'pupr-kaltim', '64'), g('assessor', null, null))),
    ).toEqual({ kind: 'national' });
  });

  it('coordinators and regional assessors see their region; agency admins their agency', () => {
    expect(routingAccuracyScope(actor(g('coordinator', 'diskominfo-balikpapan', '64.71')))).toEqual({
      kind: 'region',
      regionCode: '64.71',
    });
    expect(routingAccuracyScope(actor(g('assessor', 'diskominfo-kaltim', '64')))).toEqual({
      kind: 'region',
      regionCode: '64',
    });
    expect(routingAccuracyScope(actor(g('agency_admin', 'pupr-kaltim', '64')))).toEqual({
      kind: 'agency',
      agencyId: 'pupr-kaltim',
    });
    // A coordinator grant wins over an agency admin grant, as on the statistics dashboard.
    expect(
      routingAccuracyScope(
        actor(g('agency_admin', 'pupr-kaltim', '64'), g('coordinator', 'diskominfo-kaltim', '64')),
      ),
    ).toEqual({ kind: 'region', regionCode: '64' });
  });

  it('grants without view_evaluation do not count: an officer grant never picks the scope', () => {
    expect(routingAccuracyScope(actor(g('officer', 'pupr-kaltim-unit', '64')))).toBeNull();
    expect(
      routingAccuracyScope(
        actor(g('officer', 'pupr-kaltim-unit', '64'), g('agency_admin', 'dinkes-kaltim', '64')),
      ),
    ).toEqual({ kind: 'agency', agencyId: 'dinkes-kaltim' });
    expect(routingAccuracyScope({ userId: null, grants: [] })).toBeNull();
    expect(routingAccuracyScope(actor(g('citizen', null, null)))).toBeNull();
  });
});
