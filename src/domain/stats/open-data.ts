/**
 * The open-data row: one per PUBLIC report (verified, not confidential), with no personal data and
 * no reporter identity, and its data dictionary. The same columns feed the CSV/JSON exports, the
 * daily snapshot and `aduan evaluate` (which recomputes the evaluation from the snapshot alone).
 * Why: one definition keeps the exports, the dictionary and the evaluation in step.
 */

import type { StatsFact } from './aggregate.ts';

/** The stored facts of one report (`stats_report_facts.fact`): the StatsFact plus the open-data columns. */
export interface ReportFact extends StatsFact {
  trackingId: string;
  status: string;
  agencyId: string | null;
  createdAt: string;
  verifiedAt: string | null;
  firstResponseAt: string | null;
  respondedAt: string | null;
  closedAt: string | null;
  workingDaysToVerify: number | null;
}

/** One column of the open data: name, type and meaning (Indonesian and English). */
export interface OpenDataColumn {
  name: keyof OpenDataRow;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'string[]';
  id: string;
  en: string;
}

/** One public report in the open data. */
export interface OpenDataRow {
  trackingId: string;
  classification: string;
  categoryId: number | null;
  category: string | null;
  regionCode: string | null;
  region: string | null;
  agencyId: string | null;
  agency: string | null;
  /** Agency ids from the root to the handling agency ('/'-joined in CSV). */
  agencyPath: string[];
  channel: string;
  status: string;
  createdDate: string;
  createdAt: string;
  verifiedAt: string | null;
  firstResponseAt: string | null;
  respondedAt: string | null;
  closedAt: string | null;
  workingDaysToVerify: number | null;
  verifiedOnTime: boolean | null;
  workingDaysToFollowUp: number | null;
  hoursToFollowUp: number | null;
  followedUpOnTime: boolean | null;
  workingDaysToCompletion: number | null;
  verified: boolean;
  dispatched: boolean;
  completed: boolean;
  returnCount: number;
  misroutedWorkingDays: number;
  reopenCount: number;
  disputed: boolean;
  rating: number | null;
}

/** The data dictionary, in column order (served at /api/v1/open-data/dictionary, docs/open-data.md). */
export const OPEN_DATA_COLUMNS: readonly OpenDataColumn[] = [
  { name: 'trackingId', type: 'string', id: 'Nomor pelacakan laporan', en: 'Report tracking number' },
  {
    name: 'classification',
    type: 'string',
    id: 'Klasifikasi: pengaduan, aspirasi, permintaan_informasi',
    en: 'Classification',
  },
  { name: 'categoryId', type: 'integer', id: 'Id kategori', en: 'Category id' },
  { name: 'category', type: 'string', id: 'Nama kategori', en: 'Category name' },
  {
    name: 'regionCode',
    type: 'string',
    id: 'Kode wilayah Kemendagri lokasi laporan',
    en: 'Kemendagri region code of the location',
  },
  { name: 'region', type: 'string', id: 'Nama wilayah', en: 'Region name' },
  { name: 'agencyId', type: 'string', id: 'Id instansi yang menangani', en: 'Handling agency id' },
  { name: 'agency', type: 'string', id: 'Nama instansi yang menangani', en: 'Handling agency name' },
  {
    name: 'agencyPath',
    type: 'string[]',
    id: 'Id instansi dari akar pohon sampai instansi penangan (dipisah "/")',
    en: 'Agency ids from the root to the handling agency ("/"-separated)',
  },
  {
    name: 'channel',
    type: 'string',
    id: 'Kanal masuk: web, api, open311, sms, email, walk_in (datang langsung), phone (telepon), letter (surat)',
    en: 'Intake channel: web, api, open311, sms, email, walk_in (in person), phone, letter',
  },
  {
    name: 'status',
    type: 'string',
    id: 'Status saat ini (docs/api-v1.md)',
    en: 'Current status (docs/api-v1.md)',
  },
  {
    name: 'createdDate',
    type: 'date',
    id: 'Tanggal diterima (waktu setempat)',
    en: 'Date received (local time)',
  },
  { name: 'createdAt', type: 'datetime', id: 'Waktu diterima', en: 'Time received' },
  { name: 'verifiedAt', type: 'datetime', id: 'Waktu diverifikasi', en: 'Time verified' },
  {
    name: 'firstResponseAt',
    type: 'datetime',
    id: 'Waktu tindak lanjut pertama',
    en: 'Time of first follow-up',
  },
  { name: 'respondedAt', type: 'datetime', id: 'Waktu tanggapan akhir', en: 'Time of final response' },
  { name: 'closedAt', type: 'datetime', id: 'Waktu ditutup', en: 'Time closed' },
  {
    name: 'workingDaysToVerify',
    type: 'integer',
    id: 'Hari kerja dari diterima sampai diverifikasi',
    en: 'Working days from receipt to verification',
  },
  {
    name: 'verifiedOnTime',
    type: 'boolean',
    id: 'Diverifikasi dalam batas waktu (kosong: belum jatuh tempo)',
    en: 'Verified within the limit (empty: not yet due)',
  },
  {
    name: 'workingDaysToFollowUp',
    type: 'integer',
    id: 'Hari kerja dari verifikasi sampai tindak lanjut pertama',
    en: 'Working days from verification to first follow-up',
  },
  {
    name: 'hoursToFollowUp',
    type: 'integer',
    id: 'Jam dari verifikasi sampai tindak lanjut pertama',
    en: 'Hours from verification to first follow-up',
  },
  {
    name: 'followedUpOnTime',
    type: 'boolean',
    id: 'Tindak lanjut pertama dalam batas waktu (kosong: belum jatuh tempo)',
    en: 'First follow-up within the limit (empty: not yet due)',
  },
  {
    name: 'workingDaysToCompletion',
    type: 'integer',
    id: 'Hari kerja dari verifikasi sampai tanggapan akhir (laporan selesai)',
    en: 'Working days from verification to final response (completed reports)',
  },
  { name: 'verified', type: 'boolean', id: 'Sudah diverifikasi', en: 'Verified' },
  {
    name: 'dispatched',
    type: 'boolean',
    id: 'Sudah didisposisikan ke instansi',
    en: 'Dispatched to an agency',
  },
  { name: 'completed', type: 'boolean', id: 'Selesai', en: 'Completed' },
  {
    name: 'returnCount',
    type: 'integer',
    id: 'Berapa kali dikembalikan (salah sasaran)',
    en: 'Times returned (misrouted)',
  },
  {
    name: 'misroutedWorkingDays',
    type: 'integer',
    id: 'Hari kerja hilang karena salah sasaran',
    en: 'Working days lost to misrouting',
  },
  {
    name: 'reopenCount',
    type: 'integer',
    id: 'Berapa kali dibuka kembali (sanggahan pelapor)',
    en: 'Times reopened (reporter disputes)',
  },
  { name: 'disputed', type: 'boolean', id: 'Pernah disanggah pelapor', en: 'Ever disputed by the reporter' },
  {
    name: 'rating',
    type: 'integer',
    id: 'Penilaian kepuasan pelapor 1–5',
    en: 'Reporter satisfaction rating 1–5',
  },
];
