/**
 * Reading a CSV file an operator prepared, as real offices produce them (docs/operations.md, "CSV files"): Excel on
 * Indonesian Windows saves "CSV" with semicolons (the Indonesian list separator) in windows-1252, "Unicode text" as
 * UTF-16LE with a BOM and tabs, "CSV UTF-8" with a BOM. Used by `aduan agencies import` and `aduan users invite
 * --csv`. Pure: bytes in, a table or one file-level problem out (the CLI reads the file and words the messages,
 * `csv.error.<key>` in src/locales).
 *
 * 1. Decoding: a UTF-8 BOM is dropped; a UTF-16LE/BE BOM selects UTF-16, and so does the byte pattern of UTF-16
 *    text without a BOM (a zero byte in every other position: written by scripts, not by Excel); otherwise UTF-8
 *    when the bytes are valid UTF-8, else windows-1252 (`notUtf8`, which the CLI announces). A U+FFFD already in the
 *    text (a file once read with the wrong encoding) is refused, so none reaches the database. Control characters
 *    in the first line, or more than one per 100 characters, mean binary data; fewer, later, are removed (a vertical
 *    tab or an information separator becomes a space).
 * 2. The delimiter (`,`, `;` or tab) is the one an Excel `sep=;` first line names (that line is then skipped), else
 *    the one whose split of the header line gives the most known column names.
 * 3. Header names are trimmed, lower-cased, with spaces and hyphens as `_` ("Agency ID" → `agency_id`); empty
 *    header cells (Excel's trailing separators) are ignored, as are rows whose every field is empty.
 */
import { parse } from 'csv-parse/sync';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** A problem with the file as a whole; `key` names the message `csv.error.<key>`. */
export interface CsvProblem {
  key:
    | 'empty'
    | 'spreadsheet'
    | 'binary'
    | 'bad_utf16'
    | 'replacement'
    | 'field_count'
    | 'quote'
    | 'separator'
    | 'syntax'
    | 'missing_columns';
  params?: Record<string, string | number>;
}

/** One data row: its values by (normalised) column name, and its line in the file (the header is line 1). */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  encoding: CsvEncoding;
  /** True when the bytes were not UTF-8 and were read as windows-1252: worth a notice to the operator. */
  notUtf8: boolean;
  delimiter: CsvDelimiter;
  /** The header's column names, normalised, in file order (empty cells left out). */
  columns: string[];
  rows: CsvRow[];
}

export interface CsvReadOptions {
  /** Every column the command knows (to find the delimiter). */
  known: readonly string[];
  /** Columns the header must have. */
  required: readonly string[];
  /** Other header names accepted for a column (`{ aktif: 'active' }`). */
  aliases?: Readonly<Record<string, string>>;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04]; // .xlsx, .ods
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // .xls

/**
 * windows-1252 bytes 0x80–0x9F (the WHATWG table; the five unassigned ones stay C1 controls). Decoded by hand:
 * Node's `TextDecoder('windows-1252')` reads them as Latin-1 C1 controls, which would turn "–" or "€" into
 * invisible characters.
 */
const CP1252_80_9F =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** Decodes windows-1252 bytes (every byte has a meaning, so this never fails and never yields U+FFFD). */
export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    parts.push(
      String.fromCharCode(...chunk.map((b) => b)).replace(/[\u0080-\u009F]/g, (c) =>
        CP1252_80_9F.charAt(c.charCodeAt(0) - 0x80),
      ),
    );
  }
  return parts.join('');
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/**
 * The byte order of UTF-16 text without a BOM, or null: in the first (up to) 256 code units every unit is non-zero,
 * and at least 90 % of them have a zero high byte (Latin text: `n\0a\0…` little-endian, `\0n\0a…` big-endian).
 * A UTF-8 or windows-1252 file never has that many zero bytes, and a binary file has zero units or random bytes.
 */
export function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const units = Math.min(256, Math.floor(bytes.length / 2));
  if (units < 2 || bytes.length % 2 === 1) return null;
  let highZeroLe = 0;
  let highZeroBe = 0;
  for (let i = 0; i < units; i++) {
    const a = bytes[2 * i]!;
    const b = bytes[2 * i + 1]!;
    if (a === 0 && b === 0) return null;
    if (b === 0) highZeroLe++;
    if (a === 0) highZeroBe++;
  }
  if (highZeroLe >= 0.9 * units) return 'utf-16le';
  if (highZeroBe >= 0.9 * units) return 'utf-16be';
  return null;
}

/** Decodes the bytes of a text file (see the module comment), or says why they are not text. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } | CsvProblem {
  if (startsWith(bytes, ZIP) || startsWith(bytes, OLE2)) return { key: 'spreadsheet' };
  let text: string;
  let encoding: CsvEncoding;
  const bom = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  const bomless = bom ? null : utf16WithoutBom(bytes);
  if (bom || bomless) {
    encoding = bomless ?? (bytes[0] === 0xff ? 'utf-16le' : 'utf-16be');
    let body = bom ? bytes.subarray(2) : bytes;
    if (body.length % 2 === 1) return { key: 'bad_utf16' };
    if (encoding === 'utf-16be') {
      const swapped = new Uint8Array(body.length);
      for (let i = 0; i < body.length; i += 2) {
        swapped[i] = body[i + 1]!;
        swapped[i + 1] = body[i]!;
      }
      body = swapped;
    }
    try {
      text = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      return { key: 'bad_utf16' };
    }
  } else {
    const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
      encoding = 'utf-8';
    } catch {
      text = decodeWindows1252(body);
      encoding = 'windows-1252';
    }
  }
  const cleaned = withoutStrayControls(text);
  if (cleaned === null) return { key: 'binary' };
  text = cleaned;
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) return { key: 'replacement', params: { line: lineAt(text, bad) } };
  return { text, encoding };
}

/**
 * Control characters that do not occur in a text file: NUL and the other C0 controls but tab, line feed, form feed and
 * carriage return, and the C1 ones the unassigned windows-1252 bytes leave.
 */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what is matched
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u0081\u008D\u008F\u0090\u009D]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');
/** The ones that separate words (a vertical tab: a line break inside an old Excel cell; the information separators). */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what is matched
const SEPARATING = /^[\u000B\u001C-\u001F]$/;

/**
 * `text` without stray control characters, or null when it is binary data: control characters in its first line (a
 * header is text) or throughout (random bytes: about one in eight). A few in a text file are the debris of an export
 * (the user-data header `05 00 03 …` of a long SMS, glued inside a word in real LAPOR! reports): removed, so the word
 * reads whole again; a vertical tab or an information separator becomes a space instead.
 */
function withoutStrayControls(text: string): string | null {
  if (CONTROL.test(/\S[^\r\n]*/.exec(text)?.[0] ?? '')) return null;
  const count = text.match(CONTROLS)?.length ?? 0;
  if (count * 100 > text.length) return null;
  return count ? text.replace(CONTROLS, (c) => (SEPARATING.test(c) ? ' ' : '')) : text;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A header cell as a column name: "Agency ID" → `agency_id`. */
export function normaliseColumn(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * The delimiter of a header line: the one whose split gives the most known column names (then the most fields);
 * a comma when nothing tells them apart.
 */
export function detectDelimiter(headerLine: string, known: readonly string[]): CsvDelimiter {
  let best: CsvDelimiter = ',';
  let bestScore = -1;
  let bestFields = 0;
  for (const d of CSV_DELIMITERS) {
    const fields = headerLine.split(d).map(normaliseColumn);
    const score = fields.filter((f) => known.includes(f)).length;
    if (score > bestScore || (score === bestScore && fields.length > bestFields)) {
      best = d;
      bestScore = score;
      bestFields = fields.length;
    }
  }
  return best;
}

/** Excel's first line naming the separator (`sep=;`, also quoted); Excel reads it and hides it. */
const SEP_LINE = /^"?sep=(.)"?$/i;

/** Decodes and parses a CSV file with a header row; the table, or the first problem with the file. */
export function readCsv(
  bytes: Uint8Array,
  opts: CsvReadOptions,
): { table: CsvTable; problem?: undefined } | { problem: CsvProblem; table?: undefined } {
  const decoded = decodeCsv(bytes);
  if ('key' in decoded) return { problem: decoded };
  const { text, encoding } = decoded;
  const lines = text.split(/\r\n|\n|\r/);
  let first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { problem: { key: 'empty' } };
  const named = SEP_LINE.exec(lines[first]!.trim())?.[1];
  let delimiter: CsvDelimiter | undefined;
  if (named !== undefined) {
    delimiter = CSV_DELIMITERS.find((d) => d === named);
    if (!delimiter) return { problem: { key: 'separator', params: { separator: named, line: first + 1 } } };
    first = lines.findIndex((l, i) => i > first && l.trim() !== '');
    if (first < 0) return { problem: { key: 'empty' } };
  }
  delimiter ??= detectDelimiter(lines[first]!, opts.known);
  const nameOf = (h: string) => {
    const n = normaliseColumn(h);
    return opts.aliases?.[n] ?? n;
  };
  let columns: string[] = [];
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter,
      columns: (header: string[]) => {
        const names = header.map(nameOf);
        columns = names.filter((n) => n !== '');
        // An empty header cell (Excel's trailing separators): its column is skipped.
        return names.map((n) => (n === '' ? false : n)) as unknown as string[];
      },
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      info: true,
      // Past a `sep=` line (csv-parse counts lines from 1, so `info.lines` stay the file's lines).
      from_line: named !== undefined ? first + 1 : 1,
    }) as unknown as typeof records;
  } catch (e) {
    const { code, lines } = e as { code?: string; lines?: number };
    const line = lines ?? 1;
    if (code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH')
      return { problem: { key: 'field_count', params: { line } } };
    if (code === 'CSV_QUOTE_NOT_CLOSED') return { problem: { key: 'quote', params: { line } } };
    return { problem: { key: 'syntax', params: { line } } };
  }
  const missing = opts.required.filter((c) => !columns.includes(c));
  if (missing.length)
    return {
      problem: {
        key: 'missing_columns',
        params: { missing: missing.join(', '), found: columns.join(', ') || '-' },
      },
    };
  return {
    table: {
      encoding,
      notUtf8: encoding === 'windows-1252',
      delimiter,
      columns,
      rows: records.map(({ record, info }) => ({ line: info.lines, values: record })),
    },
  };
}
