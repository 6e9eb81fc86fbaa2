/**
 * A role other than `ombudsman` held on an Ombudsman office (or below it) counts for nothing in the policy, even if the
 * database holds one from before the grant rules (audit H3): no report, no reporter identity, no staff permission. The
 * `ombudsman` role there keeps its hand-off path: the identity only when the reporter shared it.
 */
import { describe, expect, it } from 'vitest';
import { can, canStaff, type ReportSubject, type RoleGrant } from './can.ts';

const subject = (over: Partial<ReportSubject> = {}): ReportSubject => ({
  status: 'dispatched',
  agencyPath: ['pemprov-kaltim', 'pupr-kaltim'],
  targetAgencyPath: ['pemprov-kaltim', 'pupr-kaltim'],
  regionCode: '64.72.02',
  anonymous: false,
  confidential: false,
  isReporter: false,
  ...over,
});

const onOffice = (role: RoleGrant['role'], agencyId = 'ombudsman-kaltim'): RoleGrant => ({
  role,
  agencyId,
  regionCode: '64',
  agencyPath: agencyId === 'ombudsman-kaltim' ? ['ombudsman-kaltim'] : ['ombudsman-kaltim', agencyId],
  ombudsmanOffice: true,
});

describe('grants on an Ombudsman office', () => {
  it('give nothing for any role but ombudsman', () => {
    for (const role of ['coordinator', 'agency_admin', 'officer', 'national_admin', 'assessor'] as const) {
      for (const grant of [onOffice(role), onOffice(role, 'ombudsman-kaltim-unit')]) {
        const actor = { userId: 'u', grants: [grant] };
        expect(can(actor, 'viewReporter', subject()), role).toBe(false);
        expect(can(actor, 'view', subject({ status: 'submitted' })), role).toBe(false);
        expect(
          canStaff(actor, 'manage_users', { agencyId: 'ombudsman-kaltim', regionCode: '64' }),
          role,
        ).toBe(false);
        expect(canStaff(actor, 'view_all_reports', { regionCode: '64.72' }), role).toBe(false);
      }
    }
    // The same coordinator grant on the Diskominfo does see the reporter (the rule is about the office only).
    const diskominfo: RoleGrant = { role: 'coordinator', agencyId: 'diskominfo-kaltim', regionCode: '64' };
    expect(can({ userId: 'u', grants: [diskominfo] }, 'viewReporter', subject())).toBe(true);
  });

  it('keep the Ombudsman hand-off: the identity only when the reporter shared it', () => {
    const actor = { userId: 'u', grants: [onOffice('ombudsman')] };
    expect(can(actor, 'viewReporter', subject())).toBe(false);
    expect(can(actor, 'view', subject({ status: 'transferred' }))).toBe(true);
    expect(can(actor, 'viewReporter', subject({ status: 'transferred' }))).toBe(false);
    expect(
      can(actor, 'viewReporter', subject({ status: 'transferred', identitySharedWithOmbudsman: true })),
    ).toBe(true);
  });
});
