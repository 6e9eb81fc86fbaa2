/**
 * Open311 output in both formats from one JSON (Spark) value: JSON as is, XML with the containers whose
 * children repeat wrapped back into their element names (§1). Content types follow D6: the discovery
 * documents without a charset, everything else with `; charset=utf-8`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import { AppError } from '../../app/errors.ts';

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

const builder = new XMLBuilder({
  format: false,
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  processEntities: true,
});

function toXml(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toXml);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (Array.isArray(v)) {
        const child = CHILD[k] ?? 'item';
        out[k] = v.length ? { [child]: v.map(toXml) } : '';
      } else out[k] = toXml(v);
    }
    return out;
  }
  if (value === null || value === undefined) return '';
  return typeof value === 'boolean' || typeof value === 'number' ? String(value) : value;
}

/** Serialises `value` under `root` (XML root element; dropped in JSON). */
export function serialise(format: Format, root: string, value: unknown): string {
  if (format === 'json') return JSON.stringify(value);
  const doc = toXml({ [root]: value }) as Record<string, unknown>;
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(doc) as string}`;
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
    .send(Buffer.from(serialise(format, root, value), 'utf8'));
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
