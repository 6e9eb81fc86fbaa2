/**
 * Parsing of Open311 input: query parameters (empty = absent, §13 item 30), W3C dates and the 90-day
 * window (D3), paging, and POST bodies in every shape clients send (form, multipart with media[] or
 * photo1..n / file_* parts, JSON, XML) normalised to one field map plus files.
 */
import { plainText } from '../../domain/shared/text.ts';
import { calendarDateProblem, isWithinDateBounds } from '../../domain/shared/dates.ts';
import type { FastifyRequest } from 'fastify';
import { AppError, invalid, type FieldIssue } from '../../app/errors.ts';
import type { AttachmentInput } from '../../commands/add-attachment.ts';

/** Form fields: a value or, for repeated keys, a list. */
export type Fields = Record<string, string | string[]>;

/** Most items one GET may return (§8: "first 1000 requests"). */
export const MAX_REQUESTS = 1000;
const DAY = 86_400_000;

/**
 * A parameter's value, with empty strings treated as absent. A repeated parameter (`a=x&a=x`, or in both the
 * query string and the body) is its one value; several different non-empty values are a 400 (`conflicting_values`),
 * never silently the first of them.
 */
export function param(src: Fields | undefined, name: string): string | undefined {
  const v = src?.[name];
  const all = Array.isArray(v) ? v : [v];
  // A JSON object where a text value belongs is the client's mistake: say so rather than read it as absent.
  if (all.some((s) => s !== null && typeof s === 'object'))
    throw invalid({ [name]: { key: 'invalid_type' } });
  const values = new Set(all.filter((s) => typeof s === 'string').map((s) => s.trim()));
  values.delete('');
  if (values.size > 1) throw invalid({ [name]: { key: 'conflicting_values' } });
  return values.values().next().value;
}

/** A comma-separated list parameter (repeated keys are joined too). */
export function listParam(src: Fields | undefined, name: string): string[] | undefined {
  const v = src?.[name];
  const all = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(','));
  const items = all.map((x) => x.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/**
 * W3C-DTF, the ISO 8601 profile §1 names: a complete date, or a date with hours and minutes, optional seconds
 * (and fraction) and a zone designator, which is required with a time (`Z`, `+07:00`; `+0700` is tolerated).
 */
const W3C = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:(Z)|([+-])(\d{2}):?(\d{2})))?$/;

/** A date without a time is midnight in WIB (UTC+7), Indonesia's most used zone and the fallback of our answers. */
const DATE_ONLY_OFFSET = '+07:00';

/**
 * Parses a W3C datetime (docs/open311.md "Dates"): 400 `invalid_datetime` on anything else, a time without a
 * zone (ambiguous) and an impossible date or time (`2026-02-30`, `25:00`) included; a date alone is 00:00 WIB.
 */
export function dateParam(src: Fields | undefined, name: string): Date | undefined {
  const s = param(src, name);
  if (s === undefined) return undefined;
  // An unencoded `+` of an offset arrives as a space.
  const m = W3C.exec(s.replace(' ', '+'));
  const bad = () => invalid({ [name]: { key: 'invalid_datetime' } });
  if (!m) throw bad();
  const [, date, hh = '00', mi = '00', ss = '00', frac = '', z, sign, oh, om] = m;
  const problem = calendarDateProblem(date!);
  if (problem === 'invalid_date') throw bad();
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) throw bad();
  if (oh !== undefined && (Number(oh) > 14 || Number(om) > 59)) throw bad();
  const zone = m[2] === undefined ? DATE_ONLY_OFFSET : z ? 'Z' : `${sign}${oh}:${om}`;
  const d = new Date(`${date}T${hh}:${mi}:${ss}${frac.slice(0, 4)}${zone}`);
  if (isNaN(d.getTime())) throw bad();
  if (problem === 'date_out_of_range' || !isWithinDateBounds(d))
    throw invalid({ [name]: { key: 'date_out_of_range' } });
  return d;
}

/** The requested_datetime window: defaults to the last 90 days; more than 90 days is a 400 (D3). */
export function createdWindow(
  q: Fields,
  now: Date,
  incremental: boolean,
): { from?: string | undefined; to?: string | undefined } {
  const start = dateParam(q, 'start_date');
  const end = dateParam(q, 'end_date');
  if (!start && !end && incremental) return {};
  const to = end ?? (start ? new Date(start.getTime() + 90 * DAY) : now);
  const from = start ?? new Date(to.getTime() - 90 * DAY);
  if (from > to) throw invalid({ end_date: { key: 'date_order' } });
  if (to.getTime() - from.getTime() > 90 * DAY) throw invalid({ end_date: { key: 'date_span' } });
  return { from: from.toISOString(), to: to.toISOString() };
}

/** `page` (1-based) and `page_size` (1..1000, default 1000) → limit/offset. */
export function paging(q: Fields): { limit: number; offset: number } {
  const page = param(q, 'page');
  const size = param(q, 'page_size');
  const p = page === undefined ? 1 : Number(page);
  const s = size === undefined ? MAX_REQUESTS : Number(size);
  // One message for every bad value: the allowed range (a zero page size is not "at most 1000").
  if (!Number.isInteger(p) || p < 1 || p > 100_000)
    throw invalid({ page: { key: 'between', params: { min: 1, max: 100_000 } } });
  if (!Number.isInteger(s) || s < 1 || s > MAX_REQUESTS)
    throw invalid({ page_size: { key: 'between', params: { min: 1, max: MAX_REQUESTS } } });
  return { limit: s, offset: (p - 1) * s };
}

/** `attribute[code]=v` and `attribute[code][]=v` fields → { code: v | v[] }. */
export function attributesOf(fields: Fields): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(fields)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(k);
    if (!m) continue;
    const code = m[1]!;
    const prev = out[code];
    const vals = Array.isArray(v) ? v : [v];
    if (m[2] || prev !== undefined || vals.length > 1) {
      out[code] = [...(prev === undefined ? [] : Array.isArray(prev) ? prev : [prev]), ...vals];
    } else out[code] = vals[0]!;
  }
  // A JSON or XML body may nest them (`"attribute": { "rahasia": "true" }`); a code sent both ways keeps
  // every value, so validateAttributes sees a conflict instead of one form overriding the other.
  const nested = fields.attribute as unknown;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [k, v] of Object.entries(nested as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      const prev = out[k];
      const vals = Array.isArray(v) ? scalarList(v) : typeof v === 'object' ? undefined : String(v);
      // An attribute value is text or a list of text; a deeper structure is refused, never stringified.
      if (vals === undefined) throw invalid({ [`attribute[${k}]`]: { key: 'invalid_type' } });
      out[k] = prev === undefined ? vals : [...(Array.isArray(prev) ? prev : [prev]), ...[vals].flat()];
    }
  }
  return out;
}

/**
 * The query string and the body as one field map: a field sent in both keeps both values (the body's after
 * the query's), so a conflict is refused (`param`, `validateAttributes`) rather than one silently winning.
 */
function mergeFields(q: Fields, body: Fields): Fields {
  const out: Fields = { ...q };
  for (const [k, v] of Object.entries(body)) {
    const prev = out[k];
    const plain = typeof v === 'string' || Array.isArray(v);
    out[k] = prev === undefined || !plain ? v : [...(Array.isArray(prev) ? prev : [prev]), ...[v].flat()];
  }
  return out;
}

const FILE_PART = /^(media(\[\])?|photo\d*|file_.*|media_\d+)$/;

/** Reads a POST body of any accepted type into fields and files. */
export async function readBody(req: FastifyRequest): Promise<{ fields: Fields; files: AttachmentInput[] }> {
  const q = (req.query ?? {}) as Fields;
  if (req.isMultipart()) {
    const fields: Fields = {};
    const files: AttachmentInput[] = [];
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (FILE_PART.test(part.fieldname) && data.length > 0)
            files.push({ filename: plainText(part.filename || 'media'), data });
        } else {
          const value = plainText(String(part.value));
          const prev = fields[part.fieldname];
          fields[part.fieldname] =
            prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
        }
      }
    } catch (e) {
      // A truncated or malformed multipart body (busboy "Unexpected end of form") is the client's fault;
      // size limits (413) and our own errors keep their status.
      if (e instanceof AppError || (e as { statusCode?: number }).statusCode) throw e;
      throw new AppError('BAD_REQUEST');
    }
    return { fields: mergeFields(q, fields), files };
  }
  const body = req.body;
  if (body === undefined || body === null) return { fields: { ...q }, files: [] };
  if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_REQUEST');
  const fields: Record<string, unknown> = {};
  const issues: Record<string, FieldIssue> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object') fields[k] = String(v);
    else if (Array.isArray(v)) {
      const list = scalarList(v);
      if (list) fields[k] = list;
      else issues[k] = { key: 'invalid_type' };
    } else {
      // An object is a shape clients use (`"attribute": { "rahasia": "true" }`, XML child elements, Mark-a-Spot's
      // `extended_attributes`). It is kept as it is: `param` refuses an object where text belongs, and
      // `attributesOf` reads one level of `attribute` and refuses anything deeper, so nothing walks it.
      fields[k] = v;
    }
  }
  if (Object.keys(issues).length) throw invalid(issues);
  return { fields: mergeFields(q, fields as Fields), files: [] };
}

/**
 * The items of a JSON/XML list as text, or undefined when one is itself a list or an object: a value of a
 * form field is text, and a nested structure (`[[[…]]]`, thousands deep) is the client's mistake, never
 * something to serialise (that recursion overflowed the stack: a 500 for a 10 KB body).
 */
function scalarList(v: unknown[]): string[] | undefined {
  const out: string[] = [];
  for (const x of v) {
    if (x !== null && typeof x === 'object') return undefined;
    out.push(x === null || x === undefined ? '' : String(x));
  }
  return out;
}
