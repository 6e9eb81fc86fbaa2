/**
 * Citizen-facing tracking numbers (Tracking ID) for reports.
 *
 * A tracking id is 10 digits: 9 random digits (the first never 0) followed by one Damm check digit.
 * It is short enough to read out over the phone or type into an SMS, numeric like the LAPOR! ids
 * (domain.md §4.1, e.g. `#1916449`), and not sequential, so ids cannot be enumerated to discover
 * other people's reports. The Damm check digit detects every single-digit substitution and every
 * transposition of two adjacent digits, the two most common typing errors.
 *
 * The module is pure: randomness comes from the caller (a command passes `node:crypto`'s
 * `randomInt`). Uniqueness is NOT guaranteed here: with 9 × 10^8 possible ids, collisions become
 * likely after tens of thousands of reports (birthday bound), so the store must hold a unique
 * constraint and the command must retry with a fresh id on conflict.
 */

/** Number of digits in a tracking id, check digit included. */
export const TRACKING_ID_LENGTH = 10;

/**
 * A source of uniform random integers in `[0, maxExclusive)`.
 * `(max) => crypto.randomInt(max)` from `node:crypto` fits; tests pass a seeded PRNG.
 */
export type NextInt = (maxExclusive: number) => number;

/**
 * The Damm operation table: a totally anti-symmetric quasigroup of order 10 (H. Michael Damm, 2004).
 * Row = interim digit, column = next input digit.
 */
const DAMM_TABLE: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

const ID_PATTERN = /^[1-9][0-9]{9}$/;
const DIGITS_PATTERN = /^[0-9]+$/;
/** Separators a person may type or copy from the formatted id: whitespace, hyphen and Unicode dashes. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;
/** Longest raw input `normaliseTrackingId` considers; anything longer cannot be an id with separators. */
const MAX_RAW_INPUT = 64;

/** Runs the Damm algorithm over a digit string and returns the final interim digit. */
function dammInterim(digits: string): number {
  let interim = 0;
  for (const ch of digits) {
    interim = DAMM_TABLE[interim]![ch.charCodeAt(0) - 48]!;
  }
  return interim;
}

/**
 * Computes the Damm check digit for a string of decimal digits.
 * Throws a `RangeError` when the input is empty or holds anything but `0`–`9` (a programming error).
 */
export function dammCheckDigit(digits: string): number {
  if (!DIGITS_PATTERN.test(digits)) {
    throw new RangeError('dammCheckDigit expects a non-empty string of decimal digits');
  }
  return dammInterim(digits);
}

/** Draws one integer from `nextInt` and checks that the source honoured its contract. */
function draw(nextInt: NextInt, maxExclusive: number): number {
  const n = nextInt(maxExclusive);
  if (!Number.isInteger(n) || n < 0 || n >= maxExclusive) {
    throw new RangeError(
      `nextInt(${maxExclusive}) returned ${String(n)}, expected an integer in [0, ${maxExclusive})`,
    );
  }
  return n;
}

/**
 * Generates a new random tracking id: 9 random digits (first in 1–9) plus a Damm check digit.
 *
 * `nextInt` must return uniform integers in `[0, maxExclusive)`; use a cryptographic source in
 * production (`(max) => randomInt(max)` from `node:crypto`) so ids are unpredictable. Throws a
 * `RangeError` if the source returns something out of range. The caller must still enforce
 * uniqueness (unique constraint + retry): see the module comment.
 */
export function makeTrackingId(nextInt: NextInt): string {
  let body = String(draw(nextInt, 9) + 1);
  for (let i = 1; i < TRACKING_ID_LENGTH - 1; i++) {
    body += String(draw(nextInt, 10));
  }
  return body + String(dammInterim(body));
}

/**
 * Tells whether `s` is a well-formed tracking id in canonical form: exactly 10 digits, first digit
 * non-zero, valid Damm check digit. Separators are not accepted here; use `normaliseTrackingId`
 * for user input.
 */
export function isValidTrackingId(s: string): boolean {
  return ID_PATTERN.test(s) && dammInterim(s) === 0;
}

/**
 * Turns user input into a canonical tracking id, or `null` if it is not a valid one.
 * Strips whitespace, hyphens/dashes and one leading `#` (LAPOR! writes ids as `#1916449`), so
 * `"1234-5678-90"`, `" 1234 5678 90 "` and `"#1234567890"` all normalise to `"1234567890"`
 * when the check digit holds.
 */
export function normaliseTrackingId(input: string): string | null {
  if (input.length > MAX_RAW_INPUT) return null;
  const stripped = stripTrackingInput(input);
  return isValidTrackingId(stripped) ? stripped : null;
}

/**
 * A typed tracking number without its display dressing (surrounding space, a leading `#`, group separators), not
 * yet checked: lets a form tell a mistyped digit (ten digits, wrong check digit) from a wrong format.
 */
export function stripTrackingInput(input: string): string {
  return input.trim().replace(/^#/, '').replace(SEPARATORS, '');
}

/**
 * Formats a canonical tracking id for display as `1234-5678-90` (groups of 4, 4 and 2, the last
 * group ending in the check digit). Input that is not 10 digits is returned unchanged, so a
 * display helper never throws; `normaliseTrackingId` reverses the formatting.
 */
export function formatTrackingId(id: string): string {
  if (!/^[0-9]{10}$/.test(id)) return id;
  return `${id.slice(0, 4)}-${id.slice(4, 8)}-${id.slice(8)}`;
}
