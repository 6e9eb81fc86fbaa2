import { describe, expect, it } from 'vitest';
import { ROLES, STATUSES, type ReportStatus } from '../domain/report/report.ts';
import {
  POLICY_ACTIONS,
  STAFF_PERMISSIONS,
  can,
  canStaff,
  permissionsFor,
  regionCovers,
  relationOf,
  type Actor,
  type PolicyAction,
  type ReportSubject,
  type RoleGrant,
  type StaffPermission,
  type StaffScope,
} from './can.ts';

// Fixture tree (agency id → path from the national root, and its region):
//   root (national)
//   ├─ kaltim (Pemprov Kalimantan Timur, 64)
//   │  ├─ kaltim-pupr (Dinas PUPR) ─ kaltim-pupr-jalan (Unit Jalan)
//   │  ├─ kaltim-dinkes (Dinas Kesehatan, sibling of PUPR)
//   │  └─ kaltim-diskominfo (coordinator of the province)
//   ├─ balikpapan (Pemkot Balikpapan, 64.71) ─ balikpapan-diskominfo (coordinator of the city)
//   ├─ kalsel (Pemprov Kalimantan Selatan, 63) ─ kalsel-pupr
//   └─ ombudsman-kaltim (Ombudsman RI Perwakilan Kaltim, 64)
const PATHS = {
  root: ['root'],
  kaltim: ['root', 'kaltim'],
  'kaltim-pupr': ['root', 'kaltim', 'kaltim-pupr'],
  'kaltim-pupr-jalan': ['root', 'kaltim', 'kaltim-pupr', 'kaltim-pupr-jalan'],
  'kaltim-dinkes': ['root', 'kaltim', 'kaltim-dinkes'],
  'kaltim-diskominfo': ['root', 'kaltim', 'kaltim-diskominfo'],
  balikpapan: ['root', 'balikpapan'],
  'balikpapan-diskominfo': ['root', 'balikpapan', 'balikpapan-diskominfo'],
  kalsel: ['root', 'kalsel'],
  'kalsel-pupr': ['root', 'kalsel', 'kalsel-pupr'],
  'ombudsman-kaltim': ['root', 'ombudsman-kaltim'],
} as const satisfies Record<string, readonly string[]>;
type AgencyId = keyof typeof PATHS;

function grant(role: RoleGrant['role'], agencyId: AgencyId | null, regionCode: string | null): RoleGrant {
  return agencyId === null
    ? { role, agencyId, regionCode }
    : { role, agencyId, regionCode, agencyPath: PATHS[agencyId] };
}

const PUBLIC_VISITOR: Actor = { userId: null, grants: [] };
const ACTORS = {
  national_admin: { userId: 'u-nasional', grants: [grant('national_admin', 'root', null)] },
  coordinator: { userId: 'u-kominfo-kaltim', grants: [grant('coordinator', 'kaltim-diskominfo', '64')] },
  agency_admin: { userId: 'u-pupr', grants: [grant('agency_admin', 'kaltim-pupr', '64')] },
  officer: { userId: 'u-petugas-pupr', grants: [grant('officer', 'kaltim-pupr', '64')] },
  ombudsman: { userId: 'u-ombudsman', grants: [grant('ombudsman', 'ombudsman-kaltim', '64')] },
  assessor: { userId: 'u-penilai', grants: [grant('assessor', 'root', null)] },
  citizen: { userId: 'u-warga', grants: [grant('citizen', null, null)] },
  // An agency system's API token at Dinas PUPR: no user behind it (docs/integrations.md).
  integration: { userId: null, grants: [grant('integration', 'kaltim-pupr', '64')] },
  public: PUBLIC_VISITOR,
  // The reporter is a signed-in citizen; isReporter is set on the subject.
  reporter: { userId: 'u-pelapor', grants: [grant('citizen', null, null)] },
} as const satisfies Record<string, Actor>;
type MatrixRole = keyof typeof ACTORS;

/** Where the report is, as seen from the agency actors (all at Dinas PUPR Kaltim). */
const RELATIONS = {
  own: { agency: 'kaltim-pupr', regionCode: '64.71.02' },
  child: { agency: 'kaltim-pupr-jalan', regionCode: '64.71.02' },
  sibling: { agency: 'kaltim-dinkes', regionCode: '64.71.02' },
  other: { agency: 'kalsel-pupr', regionCode: '63.71.01' },
} as const satisfies Record<string, { agency: AgencyId; regionCode: string }>;
type MatrixRelation = keyof typeof RELATIONS;

/**
 * The report's phase: `submitted` sits in the queue of the agency the reporter chose (targetAgencyPath
 * = the relation's agency, not dispatched); `dispatched` and `transferred` are handled by the
 * relation's agency (agencyPath), with no target chosen.
 */
const PHASES = ['submitted', 'dispatched', 'transferred'] as const;
type Phase = (typeof PHASES)[number];

const FLAGS = {
  plain: { anonymous: false, confidential: false },
  anon: { anonymous: true, confidential: false },
  conf: { anonymous: false, confidential: true },
  'anon+conf': { anonymous: true, confidential: true },
} as const;
type Flags = keyof typeof FLAGS;

function matrixSubject(
  role: MatrixRole,
  phase: Phase,
  relation: MatrixRelation,
  flags: Flags,
): ReportSubject {
  const { agency, regionCode } = RELATIONS[relation];
  const path = PATHS[agency];
  return {
    status: phase,
    agencyPath: phase === 'submitted' ? [] : path,
    targetAgencyPath: phase === 'submitted' ? path : [],
    regionCode,
    ...FLAGS[flags],
    isReporter: role === 'reporter',
  };
}

/**
 * The expected permission matrix: EVERY role (plus the public visitor and the reporter) × phase ×
 * relation × privacy flags, with the full list of allowed actions ('-' = none). Every action not
 * listed on a row must be denied. A combination missing from this table fails the test.
 */
const MATRIX = `
# role         status      relation flags   allowed actions
national_admin submitted   own     plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   own     anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   own     conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   own     anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   child   plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   child   anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   child   conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   child   anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   sibling plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   sibling anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   sibling conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   sibling anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   other   plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   other   anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   other   conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin submitted   other   anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin dispatched  own     plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin dispatched  own     anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin dispatched  own     conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin dispatched  own     anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin dispatched  child   plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin dispatched  child   anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin dispatched  child   conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin dispatched  child   anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin dispatched  sibling plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin dispatched  sibling anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin dispatched  sibling conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin dispatched  sibling anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin dispatched  other   plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin dispatched  other   anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin dispatched  other   conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin dispatched  other   anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin transferred own     plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin transferred own     anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin transferred own     conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin transferred own     anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin transferred child   plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin transferred child   anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin transferred child   conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin transferred child   anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin transferred sibling plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin transferred sibling anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin transferred sibling conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin transferred sibling anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin transferred other   plain     view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin transferred other   anon      view viewReporter viewInternal verify hold archive dispose return respond note escalate comment support setPrivacy
national_admin transferred other   conf      view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
national_admin transferred other   anon+conf view viewReporter viewInternal verify hold archive dispose return respond note escalate setPrivacy
coordinator    submitted   own     plain     view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   own     anon      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   own     conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   own     anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   child   plain     view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   child   anon      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   child   conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   child   anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   sibling plain     view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   sibling anon      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   sibling conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   sibling anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    submitted   other   plain     -
coordinator    submitted   other   anon      -
coordinator    submitted   other   conf      -
coordinator    submitted   other   anon+conf -
coordinator    dispatched  own     plain     view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    dispatched  own     anon      view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    dispatched  own     conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    dispatched  own     anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    dispatched  child   plain     view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    dispatched  child   anon      view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    dispatched  child   conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    dispatched  child   anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    dispatched  sibling plain     view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    dispatched  sibling anon      view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    dispatched  sibling conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    dispatched  sibling anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    dispatched  other   plain     view comment support
coordinator    dispatched  other   anon      view comment support
coordinator    dispatched  other   conf      -
coordinator    dispatched  other   anon+conf -
coordinator    transferred own     plain     view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    transferred own     anon      view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    transferred own     conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    transferred own     anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    transferred child   plain     view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    transferred child   anon      view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    transferred child   conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    transferred child   anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    transferred sibling plain     view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    transferred sibling anon      view viewReporter viewInternal verify hold archive note escalate comment support setPrivacy
coordinator    transferred sibling conf      view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    transferred sibling anon+conf view viewReporter viewInternal verify hold archive note escalate setPrivacy
coordinator    transferred other   plain     view comment support
coordinator    transferred other   anon      view comment support
coordinator    transferred other   conf      -
coordinator    transferred other   anon+conf -
agency_admin   submitted   own     plain     view viewReporter viewInternal verify hold archive note setPrivacy
agency_admin   submitted   own     anon      view viewInternal verify hold archive note setPrivacy
agency_admin   submitted   own     conf      view viewReporter viewInternal verify hold archive note setPrivacy
agency_admin   submitted   own     anon+conf view viewInternal verify hold archive note setPrivacy
agency_admin   submitted   child   plain     view viewReporter viewInternal verify hold archive note setPrivacy
agency_admin   submitted   child   anon      view viewInternal verify hold archive note setPrivacy
agency_admin   submitted   child   conf      view viewReporter viewInternal verify hold archive note setPrivacy
agency_admin   submitted   child   anon+conf view viewInternal verify hold archive note setPrivacy
agency_admin   submitted   sibling plain     -
agency_admin   submitted   sibling anon      -
agency_admin   submitted   sibling conf      -
agency_admin   submitted   sibling anon+conf -
agency_admin   submitted   other   plain     -
agency_admin   submitted   other   anon      -
agency_admin   submitted   other   conf      -
agency_admin   submitted   other   anon+conf -
agency_admin   dispatched  own     plain     view viewReporter viewInternal dispose return respond note comment support
agency_admin   dispatched  own     anon      view viewInternal dispose return respond note comment support
agency_admin   dispatched  own     conf      view viewReporter viewInternal dispose return respond note
agency_admin   dispatched  own     anon+conf view viewInternal dispose return respond note
agency_admin   dispatched  child   plain     view viewReporter viewInternal dispose return respond note comment support
agency_admin   dispatched  child   anon      view viewInternal dispose return respond note comment support
agency_admin   dispatched  child   conf      view viewReporter viewInternal dispose return respond note
agency_admin   dispatched  child   anon+conf view viewInternal dispose return respond note
agency_admin   dispatched  sibling plain     view comment support
agency_admin   dispatched  sibling anon      view comment support
agency_admin   dispatched  sibling conf      -
agency_admin   dispatched  sibling anon+conf -
agency_admin   dispatched  other   plain     view comment support
agency_admin   dispatched  other   anon      view comment support
agency_admin   dispatched  other   conf      -
agency_admin   dispatched  other   anon+conf -
agency_admin   transferred own     plain     view viewReporter viewInternal dispose return respond note comment support
agency_admin   transferred own     anon      view viewInternal dispose return respond note comment support
agency_admin   transferred own     conf      view viewReporter viewInternal dispose return respond note
agency_admin   transferred own     anon+conf view viewInternal dispose return respond note
agency_admin   transferred child   plain     view viewReporter viewInternal dispose return respond note comment support
agency_admin   transferred child   anon      view viewInternal dispose return respond note comment support
agency_admin   transferred child   conf      view viewReporter viewInternal dispose return respond note
agency_admin   transferred child   anon+conf view viewInternal dispose return respond note
agency_admin   transferred sibling plain     view comment support
agency_admin   transferred sibling anon      view comment support
agency_admin   transferred sibling conf      -
agency_admin   transferred sibling anon+conf -
agency_admin   transferred other   plain     view comment support
agency_admin   transferred other   anon      view comment support
agency_admin   transferred other   conf      -
agency_admin   transferred other   anon+conf -
officer        submitted   own     plain     -
officer        submitted   own     anon      -
officer        submitted   own     conf      -
officer        submitted   own     anon+conf -
officer        submitted   child   plain     -
officer        submitted   child   anon      -
officer        submitted   child   conf      -
officer        submitted   child   anon+conf -
officer        submitted   sibling plain     -
officer        submitted   sibling anon      -
officer        submitted   sibling conf      -
officer        submitted   sibling anon+conf -
officer        submitted   other   plain     -
officer        submitted   other   anon      -
officer        submitted   other   conf      -
officer        submitted   other   anon+conf -
officer        dispatched  own     plain     view viewReporter viewInternal respond note comment support
officer        dispatched  own     anon      view viewInternal respond note comment support
officer        dispatched  own     conf      view viewReporter viewInternal respond note
officer        dispatched  own     anon+conf view viewInternal respond note
officer        dispatched  child   plain     view viewReporter viewInternal respond note comment support
officer        dispatched  child   anon      view viewInternal respond note comment support
officer        dispatched  child   conf      view viewReporter viewInternal respond note
officer        dispatched  child   anon+conf view viewInternal respond note
officer        dispatched  sibling plain     view comment support
officer        dispatched  sibling anon      view comment support
officer        dispatched  sibling conf      -
officer        dispatched  sibling anon+conf -
officer        dispatched  other   plain     view comment support
officer        dispatched  other   anon      view comment support
officer        dispatched  other   conf      -
officer        dispatched  other   anon+conf -
officer        transferred own     plain     view viewReporter viewInternal respond note comment support
officer        transferred own     anon      view viewInternal respond note comment support
officer        transferred own     conf      view viewReporter viewInternal respond note
officer        transferred own     anon+conf view viewInternal respond note
officer        transferred child   plain     view viewReporter viewInternal respond note comment support
officer        transferred child   anon      view viewInternal respond note comment support
officer        transferred child   conf      view viewReporter viewInternal respond note
officer        transferred child   anon+conf view viewInternal respond note
officer        transferred sibling plain     view comment support
officer        transferred sibling anon      view comment support
officer        transferred sibling conf      -
officer        transferred sibling anon+conf -
officer        transferred other   plain     view comment support
officer        transferred other   anon      view comment support
officer        transferred other   conf      -
officer        transferred other   anon+conf -
ombudsman      submitted   own     plain     -
ombudsman      submitted   own     anon      -
ombudsman      submitted   own     conf      -
ombudsman      submitted   own     anon+conf -
ombudsman      submitted   child   plain     -
ombudsman      submitted   child   anon      -
ombudsman      submitted   child   conf      -
ombudsman      submitted   child   anon+conf -
ombudsman      submitted   sibling plain     -
ombudsman      submitted   sibling anon      -
ombudsman      submitted   sibling conf      -
ombudsman      submitted   sibling anon+conf -
ombudsman      submitted   other   plain     -
ombudsman      submitted   other   anon      -
ombudsman      submitted   other   conf      -
ombudsman      submitted   other   anon+conf -
ombudsman      dispatched  own     plain     view comment support
ombudsman      dispatched  own     anon      view comment support
ombudsman      dispatched  own     conf      -
ombudsman      dispatched  own     anon+conf -
ombudsman      dispatched  child   plain     view comment support
ombudsman      dispatched  child   anon      view comment support
ombudsman      dispatched  child   conf      -
ombudsman      dispatched  child   anon+conf -
ombudsman      dispatched  sibling plain     view comment support
ombudsman      dispatched  sibling anon      view comment support
ombudsman      dispatched  sibling conf      -
ombudsman      dispatched  sibling anon+conf -
ombudsman      dispatched  other   plain     view comment support
ombudsman      dispatched  other   anon      view comment support
ombudsman      dispatched  other   conf      -
ombudsman      dispatched  other   anon+conf -
ombudsman      transferred own     plain     view comment support
ombudsman      transferred own     anon      view comment support
ombudsman      transferred own     conf      view
ombudsman      transferred own     anon+conf view
ombudsman      transferred child   plain     view comment support
ombudsman      transferred child   anon      view comment support
ombudsman      transferred child   conf      view
ombudsman      transferred child   anon+conf view
ombudsman      transferred sibling plain     view comment support
ombudsman      transferred sibling anon      view comment support
ombudsman      transferred sibling conf      view
ombudsman      transferred sibling anon+conf view
ombudsman      transferred other   plain     view comment support
ombudsman      transferred other   anon      view comment support
ombudsman      transferred other   conf      -
ombudsman      transferred other   anon+conf -
assessor       submitted   own     plain     -
assessor       submitted   own     anon      -
assessor       submitted   own     conf      -
assessor       submitted   own     anon+conf -
assessor       submitted   child   plain     -
assessor       submitted   child   anon      -
assessor       submitted   child   conf      -
assessor       submitted   child   anon+conf -
assessor       submitted   sibling plain     -
assessor       submitted   sibling anon      -
assessor       submitted   sibling conf      -
assessor       submitted   sibling anon+conf -
assessor       submitted   other   plain     -
assessor       submitted   other   anon      -
assessor       submitted   other   conf      -
assessor       submitted   other   anon+conf -
assessor       dispatched  own     plain     view comment support
assessor       dispatched  own     anon      view comment support
assessor       dispatched  own     conf      -
assessor       dispatched  own     anon+conf -
assessor       dispatched  child   plain     view comment support
assessor       dispatched  child   anon      view comment support
assessor       dispatched  child   conf      -
assessor       dispatched  child   anon+conf -
assessor       dispatched  sibling plain     view comment support
assessor       dispatched  sibling anon      view comment support
assessor       dispatched  sibling conf      -
assessor       dispatched  sibling anon+conf -
assessor       dispatched  other   plain     view comment support
assessor       dispatched  other   anon      view comment support
assessor       dispatched  other   conf      -
assessor       dispatched  other   anon+conf -
assessor       transferred own     plain     view comment support
assessor       transferred own     anon      view comment support
assessor       transferred own     conf      -
assessor       transferred own     anon+conf -
assessor       transferred child   plain     view comment support
assessor       transferred child   anon      view comment support
assessor       transferred child   conf      -
assessor       transferred child   anon+conf -
assessor       transferred sibling plain     view comment support
assessor       transferred sibling anon      view comment support
assessor       transferred sibling conf      -
assessor       transferred sibling anon+conf -
assessor       transferred other   plain     view comment support
assessor       transferred other   anon      view comment support
assessor       transferred other   conf      -
assessor       transferred other   anon+conf -
citizen        submitted   own     plain     -
citizen        submitted   own     anon      -
citizen        submitted   own     conf      -
citizen        submitted   own     anon+conf -
citizen        submitted   child   plain     -
citizen        submitted   child   anon      -
citizen        submitted   child   conf      -
citizen        submitted   child   anon+conf -
citizen        submitted   sibling plain     -
citizen        submitted   sibling anon      -
citizen        submitted   sibling conf      -
citizen        submitted   sibling anon+conf -
citizen        submitted   other   plain     -
citizen        submitted   other   anon      -
citizen        submitted   other   conf      -
citizen        submitted   other   anon+conf -
citizen        dispatched  own     plain     view comment support
citizen        dispatched  own     anon      view comment support
citizen        dispatched  own     conf      -
citizen        dispatched  own     anon+conf -
citizen        dispatched  child   plain     view comment support
citizen        dispatched  child   anon      view comment support
citizen        dispatched  child   conf      -
citizen        dispatched  child   anon+conf -
citizen        dispatched  sibling plain     view comment support
citizen        dispatched  sibling anon      view comment support
citizen        dispatched  sibling conf      -
citizen        dispatched  sibling anon+conf -
citizen        dispatched  other   plain     view comment support
citizen        dispatched  other   anon      view comment support
citizen        dispatched  other   conf      -
citizen        dispatched  other   anon+conf -
citizen        transferred own     plain     view comment support
citizen        transferred own     anon      view comment support
citizen        transferred own     conf      -
citizen        transferred own     anon+conf -
citizen        transferred child   plain     view comment support
citizen        transferred child   anon      view comment support
citizen        transferred child   conf      -
citizen        transferred child   anon+conf -
citizen        transferred sibling plain     view comment support
citizen        transferred sibling anon      view comment support
citizen        transferred sibling conf      -
citizen        transferred sibling anon+conf -
citizen        transferred other   plain     view comment support
citizen        transferred other   anon      view comment support
citizen        transferred other   conf      -
citizen        transferred other   anon+conf -
integration    submitted   own     plain     -
integration    submitted   own     anon      -
integration    submitted   own     conf      -
integration    submitted   own     anon+conf -
integration    submitted   child   plain     -
integration    submitted   child   anon      -
integration    submitted   child   conf      -
integration    submitted   child   anon+conf -
integration    submitted   sibling plain     -
integration    submitted   sibling anon      -
integration    submitted   sibling conf      -
integration    submitted   sibling anon+conf -
integration    submitted   other   plain     -
integration    submitted   other   anon      -
integration    submitted   other   conf      -
integration    submitted   other   anon+conf -
integration    dispatched  own     plain     view viewInternal respond return note support
integration    dispatched  own     anon      view viewInternal respond return note support
integration    dispatched  own     conf      view viewInternal respond return note
integration    dispatched  own     anon+conf view viewInternal respond return note
integration    dispatched  child   plain     view viewInternal respond return note support
integration    dispatched  child   anon      view viewInternal respond return note support
integration    dispatched  child   conf      view viewInternal respond return note
integration    dispatched  child   anon+conf view viewInternal respond return note
integration    dispatched  sibling plain     view support
integration    dispatched  sibling anon      view support
integration    dispatched  sibling conf      -
integration    dispatched  sibling anon+conf -
integration    dispatched  other   plain     view support
integration    dispatched  other   anon      view support
integration    dispatched  other   conf      -
integration    dispatched  other   anon+conf -
integration    transferred own     plain     view viewInternal respond return note support
integration    transferred own     anon      view viewInternal respond return note support
integration    transferred own     conf      view viewInternal respond return note
integration    transferred own     anon+conf view viewInternal respond return note
integration    transferred child   plain     view viewInternal respond return note support
integration    transferred child   anon      view viewInternal respond return note support
integration    transferred child   conf      view viewInternal respond return note
integration    transferred child   anon+conf view viewInternal respond return note
integration    transferred sibling plain     view support
integration    transferred sibling anon      view support
integration    transferred sibling conf      -
integration    transferred sibling anon+conf -
integration    transferred other   plain     view support
integration    transferred other   anon      view support
integration    transferred other   conf      -
integration    transferred other   anon+conf -
public         submitted   own     plain     -
public         submitted   own     anon      -
public         submitted   own     conf      -
public         submitted   own     anon+conf -
public         submitted   child   plain     -
public         submitted   child   anon      -
public         submitted   child   conf      -
public         submitted   child   anon+conf -
public         submitted   sibling plain     -
public         submitted   sibling anon      -
public         submitted   sibling conf      -
public         submitted   sibling anon+conf -
public         submitted   other   plain     -
public         submitted   other   anon      -
public         submitted   other   conf      -
public         submitted   other   anon+conf -
public         dispatched  own     plain     view support
public         dispatched  own     anon      view support
public         dispatched  own     conf      -
public         dispatched  own     anon+conf -
public         dispatched  child   plain     view support
public         dispatched  child   anon      view support
public         dispatched  child   conf      -
public         dispatched  child   anon+conf -
public         dispatched  sibling plain     view support
public         dispatched  sibling anon      view support
public         dispatched  sibling conf      -
public         dispatched  sibling anon+conf -
public         dispatched  other   plain     view support
public         dispatched  other   anon      view support
public         dispatched  other   conf      -
public         dispatched  other   anon+conf -
public         transferred own     plain     view support
public         transferred own     anon      view support
public         transferred own     conf      -
public         transferred own     anon+conf -
public         transferred child   plain     view support
public         transferred child   anon      view support
public         transferred child   conf      -
public         transferred child   anon+conf -
public         transferred sibling plain     view support
public         transferred sibling anon      view support
public         transferred sibling conf      -
public         transferred sibling anon+conf -
public         transferred other   plain     view support
public         transferred other   anon      view support
public         transferred other   conf      -
public         transferred other   anon+conf -
reporter       submitted   own     plain     view viewReporter accept dispute supplement escalate comment
reporter       submitted   own     anon      view viewReporter accept dispute supplement escalate comment
reporter       submitted   own     conf      view viewReporter accept dispute supplement escalate comment
reporter       submitted   own     anon+conf view viewReporter accept dispute supplement escalate comment
reporter       submitted   child   plain     view viewReporter accept dispute supplement escalate comment
reporter       submitted   child   anon      view viewReporter accept dispute supplement escalate comment
reporter       submitted   child   conf      view viewReporter accept dispute supplement escalate comment
reporter       submitted   child   anon+conf view viewReporter accept dispute supplement escalate comment
reporter       submitted   sibling plain     view viewReporter accept dispute supplement escalate comment
reporter       submitted   sibling anon      view viewReporter accept dispute supplement escalate comment
reporter       submitted   sibling conf      view viewReporter accept dispute supplement escalate comment
reporter       submitted   sibling anon+conf view viewReporter accept dispute supplement escalate comment
reporter       submitted   other   plain     view viewReporter accept dispute supplement escalate comment
reporter       submitted   other   anon      view viewReporter accept dispute supplement escalate comment
reporter       submitted   other   conf      view viewReporter accept dispute supplement escalate comment
reporter       submitted   other   anon+conf view viewReporter accept dispute supplement escalate comment
reporter       dispatched  own     plain     view viewReporter accept dispute supplement escalate comment support
reporter       dispatched  own     anon      view viewReporter accept dispute supplement escalate comment support
reporter       dispatched  own     conf      view viewReporter accept dispute supplement escalate comment
reporter       dispatched  own     anon+conf view viewReporter accept dispute supplement escalate comment
reporter       dispatched  child   plain     view viewReporter accept dispute supplement escalate comment support
reporter       dispatched  child   anon      view viewReporter accept dispute supplement escalate comment support
reporter       dispatched  child   conf      view viewReporter accept dispute supplement escalate comment
reporter       dispatched  child   anon+conf view viewReporter accept dispute supplement escalate comment
reporter       dispatched  sibling plain     view viewReporter accept dispute supplement escalate comment support
reporter       dispatched  sibling anon      view viewReporter accept dispute supplement escalate comment support
reporter       dispatched  sibling conf      view viewReporter accept dispute supplement escalate comment
reporter       dispatched  sibling anon+conf view viewReporter accept dispute supplement escalate comment
reporter       dispatched  other   plain     view viewReporter accept dispute supplement escalate comment support
reporter       dispatched  other   anon      view viewReporter accept dispute supplement escalate comment support
reporter       dispatched  other   conf      view viewReporter accept dispute supplement escalate comment
reporter       dispatched  other   anon+conf view viewReporter accept dispute supplement escalate comment
reporter       transferred own     plain     view viewReporter accept dispute supplement escalate comment support
reporter       transferred own     anon      view viewReporter accept dispute supplement escalate comment support
reporter       transferred own     conf      view viewReporter accept dispute supplement escalate comment
reporter       transferred own     anon+conf view viewReporter accept dispute supplement escalate comment
reporter       transferred child   plain     view viewReporter accept dispute supplement escalate comment support
reporter       transferred child   anon      view viewReporter accept dispute supplement escalate comment support
reporter       transferred child   conf      view viewReporter accept dispute supplement escalate comment
reporter       transferred child   anon+conf view viewReporter accept dispute supplement escalate comment
reporter       transferred sibling plain     view viewReporter accept dispute supplement escalate comment support
reporter       transferred sibling anon      view viewReporter accept dispute supplement escalate comment support
reporter       transferred sibling conf      view viewReporter accept dispute supplement escalate comment
reporter       transferred sibling anon+conf view viewReporter accept dispute supplement escalate comment
reporter       transferred other   plain     view viewReporter accept dispute supplement escalate comment support
reporter       transferred other   anon      view viewReporter accept dispute supplement escalate comment support
reporter       transferred other   conf      view viewReporter accept dispute supplement escalate comment
reporter       transferred other   anon+conf view viewReporter accept dispute supplement escalate comment
`;

interface Row {
  role: MatrixRole;
  phase: Phase;
  relation: MatrixRelation;
  flags: Flags;
  allowed: Set<PolicyAction>;
}

function parseMatrix(text: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [role, phase, relation, flags, ...actions] = line.split(/\s+/);
    const key = `${role} ${phase} ${relation} ${flags}`;
    if (rows.has(key)) throw new Error(`duplicate matrix row: ${key}`);
    const allowed = new Set<PolicyAction>();
    for (const a of actions) {
      if (a === '-') continue;
      if (!(POLICY_ACTIONS as readonly string[]).includes(a))
        throw new Error(`unknown action ${a} in: ${line}`);
      allowed.add(a as PolicyAction);
    }
    rows.set(key, {
      role: role as MatrixRole,
      phase: phase as Phase,
      relation: relation as MatrixRelation,
      flags: flags as Flags,
      allowed,
    });
  }
  return rows;
}

const ROWS = parseMatrix(MATRIX);
const MATRIX_ROLES = Object.keys(ACTORS) as MatrixRole[];
const COMBINATIONS = MATRIX_ROLES.flatMap((role) =>
  PHASES.flatMap((phase) =>
    (Object.keys(RELATIONS) as MatrixRelation[]).flatMap((relation) =>
      (Object.keys(FLAGS) as Flags[]).map((flags) => ({ role, phase, relation, flags })),
    ),
  ),
);

describe('can(): the role × action × relation matrix', () => {
  it('covers every role in ROLES plus the public visitor and the reporter', () => {
    expect(MATRIX_ROLES).toEqual([...ROLES, 'public', 'reporter']);
  });

  it('lists every combination exactly once, and nothing else', () => {
    const keys = COMBINATIONS.map((c) => `${c.role} ${c.phase} ${c.relation} ${c.flags}`);
    expect([...ROWS.keys()].sort()).toEqual([...keys].sort());
    expect(ROWS.size * POLICY_ACTIONS.length).toBe(8160);
  });

  it.each(COMBINATIONS)('$role on a $phase report, $relation, $flags', ({ role, phase, relation, flags }) => {
    const row = ROWS.get(`${role} ${phase} ${relation} ${flags}`);
    expect(row, 'combination missing from MATRIX').toBeDefined();
    const subject = matrixSubject(role, phase, relation, flags);
    const actor = ACTORS[role];
    const expected = Object.fromEntries(POLICY_ACTIONS.map((a) => [a, row!.allowed.has(a)]));
    expect(permissionsFor(actor, subject)).toEqual(expected);
    for (const action of POLICY_ACTIONS) {
      expect(can(actor, action, subject), action).toBe(row!.allowed.has(action));
    }
  });
});

function subject(overrides: Partial<ReportSubject> = {}): ReportSubject {
  return {
    status: 'dispatched',
    agencyPath: PATHS['kaltim-pupr'],
    targetAgencyPath: [],
    regionCode: '64.71.02',
    anonymous: false,
    confidential: false,
    isReporter: false,
    ...overrides,
  };
}

const actor = (...grants: RoleGrant[]): Actor => ({ userId: 'u-x', grants });

describe('regionCovers', () => {
  it.each([
    ['64', '64', true],
    ['64', '64.71', true],
    ['64', '64.71.02', true],
    ['64', '64.71.02.1004', true],
    ['64.71', '64.71.02', true],
    ['64.71', '64.71', true],
    ['6', '64', false],
    ['64.7', '64.71', false],
    ['64.71', '64.72.01', false],
    ['64.71.02', '64.71', false],
    ['64', '63.71', false],
    ['64', '640', false],
    ['', '64', false],
    ['64', '', false],
    [null, '64', false],
    ['64', null, false],
  ] as const)('%s covers %s: %s', (scope, code, expected) => {
    expect(regionCovers(scope, code)).toBe(expected);
  });
});

describe('relationOf', () => {
  const pupr = grant('agency_admin', 'kaltim-pupr', '64');

  it('own agency, child unit, parent agency, sibling agency', () => {
    expect(relationOf(pupr, subject({ agencyPath: PATHS['kaltim-pupr'] }))).toBe('own_agency');
    expect(relationOf(pupr, subject({ agencyPath: PATHS['kaltim-pupr-jalan'] }))).toBe('child_unit');
    expect(relationOf(pupr, subject({ agencyPath: PATHS.kaltim }))).toBe('parent_agency');
    expect(relationOf(pupr, subject({ agencyPath: PATHS['kaltim-dinkes'] }))).toBe('sibling_agency');
  });

  it('falls back to the region when the tree says nothing', () => {
    expect(relationOf(pupr, subject({ agencyPath: PATHS.balikpapan }))).toBe('same_region');
    expect(relationOf(pupr, subject({ agencyPath: PATHS['kalsel-pupr'], regionCode: '63.71' }))).toBe(
      'other_region',
    );
    expect(relationOf(pupr, subject({ agencyPath: PATHS['kalsel-pupr'], regionCode: null }))).toBe('none');
  });

  it('cannot tell parent or sibling without the grant agency path', () => {
    const bare: RoleGrant = { role: 'agency_admin', agencyId: 'kaltim-pupr', regionCode: '64' };
    expect(relationOf(bare, subject({ agencyPath: PATHS.kaltim }))).toBe('same_region');
    expect(relationOf(bare, subject({ agencyPath: PATHS['kaltim-dinkes'] }))).toBe('same_region');
    expect(relationOf(bare, subject({ agencyPath: PATHS['kaltim-pupr-jalan'] }))).toBe('child_unit');
  });

  it('uses the target agency while the report is not dispatched', () => {
    const queued = subject({ status: 'submitted', agencyPath: [], targetAgencyPath: PATHS['kaltim-pupr'] });
    expect(relationOf(pupr, queued)).toBe('own_agency');
    expect(relationOf(pupr, subject({ status: 'submitted', agencyPath: [] }))).toBe('same_region');
  });

  it('coordinators relate by region', () => {
    const kominfo = grant('coordinator', 'balikpapan-diskominfo', '64.71');
    expect(relationOf(kominfo, subject())).toBe('same_region');
    expect(relationOf(kominfo, subject({ regionCode: '64.72.01' }))).toBe('other_region');
    expect(relationOf(grant('national_admin', null, null), subject())).toBe('none');
  });
});

describe('can(): scope details', () => {
  it('grants nothing for a parent agency: a unit officer cannot see its parent agency report', () => {
    const jalanOfficer = actor(grant('officer', 'kaltim-pupr-jalan', '64'));
    const s = subject({ agencyPath: PATHS['kaltim-pupr'], confidential: true });
    expect(relationOf(jalanOfficer.grants[0]!, s)).toBe('parent_agency');
    expect(POLICY_ACTIONS.filter((a) => can(jalanOfficer, a, s))).toEqual([]);
  });

  it('inherits down the tree: the provincial government admin handles reports of its dinas and units', () => {
    const pemprov = actor(grant('agency_admin', 'kaltim', '64'));
    expect(can(pemprov, 'dispose', subject({ agencyPath: PATHS['kaltim-pupr-jalan'] }))).toBe(true);
    expect(
      can(
        pemprov,
        'verify',
        subject({ status: 'on_hold', agencyPath: [], targetAgencyPath: PATHS['kaltim-dinkes'] }),
      ),
    ).toBe(true);
  });

  it('a city coordinator covers its city only; the province coordinator covers the city too', () => {
    const city = actor(grant('coordinator', 'balikpapan-diskominfo', '64.71'));
    const province = actor(grant('coordinator', 'kaltim-diskominfo', '64'));
    const inCity = subject({
      status: 'submitted',
      agencyPath: [],
      regionCode: '64.71.02',
      confidential: true,
    });
    const inSamarinda = { ...inCity, regionCode: '64.72.01' };
    expect(can(city, 'verify', inCity)).toBe(true);
    expect(can(province, 'verify', inCity)).toBe(true);
    expect(can(city, 'verify', inSamarinda)).toBe(false);
    expect(can(city, 'view', inSamarinda)).toBe(false);
    expect(can(province, 'verify', inSamarinda)).toBe(true);
  });

  it('a coordinator has no scope over a report without a location', () => {
    const province = actor(grant('coordinator', 'kaltim-diskominfo', '64'));
    expect(can(province, 'view', subject({ status: 'submitted', agencyPath: [], regionCode: null }))).toBe(
      false,
    );
    expect(can(province, 'view', subject({ status: 'submitted', agencyPath: [], regionCode: '' }))).toBe(
      false,
    );
  });

  it('coordinators never follow up: no respond, dispose or return even in region', () => {
    const province = actor(grant('coordinator', 'kaltim-diskominfo', '64'));
    for (const a of ['respond', 'dispose', 'return'] as const)
      expect(can(province, a, subject())).toBe(false);
  });

  it('target agency admin: verifier writes only while in the queue, reading in every status', () => {
    const pupr = actor(grant('agency_admin', 'kaltim-pupr', '64'));
    const base = { agencyPath: [] as string[], targetAgencyPath: PATHS['kaltim-pupr'], confidential: true };
    for (const status of STATUSES) {
      const s = subject({ ...base, status });
      const queued = status === 'submitted' || status === 'on_hold';
      for (const a of ['verify', 'hold', 'archive', 'setPrivacy'] as const)
        expect(can(pupr, a, s), `${status} ${a}`).toBe(queued);
      expect(can(pupr, 'view', s), status).toBe(true);
      expect(can(pupr, 'viewInternal', s), status).toBe(true);
      expect(can(pupr, 'viewReporter', s), status).toBe(true);
      expect(can(pupr, 'viewReporter', { ...s, anonymous: true }), status).toBe(false);
    }
  });

  it('officers never verify, dispose or return', () => {
    const officer = actor(grant('officer', 'kaltim-pupr', '64'));
    for (const status of STATUSES) {
      const s = subject({ status, targetAgencyPath: PATHS['kaltim-pupr'] });
      for (const a of ['verify', 'hold', 'archive', 'dispose', 'return', 'setPrivacy'] as const) {
        expect(can(officer, a, s), `${status} ${a}`).toBe(false);
      }
    }
  });

  it('the Ombudsman sees transferred reports only; a regional office only from its region, the national office everywhere', () => {
    const kaltim = actor(grant('ombudsman', 'ombudsman-kaltim', '64'));
    const pusat = actor(grant('ombudsman', 'root', null));
    const elsewhere = subject({
      status: 'transferred',
      agencyPath: PATHS['kalsel-pupr'],
      regionCode: '63.71',
      // Rahasia, so `view` comes from the Ombudsman grant and not from the public.
      confidential: true,
    });
    expect(can(kaltim, 'view', elsewhere)).toBe(false);
    expect(can(pusat, 'view', elsewhere)).toBe(true);
    for (const status of STATUSES.filter((s) => s !== 'transferred')) {
      expect(can(pusat, 'view', subject({ status, confidential: true })), status).toBe(false);
    }
    // Read-only, as the hand-off package: no internal notes, no notes of its own.
    for (const a of ['viewInternal', 'note', 'respond', 'verify', 'dispose', 'escalate'] as const) {
      expect(can(pusat, a, { ...elsewhere })).toBe(false);
    }
  });

  it('rights add up over several grants', () => {
    const both = actor(grant('officer', 'kaltim-pupr', '64'), grant('national_admin', 'root', null));
    expect(can(both, 'viewReporter', subject({ anonymous: true }))).toBe(true);
    const two = actor(
      grant('agency_admin', 'kaltim-dinkes', '64'),
      grant('officer', 'kaltim-pupr-jalan', '64'),
    );
    expect(can(two, 'respond', subject({ agencyPath: PATHS['kaltim-pupr-jalan'] }))).toBe(true);
    expect(can(two, 'dispose', subject({ agencyPath: PATHS['kaltim-pupr-jalan'] }))).toBe(false);
  });

  it('a grant without an agency reaches nothing by path', () => {
    const orphan = actor({ role: 'agency_admin', agencyId: null, regionCode: null });
    expect(can(orphan, 'view', subject({ confidential: true }))).toBe(false);
  });
});

describe('can(): public and reporter', () => {
  it('the public reads verified, non-confidential reports only', () => {
    for (const status of STATUSES) {
      const isPublic = !['submitted', 'on_hold', 'archived'].includes(status);
      expect(can(PUBLIC_VISITOR, 'view', subject({ status })), status).toBe(isPublic);
      expect(can(PUBLIC_VISITOR, 'support', subject({ status })), status).toBe(isPublic);
      expect(can(PUBLIC_VISITOR, 'comment', subject({ status })), status).toBe(false);
      expect(can(ACTORS.citizen, 'comment', subject({ status })), status).toBe(isPublic);
      expect(can(PUBLIC_VISITOR, 'view', subject({ status, confidential: true })), status).toBe(false);
    }
  });

  it('a reporter with only an access key (not signed in) follows and replies to their own report', () => {
    const keyHolder: Actor = { userId: null, grants: [] };
    const s = subject({ status: 'responded', confidential: true, anonymous: true, isReporter: true });
    for (const a of [
      'view',
      'viewReporter',
      'accept',
      'dispute',
      'supplement',
      'comment',
      'escalate',
    ] as const) {
      expect(can(keyHolder, a, s), a).toBe(true);
    }
    for (const a of ['viewInternal', 'note', 'verify', 'respond', 'setPrivacy', 'support'] as const) {
      expect(can(keyHolder, a, s), a).toBe(false);
    }
  });
});

describe('can(): privacy invariants over every status and scope', () => {
  const nonIdentityRoles = ['agency_admin', 'officer', 'ombudsman', 'assessor', 'citizen'] as const;
  const agencies = Object.keys(PATHS) as AgencyId[];
  const statuses: readonly ReportStatus[] = STATUSES;

  it('anonim: only national admins, coordinators in region and the reporter see who reported', () => {
    for (const status of statuses) {
      for (const at of agencies) {
        for (const role of nonIdentityRoles) {
          const a = actor(grant(role, at, null), grant(role, at, '64'));
          const s = subject({ status, anonymous: true, agencyPath: PATHS[at], targetAgencyPath: PATHS[at] });
          expect(can(a, 'viewReporter', s), `${role}@${at} ${status}`).toBe(false);
        }
        expect(can(PUBLIC_VISITOR, 'viewReporter', subject({ status, anonymous: true }))).toBe(false);
      }
    }
  });

  it('rahasia: the public, citizens and assessors never view, comment or support', () => {
    const outsiders = [
      PUBLIC_VISITOR,
      ACTORS.citizen,
      ACTORS.assessor,
      actor(grant('assessor', 'kaltim', '64')),
    ];
    for (const status of statuses) {
      for (const a of outsiders) {
        for (const action of ['view', 'comment', 'support'] as const) {
          expect(can(a, action, subject({ status, confidential: true })), `${status} ${action}`).toBe(false);
        }
      }
    }
  });
});

type StaffCase = [string, Actor, StaffScope, StaffPermission[]];

describe('canStaff', () => {
  const national = ACTORS.national_admin;
  const provCoord = ACTORS.coordinator;
  const cityCoord = actor(grant('coordinator', 'balikpapan-diskominfo', '64.71'));
  const pupr = ACTORS.agency_admin;
  const nationalAssessor = ACTORS.assessor;
  const regionalAssessor = actor(grant('assessor', 'kaltim', '64'));
  const inPupr: StaffScope = {
    agencyId: 'kaltim-pupr-jalan',
    agencyPath: PATHS['kaltim-pupr-jalan'],
    regionCode: '64',
  };
  const inBalikpapan: StaffScope = {
    agencyId: 'balikpapan',
    agencyPath: PATHS.balikpapan,
    regionCode: '64.71',
  };
  const inKalsel: StaffScope = {
    agencyId: 'kalsel-pupr',
    agencyPath: PATHS['kalsel-pupr'],
    regionCode: '63',
  };
  const ALL = [...STAFF_PERMISSIONS];
  const REGIONAL = [
    'manage_agencies',
    'manage_users',
    'manage_calendar',
    'manage_sla',
    'view_evaluation',
    'manage_evaluation',
    'manage_api_keys',
    'view_all_reports',
  ] as StaffPermission[];
  const SUBTREE = [
    'manage_agencies',
    'manage_users',
    'view_evaluation',
    'manage_api_keys',
  ] as StaffPermission[];
  const EVAL = ['score_evaluation', 'view_evaluation'] as StaffPermission[];

  // [who, actor, scope, the permissions held — every other one must be refused]
  const cases: StaffCase[] = [
    ['national admin, national scope', national, {}, ALL],
    ['national admin, Kalsel', national, inKalsel, ALL],
    ['province coordinator, national scope', provCoord, {}, []],
    ['province coordinator, PUPR unit', provCoord, inPupr, REGIONAL],
    ['province coordinator, Balikpapan', provCoord, inBalikpapan, REGIONAL],
    ['province coordinator, Kalsel', provCoord, inKalsel, []],
    ['city coordinator, Balikpapan', cityCoord, inBalikpapan, REGIONAL],
    ['city coordinator, province agency', cityCoord, inPupr, []],
    ['agency admin, national scope', pupr, {}, []],
    ['agency admin, own agency by id', pupr, { agencyId: 'kaltim-pupr' }, SUBTREE],
    ['agency admin, its unit', pupr, inPupr, SUBTREE],
    [
      'agency admin, sibling agency',
      pupr,
      { agencyId: 'kaltim-dinkes', agencyPath: PATHS['kaltim-dinkes'], regionCode: '64' },
      [],
    ],
    [
      'agency admin, parent agency',
      pupr,
      { agencyId: 'kaltim', agencyPath: PATHS.kaltim, regionCode: '64' },
      [],
    ],
    ['national assessor, national scope', nationalAssessor, {}, EVAL],
    ['national assessor, Kalsel', nationalAssessor, inKalsel, EVAL],
    ['regional assessor, Balikpapan', regionalAssessor, inBalikpapan, EVAL],
    ['regional assessor, Kalsel', regionalAssessor, inKalsel, []],
    ['officer, its agency', ACTORS.officer, inPupr, []],
    ['ombudsman, its region', ACTORS.ombudsman, inBalikpapan, []],
    ['citizen', ACTORS.citizen, inPupr, []],
    ['public visitor', PUBLIC_VISITOR, {}, []],
  ];

  it.each(cases)('%s', (_name, who, scope, held) => {
    for (const permission of STAFF_PERMISSIONS) {
      expect(canStaff(who, permission, scope), permission).toBe(held.includes(permission));
    }
  });

  it('defaults to national scope', () => {
    expect(canStaff(national, 'manage_calendar')).toBe(true);
    expect(canStaff(provCoord, 'manage_calendar')).toBe(false);
  });
});

describe("the Ombudsman sees the reporter only with the reporter's consent", () => {
  const ombudsman: Actor = { userId: 'u-o', grants: [grant('ombudsman', 'ombudsman-kaltim', '64')] };
  it('viewReporter on a transferred report when the reporter shared it, never on an anonim one', () => {
    const base = { status: 'transferred' as const, regionCode: '64.72' };
    expect(can(ombudsman, 'viewReporter', subject(base))).toBe(false);
    expect(can(ombudsman, 'viewReporter', subject({ ...base, identitySharedWithOmbudsman: true }))).toBe(
      true,
    );
    expect(
      can(
        ombudsman,
        'viewReporter',
        subject({ ...base, identitySharedWithOmbudsman: true, anonymous: true }),
      ),
    ).toBe(false);
  });
});
