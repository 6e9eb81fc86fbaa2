/**
 * The Open311 service definition every service (category) shares: the attributes a partner may send, and
 * their validation. Pure, so the HTTP layer and the command agree on exactly one definition.
 * Why these attributes: they carry what LAPOR! needs beyond the base standard (classification, anonim,
 * rahasia, the date of the event, a title) without inventing new POST fields.
 */
import { isCalendarDate } from '../shared/dates.ts';
import { CLASSIFICATIONS, type Classification } from '../report/report.ts';
import { MAX_TITLE, MIN_TITLE } from './description.ts';

/** Open311 attribute datatypes (§5). */
export type Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

/** One attribute of the service definition. */
export interface AttributeDef {
  code: string;
  datatype: Datatype;
  required: boolean;
  variable: boolean;
  order: number;
  description: string;
  datatypeDescription: string;
  values?: Array<{ key: string; name: string }>;
}

const YES_NO = [
  { key: 'true', name: 'Ya' },
  { key: 'false', name: 'Tidak' },
];

/** The attributes, in display order. */
export const ATTRIBUTES: readonly AttributeDef[] = [
  {
    code: 'classification',
    datatype: 'singlevaluelist',
    required: true,
    variable: true,
    order: 1,
    description: 'Jenis laporan (classification)',
    datatypeDescription:
      'pengaduan = complaint, aspirasi = suggestion, permintaan_informasi = information request',
    values: [
      { key: 'pengaduan', name: 'Pengaduan' },
      { key: 'aspirasi', name: 'Aspirasi' },
      { key: 'permintaan_informasi', name: 'Permintaan informasi' },
    ],
  },
  {
    code: 'anonim',
    datatype: 'singlevaluelist',
    required: false,
    variable: true,
    order: 2,
    description: 'Sembunyikan identitas pelapor dari instansi (anonymous)',
    datatypeDescription:
      'true hides the reporter from agencies; without a name the report is always anonymous',
    values: YES_NO,
  },
  {
    code: 'rahasia',
    datatype: 'singlevaluelist',
    required: false,
    variable: true,
    order: 3,
    description: 'Laporan rahasia, tidak tampil untuk publik (confidential)',
    datatypeDescription: 'true keeps the report out of every public list, including Open311',
    values: YES_NO,
  },
  {
    code: 'dampak',
    datatype: 'multivaluelist',
    required: false,
    variable: true,
    order: 4,
    description: 'Dampak yang dirasakan (impact)',
    datatypeDescription: 'One or more keys',
    values: [
      { key: 'keselamatan', name: 'Keselamatan' },
      { key: 'kesehatan', name: 'Kesehatan' },
      { key: 'ekonomi', name: 'Ekonomi' },
      { key: 'lingkungan', name: 'Lingkungan' },
      { key: 'layanan', name: 'Layanan publik terganggu' },
    ],
  },
  {
    code: 'waktu_kejadian',
    datatype: 'datetime',
    required: false,
    variable: true,
    order: 5,
    description: 'Waktu kejadian (when it happened)',
    datatypeDescription: 'ISO 8601 date or datetime, not in the future',
    values: undefined,
  },
  {
    code: 'judul',
    datatype: 'string',
    required: false,
    variable: true,
    order: 6,
    description: 'Judul laporan (title)',
    datatypeDescription: '5 to 150 characters; defaults to the start of the description',
    values: undefined,
  },
];

/** The validated attribute values. */
export interface AttributeValues {
  classification: Classification;
  anonymous: boolean | undefined;
  confidential: boolean | undefined;
  impact: string[];
  occurredOn: string | undefined;
  title: string | undefined;
  /** Everything sent, normalised, for extended_attributes. */
  raw: Record<string, string | string[]>;
}

/** An attribute problem: the attribute code and a locale key under errors.field. */
export interface AttributeIssue {
  code: string;
  key: string;
  params?: Record<string, string | number>;
}

/** The non-empty values sent for one attribute, trimmed (a repeated key gives several). */
const valuesOf = (v: string | string[]) =>
  (Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter((x) => x !== '');

/** Most characters of the `judul` (title) attribute, counted as code points like the JSON API. */
export { MAX_TITLE };

/**
 * Validates `attribute[...]` values against ATTRIBUTES; unknown codes are ignored (clients send extras).
 * A single-value attribute (singlevaluelist, datetime, string) sent with several different values
 * (`attribute[rahasia]=false&attribute[rahasia]=true`: a hidden field plus a checkbox) is refused
 * (`conflicting_values`) rather than read as one of them, so a privacy flag (`rahasia`, `anonim`) is never lowered
 * by the order of the values. The same value repeated is that value; every value of a list must be a key.
 */
export function validateAttributes(input: Record<string, string | string[]>): {
  values: AttributeValues | null;
  issues: AttributeIssue[];
} {
  const issues: AttributeIssue[] = [];
  const raw: Record<string, string | string[]> = {};
  for (const def of ATTRIBUTES) {
    const v = input[def.code];
    const empty = v === undefined || valuesOf(v).length === 0;
    if (empty) {
      if (def.required) issues.push({ code: def.code, key: 'required' });
      continue;
    }
    const keys = def.values?.map((x) => x.key) ?? [];
    if (def.datatype === 'multivaluelist') {
      const many = (Array.isArray(v) ? v : v.split(',')).map((x) => x.trim()).filter(Boolean);
      const bad = many.filter((x) => !keys.includes(x));
      if (bad.length) issues.push({ code: def.code, key: 'one_of', params: { options: keys.join(', ') } });
      else raw[def.code] = [...new Set(many)];
      continue;
    }
    const distinct = [...new Set(valuesOf(v))];
    if (def.datatype === 'singlevaluelist' && distinct.some((x) => !keys.includes(x))) {
      issues.push({ code: def.code, key: 'one_of', params: { options: keys.join(', ') } });
      continue;
    }
    if (distinct.length > 1) {
      issues.push({ code: def.code, key: 'conflicting_values' });
      continue;
    }
    const s = distinct[0]!;
    if (def.datatype === 'singlevaluelist') {
      raw[def.code] = s;
    } else if (def.datatype === 'datetime') {
      const m =
        /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
      // A W3C date or date-time: a real date from 1900 to 2100 and, when given, a real time of day.
      const time = m && m[2] !== undefined ? [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)] : [0, 0, 0];
      if (!m || !isCalendarDate(m[1]!) || time[0]! > 23 || time[1]! > 59 || time[2]! > 59) {
        issues.push({ code: def.code, key: 'invalid_datetime' });
      } else raw[def.code] = s;
    } else {
      // The report title's limits (docs/api-v1.md: 5–150 characters).
      if ([...s].length > MAX_TITLE)
        issues.push({ code: def.code, key: 'too_long', params: { max: MAX_TITLE } });
      else if ([...s].length < MIN_TITLE)
        issues.push({ code: def.code, key: 'too_short', params: { min: MIN_TITLE } });
      else raw[def.code] = s;
    }
  }
  if (issues.length) return { values: null, issues };
  const bool = (k: string) => (raw[k] === undefined ? undefined : raw[k] === 'true');
  return {
    values: {
      classification: (raw.classification as Classification) ?? CLASSIFICATIONS[0],
      anonymous: bool('anonim'),
      confidential: bool('rahasia'),
      impact: (raw.dampak as string[] | undefined) ?? [],
      occurredOn: typeof raw.waktu_kejadian === 'string' ? raw.waktu_kejadian.slice(0, 10) : undefined,
      title: raw.judul as string | undefined,
      raw,
    },
    issues,
  };
}
