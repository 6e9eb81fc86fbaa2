/**
 * Open311 output in both formats from one JSON (Spark) value: JSON as is, XML with the containers whose
 * children repeat wrapped back into their element names (§1). Content types follow D6: the discovery
 * documents without a charset, everything else with `; charset=utf-8`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../app/errors.ts';
import { t, type Lang } from '../../locales/index.ts';

/** Response format chosen by the URL suffix. */
export type Format = 'xml' | 'json';

/** Container → element name of its repeated children. */
const CHILD: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  notes: 'note',
  media_urls: 'media_url',
};

/** Characters XML text must not carry raw: markup, plus the control characters XML 1.0 forbids. */
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const XML_SPECIAL_ALL = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes XML text content; characters XML 1.0 cannot represent are dropped. */
export function escapeXml(s: string): string {
  return XML_SPECIAL.test(s) ? s.replace(XML_SPECIAL_ALL, (c) => ENTITY[c] ?? '') : s;
}

/**
 * Writes `value` as the content of element `name`: objects become child elements, an array under a container
 * becomes repeated child elements (CHILD), null/undefined an empty element. Element names are our own
 * fixed field names, never user input. A hand-written writer: the generic object builder was the slowest
 * step of a 1000-item list (docs/benchmarks.md).
 */
function writeXml(name: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<${name}></${name}>`;
  if (typeof value === 'string') return `<${name}>${escapeXml(value)}</${name}>`;
  if (typeof value === 'number' || typeof value === 'boolean') return `<${name}>${String(value)}</${name}>`;
  let out = `<${name}>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}></${name}>`;
    const child = CHILD[name] ?? 'item';
    for (const v of value) out += writeXml(child, v);
  } else {
    for (const k in value as Record<string, unknown>)
      out += writeXml(k, (value as Record<string, unknown>)[k]);
  }
  return `${out}</${name}>`;
}

/** The XML declaration every Open311 XML document starts with (§1). */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** Serialises `value` under `root` (XML root element; dropped in JSON). */
export function serialise(format: Format, root: string, value: unknown): string {
  if (format === 'json') return JSON.stringify(value);
  return XML_DECLARATION + writeXml(root, value);
}

/**
 * `serialise` as UTF-8 bytes. A list is encoded item by item and the buffers concatenated: one string of a
 * 1000-item list (0.5–0.75 MB) costs several times more to build, flatten and encode (docs/benchmarks.md).
 */
export function encode(format: Format, root: string, value: unknown): Buffer {
  if (!Array.isArray(value) || value.length < 16) return Buffer.from(serialise(format, root, value), 'utf8');
  const parts: Buffer[] = [];
  if (format === 'json') {
    value.forEach((v, i) =>
      parts.push(Buffer.from(`${i ? ',' : '['}${JSON.stringify(v) ?? 'null'}`, 'utf8')),
    );
    parts.push(Buffer.from(']'));
  } else {
    const child = CHILD[root] ?? 'item';
    parts.push(Buffer.from(`${XML_DECLARATION}<${root}>`, 'utf8'));
    for (const v of value) parts.push(Buffer.from(writeXml(child, v), 'utf8'));
    parts.push(Buffer.from(`</${root}>`, 'utf8'));
  }
  return Buffer.concat(parts);
}

/** The Content-Type of a resource (D6). */
export function contentType(format: Format, discovery = false): string {
  const base = format === 'xml' ? 'text/xml' : 'application/json';
  return discovery ? base : `${base}; charset=utf-8`;
}

/** Sends an Open311 document (as bytes, so Fastify never rewrites the Content-Type of D6). */
export function send(
  reply: FastifyReply,
  format: Format,
  root: string,
  value: unknown,
  opts: { status?: number; discovery?: boolean } = {},
): FastifyReply {
  return reply
    .status(opts.status ?? 200)
    .header('content-type', contentType(format, opts.discovery))
    .send(encode(format, root, value));
}

/** The format of a URL from its suffix (`.json` → json; everything else XML, which is required). */
export function formatOfUrl(url: string): Format {
  const path = url.split('?')[0] ?? '';
  return path.endsWith('.json') ? 'json' : 'xml';
}

/** The `:format` path parameter: xml or json, anything else is an unknown resource (404). */
export function formatParam(req: FastifyRequest): Format {
  const f = (req.params as { format?: string }).format;
  if (f === 'xml' || f === 'json') return f;
  throw new AppError('NOT_FOUND');
}

/** An Open311 error text: GeoReport errors have one, so the caller's language first, then the other (both always). */
export function bilingual(lang: Lang, key: string, params?: Record<string, string | number>): string {
  const [a, b] = [t(lang, key, params), t(lang === 'id' ? 'en' : 'id', key, params)];
  return a === b ? a : `${a} / ${b}`;
}
