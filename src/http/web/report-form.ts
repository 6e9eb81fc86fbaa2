/**
 * The report journey as data: the ordered steps, which fields each step owns, how each step is validated
 * (locale keys under `errors.field.*`), and how the finished draft becomes `submitReport` input.
 * Kept apart from the routes so the rules read in one place (after DWP CASA's declared plan).
 */
import { calendarDateProblem } from '../../domain/shared/dates.ts';
import type { FieldIssue } from '../../app/errors.ts';
import { INDONESIA_BBOX, type SubmitReportInput } from '../../commands/submit-report.ts';
import { INT4_MAX, ReporterSchema } from '../api/v1/schemas.ts';
import { CLASSIFICATIONS, type Classification } from '../../domain/report/report.ts';
import type { DraftData, DraftFile } from '../../queries/draft.ts';

/** Step slugs in journey order (URLs /lapor/<slug>). */
export const STEPS = ['jenis', 'kejadian', 'lokasi', 'kategori', 'lampiran', 'privasi', 'kontak'] as const;
export type Step = (typeof STEPS)[number];

/** The form fields each step owns (in page order, which is also the error summary order). */
export const STEP_FIELDS: Record<Step, string[]> = {
  jenis: ['classification'],
  kejadian: ['title', 'body', 'occurredOn'],
  lokasi: ['prov', 'kab', 'kec', 'desa', 'address', 'lat', 'lon'],
  kategori: ['categoryId', 'agencyId'],
  lampiran: [],
  privasi: ['anonymous', 'confidential'],
  kontak: ['name', 'email', 'phone', 'nik'],
};

/** Field → the step that asks it (for change links and submit-time errors). */
export function stepOf(field: string): Step {
  const f =
    field === 'regionCode'
      ? 'prov'
      : field === 'targetAgencyId'
        ? 'agencyId'
        : field.replace(/^reporter\./, '');
  return STEPS.find((s) => STEP_FIELDS[s].includes(f)) ?? 'kejadian';
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Picks a step's fields from a form body (checkboxes absent = unchecked). */
export function pickStep(step: Step, body: Record<string, unknown>): DraftData {
  const out: DraftData = {};
  for (const f of STEP_FIELDS[step]) {
    const raw = body[f];
    out[f] = Array.isArray(raw) ? str(raw[raw.length - 1]) : str(raw);
  }
  if (step === 'lokasi') {
    // A changed parent invalidates the levels below it (the no-JS region picker keeps them otherwise).
    if (out.kab && !String(out.kab).startsWith(`${out.prov}.`)) out.kab = '';
    if (out.kec && !String(out.kec).startsWith(`${out.kab}.`)) out.kec = '';
    if (out.desa && !String(out.desa).startsWith(`${out.kec}.`)) out.desa = '';
  }
  return out;
}

const s = (d: DraftData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');

/** The deepest region chosen in the picker. */
export function regionOf(d: DraftData): string {
  return s(d, 'desa') || s(d, 'kec') || s(d, 'kab') || s(d, 'prov');
}

/** Validates one step's values; `today` (YYYY-MM-DD) bounds the event date. */
export function validateStep(step: Step, d: DraftData, today: string): Record<string, FieldIssue> {
  const f: Record<string, FieldIssue> = {};
  const len = (k: string, min: number, max: number, required = true) => {
    const v = s(d, k);
    if (!v) {
      if (required) f[k] = { key: 'required' };
    } else if (v.length < min) f[k] = { key: 'too_short', params: { min } };
    else if (v.length > max) f[k] = { key: 'too_long', params: { max } };
  };
  switch (step) {
    case 'jenis':
      if (!CLASSIFICATIONS.includes(s(d, 'classification') as Classification))
        f.classification = { key: 'required' };
      break;
    case 'kejadian': {
      len('title', 5, 150);
      len('body', 20, 10_000);
      const on = s(d, 'occurredOn');
      const problem = on ? calendarDateProblem(on) : null;
      if (problem) f.occurredOn = { key: problem };
      else if (on && on > today) f.occurredOn = { key: 'future_date' };
      break;
    }
    case 'lokasi': {
      const lat = s(d, 'lat');
      const lon = s(d, 'lon');
      const la = coordinate(lat);
      const lo = coordinate(lon);
      if ((lat || lon) && (la === undefined || lo === undefined))
        f[la !== undefined ? 'lon' : 'lat'] = { key: 'invalid_format' };
      else if (la !== undefined && lo !== undefined && !inIndonesia(la, lo))
        f.lat = { key: 'outside_indonesia' };
      if (!regionOf(d) && (la === undefined || lo === undefined)) f.prov = { key: 'region_or_point' };
      len('address', 1, 300, false);
      break;
    }
    case 'kategori':
      // Only the form of the id: whether such a category exists is the route's lookup (`requireCategory`).
      if (s(d, 'categoryId') && categoryIdOf(d) === undefined) f.categoryId = { key: 'category_unknown' };
      break;
    case 'kontak': {
      const anonymous = s(d, 'anonymous') === '1';
      if (!anonymous && !s(d, 'name')) f.name = { key: 'reporter_required' };
      len('name', 1, 120, false);
      // The API's reporter rules (`ReporterSchema`), so the web accepts what a report submitted by JSON may hold.
      const email = s(d, 'email');
      if (email.length > EMAIL_MAX) f.email = { key: 'too_long', params: { max: EMAIL_MAX } };
      else if (email && !ReporterSchema.shape.email.safeParse(email).success)
        f.email = { key: 'invalid_email' };
      if (s(d, 'phone') && !ReporterSchema.shape.phone.safeParse(s(d, 'phone')).success)
        f.phone = { key: 'invalid_phone' };
      if (s(d, 'nik') && !/^\d{16}$/.test(nikDigits(s(d, 'nik')))) f.nik = { key: 'invalid_nik' };
      break;
    }
    default:
      break;
  }
  return f;
}

/** A NIK as typed, without the spaces, dashes or dots of a grouped form (`6471 0123 4567 8901`). */
export function nikDigits(v: string): string {
  return v.replace(/[\s.-]/g, '');
}

/**
 * A typed coordinate in decimal degrees, or undefined: digits with an optional sign and decimals, the decimal mark a
 * point or (as Indonesian keyboards and spreadsheets write it) a comma: `-1.27`, `-1,27`, `116.83`. Not `0x10`,
 * `1e2` or `Infinity`, which `Number` would accept.
 */
export function coordinate(v: string): number | undefined {
  const m = /^([+-]?\d{1,3})(?:[.,](\d{1,15}))?$/.exec(v.trim());
  return m ? Number(`${m[1]}.${m[2] ?? '0'}`) : undefined;
}

/** The longest reporter email the API takes. */
const EMAIL_MAX = ReporterSchema.shape.email.unwrap().maxLength ?? 200;

/** Whether a map point lies in Indonesia's bounding box, the check `submitReport` makes (`outside_indonesia`). */
function inIndonesia(lat: number, lon: number): boolean {
  const b = INDONESIA_BBOX;
  return lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon;
}

/**
 * The draft's category id as a row id (a positive PostgreSQL `integer`), or undefined when none is chosen or the
 * answer is not one (`abc`, `2.5`, `99999999999`).
 */
export function categoryIdOf(d: DraftData): number | undefined {
  const v = s(d, 'categoryId');
  if (!/^[1-9]\d{0,9}$/.test(v)) return undefined;
  const n = Number(v);
  return n <= INT4_MAX ? n : undefined;
}

/** The first step whose answers are missing or invalid (null when the draft is complete). */
export function firstIncompleteStep(d: DraftData, today: string): Step | null {
  for (const step of STEPS) {
    if (step !== 'lampiran' && step !== 'privasi') {
      if (Object.keys(validateStep(step, d, today)).length) return step;
    }
  }
  return null;
}

/** The finished draft as `submitReport` input (channel 'web'). */
export function toSubmitInput(d: DraftData): SubmitReportInput {
  const opt = (k: string) => s(d, k) || undefined;
  const lat = opt('lat');
  const lon = opt('lon');
  return {
    channel: 'web',
    classification: s(d, 'classification') as Classification,
    title: s(d, 'title'),
    body: s(d, 'body'),
    occurredOn: opt('occurredOn'),
    regionCode: regionOf(d) || undefined,
    lat: lat && lon ? coordinate(lat) : undefined,
    lon: lat && lon ? coordinate(lon) : undefined,
    address: opt('address'),
    // A malformed id stays a (non-integer) number, which `requireCategory` answers with a field error.
    categoryId: opt('categoryId') === undefined ? undefined : (categoryIdOf(d) ?? Number.NaN),
    targetAgencyId: opt('agencyId'),
    anonymous: s(d, 'anonymous') === '1',
    confidential: s(d, 'confidential') === '1',
    reporter: {
      name: opt('name'),
      email: opt('email'),
      phone: opt('phone'),
      nik: opt('nik') && nikDigits(s(d, 'nik')),
    },
  };
}

/** The staged files of a draft. */
export function draftFiles(d: DraftData): DraftFile[] {
  return Array.isArray(d.files) ? (d.files as DraftFile[]).filter((x) => typeof x === 'object') : [];
}
