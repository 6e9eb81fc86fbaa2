/**
 * JSON bodies of the JSON API must be UTF-8 (RFC 8259 §8.1). Fastify's own parser decodes the bytes leniently, so
 * an invalid sequence (`\xff\xfe`) would become U+FFFD and be stored as such; here the bytes are decoded strictly
 * first and such a body answers 400 `INVALID_JSON`, as any other body that is not JSON. The rest (empty body,
 * syntax, `__proto__` keys) is Fastify's default JSON parser with its default options.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../app/errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Replaces the `application/json` parser of `app` (an encapsulated scope) with the strict UTF-8 one. */
export function registerStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new AppError('INVALID_JSON', {}, { reason: 'utf8' }), undefined);
      return;
    }
    parseJson(req, text, done);
  });
}
