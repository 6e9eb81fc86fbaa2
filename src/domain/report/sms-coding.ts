/**
 * Text coding of an inbound SMS as the gateway declares it (pure; src/http/channels/sms.ts calls it). An SMS in
 * Unicode (UCS-2: emoji, Arabic script, accented letters beyond GSM-7) reaches several gateways as a hex string of
 * UTF-16BE (`0048006900200020D83DDE00` = "Hi  😀"): Kannel's `coding=2` with `charset=UTF-16BE`, the `Text` column of
 * Gammu-smsd with `Coding = Unicode_No_Compression`, SMPP-based aggregators with `data_coding=8`. The text is decoded
 * only when the gateway says so: a citizen may well text a string that looks like hex ("CAFE 1234 BEEF").
 *
 * Which field says what (names and values compared ignoring case, `-`, `_` and spaces):
 *
 * - `charset` decides when present: `UTF-16BE`, `UTF-16`, `UCS-2`, `ISO-10646-UCS-2` → hex of UTF-16BE; any other
 *   charset (`UTF-8`, `ISO-8859-1`…) → the text is already text (Kannel converts when told to);
 * - else `coding`: `2` (Kannel's UCS-2), `8` (SMPP's UCS2), `UCS2`, `UTF-16BE`, `UTF-16`, `Unicode`,
 *   `Unicode_No_Compression` (Gammu) → hex; `0`, `1`, `7bit`, `Default_No_Compression`… → text;
 * - else `data_coding` or `dcs`: `8` (SMPP's UCS2, also written `0x08`) → hex.
 */

/** How the text field is to be read. */
export type SmsCoding = 'text' | 'ucs2-hex';

/** The indication fields as the gateway sent them (undefined when absent). */
export interface SmsCodingFields {
  charset?: string | undefined;
  coding?: string | undefined;
  dataCoding?: string | undefined;
}

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

const UTF16_CHARSETS = new Set(['utf16be', 'utf16', 'ucs2', 'iso10646ucs2', 'unicode']);
const UCS2_CODINGS = new Set([
  '2',
  '8',
  '08',
  '0x08',
  'ucs2',
  'utf16be',
  'utf16',
  'unicode',
  'unicodenocompression',
]);
const UCS2_DATA_CODINGS = new Set(['8', '08', '0x08', 'ucs2']);

/** What the gateway's indication says about the text field. */
export function smsCoding(fields: SmsCodingFields): SmsCoding {
  const charset = fields.charset?.trim();
  if (charset) return UTF16_CHARSETS.has(squash(charset)) ? 'ucs2-hex' : 'text';
  const coding = fields.coding?.trim();
  if (coding) return UCS2_CODINGS.has(squash(coding)) ? 'ucs2-hex' : 'text';
  const dataCoding = fields.dataCoding?.trim();
  if (dataCoding) return UCS2_DATA_CODINGS.has(squash(dataCoding)) ? 'ucs2-hex' : 'text';
  return 'text';
}

/** Why a text marked as UCS-2 could not be read: a key under `errors.field.*`. */
export type Ucs2HexProblem = 'ucs2_hex_digits' | 'ucs2_hex_length' | 'ucs2_surrogate';

const strictUtf16be = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false });
const strictUtf16le = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false });

/**
 * Hex of UTF-16BE → text. Surrogate pairs (emoji) are joined; a leading byte-order mark is dropped (`FFFE`, the
 * little-endian one, makes the rest little-endian, as RFC 2781 reads unmarked UTF-16 as big-endian). Refused: any
 * character other than a hex digit (surrounding blanks aside), a length that is not whole UTF-16 units (4 hex digits
 * each), and a half of a surrogate pair.
 */
export function decodeUcs2Hex(hex: string): { text: string } | { problem: Ucs2HexProblem } {
  const digits = hex.trim();
  if (!/^[0-9a-f]*$/i.test(digits)) return { problem: 'ucs2_hex_digits' };
  if (digits.length % 4 !== 0) return { problem: 'ucs2_hex_length' };
  return decodeUtf16be(Buffer.from(digits, 'hex'));
}

/**
 * UTF-16BE bytes → text (the same rules as `decodeUcs2Hex`): for a form value a gateway sent as the raw bytes
 * (Kannel's `%b`) rather than as hex.
 */
export function decodeUtf16be(bytes: Uint8Array): { text: string } | { problem: Ucs2HexProblem } {
  if (bytes.length % 2 !== 0) return { problem: 'ucs2_hex_length' };
  const littleEndian = bytes[0] === 0xff && bytes[1] === 0xfe;
  try {
    return { text: (littleEndian ? strictUtf16le : strictUtf16be).decode(bytes) };
  } catch {
    // The only thing a strict UTF-16 decoder refuses in whole units: an unpaired surrogate.
    return { problem: 'ucs2_surrogate' };
  }
}
