/** Core vocabulary of a report (laporan). The contract lives in docs/api-v1.md. */

export const STATUSES = [
  'submitted',
  'on_hold',
  'archived',
  'dispatched',
  'returned',
  'in_progress',
  'responded',
  'completed',
  'transferred',
] as const;
export type ReportStatus = (typeof STATUSES)[number];

/** Statuses in which a report is still open (not finished in any way). */
export const OPEN_STATUSES: readonly ReportStatus[] = [
  'submitted',
  'on_hold',
  'dispatched',
  'returned',
  'in_progress',
  'responded',
];

/** Statuses the public may see (verified and beyond); confidential reports are never public. */
export const PUBLIC_STATUSES: readonly ReportStatus[] = [
  'dispatched',
  'returned',
  'in_progress',
  'responded',
  'completed',
  'transferred',
];

export const ACTIONS = [
  'verify',
  'hold',
  'supplement',
  'archive',
  'dispose',
  'return',
  'respond',
  'accept',
  'dispute',
  'escalate',
  'note',
  'comment',
  'support',
] as const;
export type ReportAction = (typeof ACTIONS)[number];

export const CLASSIFICATIONS = ['pengaduan', 'aspirasi', 'permintaan_informasi'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const ARCHIVE_REASONS = [
  'duplicate',
  'too_general',
  'not_government',
  'unintelligible',
  'out_of_scope',
  'spam',
  'no_reply',
] as const;
export type ArchiveReason = (typeof ARCHIVE_REASONS)[number];

export const CHANNELS = ['web', 'api', 'open311', 'sms', 'email', 'walk_in', 'phone', 'letter'] as const;
/** The channels staff record on a citizen's behalf at /kantor/lapor-langsung (in person, telepon, surat). */
export const STAFF_INTAKE_CHANNELS = ['walk_in', 'phone', 'letter'] as const;
export type StaffIntakeChannel = (typeof STAFF_INTAKE_CHANNELS)[number];
/**
 * The privacy questions an officer asks the citizen at staff intake, each with its answers (no default: the citizen
 * chooses). `identity: anonymous` makes the report anonim, `visibility: confidential` makes it rahasia.
 */
export const STAFF_INTAKE_PRIVACY = {
  identity: ['named', 'anonymous'],
  visibility: ['public', 'confidential'],
} as const;
export type Channel = (typeof CHANNELS)[number];

export const ROLES = [
  'national_admin',
  'coordinator',
  'agency_admin',
  'officer',
  'ombudsman',
  'assessor',
  'citizen',
  /** An agency system's API token (docs/integrations.md): never a person's grant. */
  'integration',
] as const;
export type Role = (typeof ROLES)[number];

export const AGENCY_KINDS = [
  'kementerian',
  'lembaga',
  'pemerintah_provinsi',
  'pemerintah_kabupaten_kota',
  'perangkat_daerah',
  'unit',
  'ombudsman',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/**
 * Whether an agency of this kind handles reports (can be addressed, dispatched to, suggested). The Ombudsman is the
 * external overseer: a report reaches it only by escalation with the reporter's consent (status `transferred`).
 */
export function handlesReports(kind: AgencyKind | string): boolean {
  return kind !== 'ombudsman';
}

/** Indonesian time zones, named by the handling unit's zone. */
export const TIME_ZONES = { WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' } as const;
export type ZoneName = keyof typeof TIME_ZONES;

/**
 * The instance's home zone when ADUAN_TIME_ZONE is unset: WITA (Kalimantan Timur, whose coordination meeting aduan
 * was first set up for). It decides "today" for the public statistics (default year, month and range) and the date of
 * the daily open-data snapshot; a report's own dates of receipt stay in the zone of its region (docs/statistics.md).
 */
export const DEFAULT_HOME_ZONE: ZoneName = 'WITA';
