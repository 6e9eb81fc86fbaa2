/** GET / : the home page with the public numbers (counted at most once a minute). */
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { cachedPublicSummary } from '../../queries/public-summary.ts';
import { HomePage } from '../../views/pages/home.tsx';
import { pageContext, sendPage } from './render.ts';

/** Registers the home page. */
export async function homeRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  app.get('/', async (req, reply) => {
    const summary = await cachedPublicSummary(opts.services.db, opts.services.now());
    return sendPage(reply, req, h(HomePage, { ctx: pageContext(req), summary }));
  });
}
