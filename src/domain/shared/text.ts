/**
 * Text as aduan stores it. PostgreSQL text cannot hold NUL and rejects unpaired UTF-16 surrogates, and other control
 * characters only hide content from verifiers and search, so every input string is cleaned once at the edge
 * (`plainText`): NUL and the C0 controls except tab, line feed and carriage return are dropped, DEL too, and an
 * unpaired surrogate becomes U+FFFD. Nothing a person types is lost.
 */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what is removed
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Invisible zero-width characters at either end of a value (a title of nothing but these is empty).
const EDGE_INVISIBLE = /^[\u200B\u2060\uFEFF]+|[\u200B\u2060\uFEFF]+$/g;

/** One string, cleaned. */
export function plainText(s: string): string {
  return s.replace(CONTROLS, '').replace(LONE_SURROGATE, '\uFFFD').replace(EDGE_INVISIBLE, '');
}

/**
 * Every string in a parsed input (object keys included), cleaned in place where possible; objects nested deeper than
 * `maxDepth` are left as they are (no input field lies that deep, and validation refuses such shapes).
 */
export function plainTextDeep<T>(value: T, maxDepth = 32): T {
  return clean(value, maxDepth) as T;
}

function clean(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return plainText(v);
  if (depth <= 0 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = clean(v[i], depth - 1);
    return v;
  }
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return v;
  const out: Record<string, unknown> = Object.create(
    Object.getPrototypeOf(v) === null ? null : Object.prototype,
  );
  for (const [k, x] of Object.entries(v)) out[plainText(k)] = clean(x, depth - 1);
  return out;
}

// Anything with an @ in it, whatever its domain looks like (a mistyped `x@contoh.t3st` is what servers refuse).
const EMAIL = /[^\s<>"]*@[^\s<>"]*/g;
// A phone or NIK: 9 or more digits, possibly led by + and grouped by spaces or dashes (a date has 8).
const LONG_NUMBER = /\+?\d(?:[\s-]?\d){8,}/g;

/**
 * A transport's error text with contact data masked: mail servers quote the refused recipient
 * ("550 <name@host>: Recipient address rejected") and gateways may echo the number, and that text is logged and shown
 * to every staff member who may open the report's delivery log, including an agency on an anonymous report.
 */
export function redactContacts(s: string): string {
  return s.replace(EMAIL, '[email]').replace(LONG_NUMBER, '[nomor]');
}
