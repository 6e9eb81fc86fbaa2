/** GET / : the home page with live public numbers. */
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { publicSummary } from '../../queries/public-summary.ts';
import { HomePage } from '../../views/pages/home.tsx';
import { pageContext, sendPage } from './render.ts';

/** Registers the home page. */
export async function homeRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  app.get('/', async (req, reply) => {
    const summary = await publicSummary(opts.services.db);
    return sendPage(reply, req, h(HomePage, { ctx: pageContext(req), summary }));
  });
}
