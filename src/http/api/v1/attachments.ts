/** JSON API v1: multipart attachment upload and download. */
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../app/context.ts';
import { AppError, invalid } from '../../../app/errors.ts';
import { addAttachment, ATTACHMENT_LIMITS, openAttachment } from '../../../commands/add-attachment.ts';
import { releaseInlineImage } from '../../../commands/release-inline-image.ts';
import { inlineDisposition } from '../../../presenters/attachment.ts';
import { TrackingParams } from './schemas.ts';

/**
 * Sends a stored attachment as a download: its sniffed type, inline under `name` (RFC 6266, any script), never
 * re-sniffed by the browser. Shared by every route that serves a file (here and Open311 `media/{id}`).
 */
export function sendAttachment(
  reply: FastifyReply,
  file: { mime: string; name: string; stream: Readable },
  opts: { cacheControl?: string } = {},
): FastifyReply {
  reply.header('content-type', file.mime);
  reply.header('content-disposition', inlineDisposition(file.name));
  reply.header('x-content-type-options', 'nosniff');
  if (opts.cacheControl) reply.header('cache-control', opts.cacheControl);
  return reply.send(file.stream);
}

export const attachmentRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;
  app.post(
    '/reports/:trackingId/attachments',
    {
      schema: {
        tags: ['reports'],
        summary: 'Attach a photo or PDF (multipart, field "file")',
        params: TrackingParams,
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const stored = [];
      for await (const part of req.files({ limits: { fileSize: ATTACHMENT_LIMITS.maxBytes, files: 5 } })) {
        const data = await part.toBuffer().catch((e: { code?: string }) => {
          if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE');
          throw e;
        });
        const row = await addAttachment(svc, req.caller, req.params.trackingId, {
          filename: part.filename,
          data,
        });
        stored.push({
          id: row.id,
          filename: row.originalFilename,
          mime: row.mime,
          size: row.size,
          sha256: row.sha256,
        });
      }
      if (!stored.length) throw invalid({ file: { key: 'required' } });
      return reply.status(201).send({ items: stored });
    },
  );

  app.get(
    '/reports/:trackingId/attachments/:attachmentId',
    {
      schema: {
        tags: ['reports'],
        summary: 'Download an attachment',
        params: TrackingParams.extend({ attachmentId: z.uuid() }),
      },
    },
    async (req, reply) => {
      const { row, name, stream } = await openAttachment(
        svc,
        req.caller,
        req.params.trackingId,
        req.params.attachmentId,
      );
      return sendAttachment(reply, { mime: row.mime, name, stream });
    },
  );

  app.post(
    '/reports/:trackingId/attachments/:attachmentId/release',
    {
      schema: {
        tags: ['reports'],
        summary:
          "Release an image from an anonim reporter's email body to the agency (verifiers who may see the reporter)",
        params: TrackingParams.extend({ attachmentId: z.uuid() }),
      },
    },
    async (req) => {
      const released = await releaseInlineImage(
        svc,
        req.caller,
        req.params.trackingId,
        req.params.attachmentId,
      );
      return { id: released.id, releasedAt: released.releasedAt.toISOString() };
    },
  );
};
