/**
 * Open311 POST bodies are UTF-8 (§1: "UTF-8 everywhere, in and out"). Fastify's form and JSON parsers decode
 * leniently: a byte that is not UTF-8 (`\xfc` of a Latin-1 client) became U+FFFD, and a percent-escape that does
 * not decode (`%FC`) stayed as the three characters, and either was stored as the report's text. Here form and
 * JSON bodies are decoded strictly: such a body answers 400 with an `errors` body (a form names the field), and
 * nothing is stored. XML bodies are decoded strictly by their own parser (index.ts).
 */
import type { FastifyInstance } from 'fastify';
import { invalid, type FieldIssue } from '../../app/errors.ts';
import { registerStrictJsonParser } from '../api/v1/json-body.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Strict UTF-8 text of `bytes`, or undefined when they are not UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const hex = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));

/**
 * One name or value of a form body, decoded as WHATWG `application/x-www-form-urlencoded` does (`+` is a space,
 * `%XX` a byte, a `%` not followed by two hex digits stays), then read as strict UTF-8; undefined when not UTF-8.
 */
function formText(raw: Uint8Array): string | undefined {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x2b) out.push(0x20);
    else if (b === 0x25 && hex(raw[i + 1]) && hex(raw[i + 2])) {
      out.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else out.push(b);
  }
  return strictUtf8(Uint8Array.from(out));
}

/** A form body as Fastify's parser gives it (a repeated name becomes a list); 400 naming each field not in UTF-8. */
export function parseUtf8Form(body: Buffer): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  const issues: Record<string, FieldIssue> = {};
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf(0x26, start); // '&'
    if (end === -1) end = body.length;
    const pair = body.subarray(start, end);
    start = end + 1;
    if (pair.length === 0) continue;
    const eq = pair.indexOf(0x3d); // '='
    const rawName = eq === -1 ? pair : pair.subarray(0, eq);
    const name = formText(rawName);
    const value = formText(eq === -1 ? new Uint8Array() : pair.subarray(eq + 1));
    if (name === undefined || value === undefined) {
      issues[name ?? lenient.decode(rawName)] = { key: 'not_utf8' };
      continue;
    }
    const prev = fields[name];
    fields[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  if (Object.keys(issues).length) throw invalid(issues);
  return fields;
}

/** Replaces the form and JSON parsers of the Open311 scope with the strict UTF-8 ones. */
export function registerUtf8BodyParsers(app: FastifyInstance): void {
  registerStrictJsonParser(app);
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseUtf8Form(body as Buffer));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
