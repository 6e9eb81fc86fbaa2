/**
 * Channel webhooks under /channels: SMS gateway (HMAC-signed) and inbound email. Errors use the JSON API
 * shape; a bad or missing signature is 401.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/context.ts';
import { classifyError, errorBody, requestLang } from '../plugins/errors.ts';
import { emailRoutes } from './email.ts';
import { smsRoutes, type ChannelOptions } from './sms.ts';

export type { ChannelOptions } from './sms.ts';

/** Registers the channel webhooks (mount with prefix '/channels'). */
export async function channelRoutes(
  app: FastifyInstance,
  opts: { services: Services; channels: ChannelOptions },
) {
  app.setErrorHandler((err, req, reply) => {
    const c = classifyError(err);
    const status = c.code === 'SIGNATURE_INVALID' ? 401 : c.status === 422 ? 422 : c.status;
    if (status >= 500) req.log.error({ err }, 'channel webhook error');
    return reply.status(status).send(errorBody(c.code, c.fields, requestLang(req), c.params));
  });
  await app.register(smsRoutes, { ...opts, prefix: '/sms' });
  await app.register(emailRoutes, { ...opts, prefix: '/email' });
}
