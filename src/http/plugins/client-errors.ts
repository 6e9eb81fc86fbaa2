/**
 * Requests Node refuses before any route runs (headers or URL over Node's 16 KB limit: 431; a read timeout: 408; an
 * unparsable request: 400) answered in the caller's shape, as every other error is: an Open311 `errors` body in the
 * URL's format under `/open311/`, the JSON error envelope under `/api/`, and the HTML error page for the pages a
 * browser opens (Fastify's default writes its own JSON). The request line is read from the bytes Node received
 * (`rawPacket`); no header was parsed, so the texts are in both languages, Indonesian first.
 */
import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { h } from 'preact';
import { makeContext } from '../../views/context.ts';
import { render } from '../../views/layout.tsx';
import { ErrorPage } from '../../views/pages/error-page.tsx';
import type { Lang } from '../../locales/index.ts';
import { bilingual, contentType, formatOfUrl, serialise } from '../open311/format.ts';
import { ASSET_VERSION } from '../web/render.ts';
import { errorBody } from './errors.ts';

/**
 * Node's client error: a parser error carries the bytes received so far. Node gives a Buffer; Fastify's type says
 * `{ type, data }` (a Buffer's JSON form), so both are read.
 */
type ClientError = Omit<ConnectionError, 'rawPacket'> & {
  rawPacket?: Buffer | { data?: number[] };
};

/** The status and error code of a refused request. */
function classify(err: ClientError): { status: number; code: string } {
  if (err.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'HEADERS_TOO_LARGE' };
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'REQUEST_TIMEOUT' };
  return { status: 400, code: 'BAD_REQUEST' };
}

/** The path of the request line in the bytes received, or '' when there is none. */
function requestPath(raw: ClientError['rawPacket']): string {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw?.data ?? []);
  const line = bytes.subarray(0, 2048).toString('latin1');
  return /^[A-Z]{3,7} (\/\S*)/.exec(line)?.[1]?.split('?')[0] ?? '';
}

/** The answer to a refused request in the caller's shape, chosen by its path; texts in both languages, `lang` first. */
function refusal(path: string, status: number, code: string, lang: Lang): { type: string; body: string } {
  if (path.startsWith('/open311/')) {
    const format = formatOfUrl(path);
    return {
      type: contentType(format),
      body: serialise(format, 'errors', [{ code: status, description: bilingual(lang, `errors.${code}`) }]),
    };
  }
  if (path.startsWith('/api/') || path === '')
    return { type: 'application/json; charset=utf-8', body: JSON.stringify(errorBody(code, {}, lang)) };
  const ctx = makeContext(lang, { assetVersion: ASSET_VERSION });
  return {
    type: 'text/html; charset=utf-8',
    body: render(h(ErrorPage, { ctx, status, message: bilingual(lang, `errors.${code}`) })),
  };
}

/**
 * Fastify's `frameworkErrors`: a request Fastify refuses before routing (a path whose percent-encoding does not
 * decode, `/api/v1/reports/%ZZ`: FST_ERR_BAD_URL) gets 400 in the caller's shape, like every other error, not
 * Fastify's own JSON. The query and cookies are not parsed yet, so the language comes from Accept-Language.
 */
export function frameworkErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const lang: Lang = req.headers['accept-language']?.toLowerCase().startsWith('en') ? 'en' : 'id';
  const { type, body } = refusal(String(req.url).split('?')[0] ?? '', status, 'BAD_REQUEST', lang);
  void reply.status(status).header('content-type', type).send(body);
}

/** Fastify's `clientErrorHandler`: writes the answer on the socket and closes it, as Fastify's default does. */
export function clientErrorHandler(error: ConnectionError, socket: Socket): void {
  const err = error as ClientError;
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code } = classify(err);
  const { type, body } = refusal(requestPath(err.rawPacket), status, code, 'id');
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: ${type}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(err);
}
