/**
 * GET media/{id} (production endpoint): the files an Open311 request lists in `media_url` / `media_urls`,
 * fetchable by the client they are given to. Keyless, or with another partner's key: a public file of a
 * public report (the agency's public follow-up files, as the public report page serves them), under its
 * neutral name. With the `api_key` of the partner that submitted the request (query string, D13): also its own
 * request's files in every status, the reporter's uploads included, served as to the reporter. Anything else
 * answers 404, the same as an unknown id. Same headers as every attachment download (`sendAttachment`).
 */
import type { FastifyInstance } from 'fastify';
import { PUBLIC_CALLER } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { openAttachment } from '../../commands/add-attachment.ts';
import { neutralFilename } from '../../presenters/attachment.ts';
import { findOpen311Media } from '../../queries/open311.ts';
import { sendAttachment } from '../api/v1/attachments.ts';
import type { Open311Context } from './context.ts';
import { param, type Fields } from './input.ts';
import { partnerOf } from './partner-key.ts';

/** The path of one media file under an endpoint (what `media_urls` link to). */
export const mediaPath = (attachmentId: string) => `/media/${attachmentId}`;

/** Registers GET media/{id} on the production endpoint. */
export async function mediaRoutes(ep: FastifyInstance, ctx: Open311Context): Promise<void> {
  const { svc } = ctx;
  ep.get('/media/:id', { schema: { hide: true }, preHandler: ctx.readLimit }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const partner = await partnerOf(svc, param(req.query as Fields, 'api_key'));
    const access = await findOpen311Media(svc.db, id, partner?.id);
    if (!access) throw new AppError('NOT_FOUND');
    // The submitting partner acts as the reporter (as for its servicerequestupdates); anyone else as the public.
    const caller = access.accessKeyEnc
      ? { ...PUBLIC_CALLER, accessKey: svc.sealer.open<string>(access.accessKeyEnc) }
      : PUBLIC_CALLER;
    const { row, name, stream } = await openAttachment(svc, caller, access.trackingId, id);
    return sendAttachment(
      reply,
      { mime: row.mime, name: access.accessKeyEnc ? name : neutralFilename(row), stream },
      // Never kept by shared caches: the report may be made confidential later.
      { cacheControl: access.accessKeyEnc ? 'private, no-store' : 'no-store' },
    );
  });
}
