/**
 * A GET on a page address that only takes form posts (a refresh or "back" after a refused post, a shared or
 * bookmarked URL such as `/lacak/<id>/supplement` or `/lapor/kirim`) answers 303 to the page that holds the form,
 * instead of a 404. One mechanism for every such route: `collectFormPosts` records the POST routes of the pages as
 * they are registered, and `redirectFormGets` (once every page plugin is registered) adds a GET for each one that
 * has no GET of its own. The target is the form's page as the language switch finds it (`formPageOf`: the route's
 * `config.langPath`, else the nearest ancestor with a GET route, else the home page), keeping `?lang=`. The GET
 * never acts: nothing is read from it but its path and language. These GETs are listed in `FORM_REDIRECTS`, so the
 * language switch of a re-rendered form never links to one.
 */
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { FORM_REDIRECTS, formPageOf } from './render.ts';

/** Paths that are not citizen pages: the APIs, channels, the back office (its own error page) and assets. */
const NOT_CITIZEN_PAGE = /^\/(api|open311|channels|kantor|metrics|static)(\/|$)/;

/** A POST route of the pages, as registered. */
interface FormPost {
  url: string;
  langPath: FastifyContextConfig['langPath'];
}

/** Starts recording the citizen pages' POST routes (call before registering the page plugins). */
export function collectFormPosts(app: FastifyInstance): FormPost[] {
  const posts: FormPost[] = [];
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    if (!methods.includes('POST') || route.url.includes('*') || NOT_CITIZEN_PAGE.test(route.url)) return;
    posts.push({ url: route.url, langPath: route.config?.langPath });
  });
  return posts;
}

/** Adds the 303 GET for each recorded POST route without a GET route of the same pattern. */
export function redirectFormGets(app: FastifyInstance, posts: FormPost[]): void {
  for (const post of posts) {
    if (app.hasRoute({ method: 'GET', url: post.url })) continue;
    FORM_REDIRECTS.add(post.url);
    app.get(post.url, { schema: { hide: true } }, async (req, reply) => {
      const url = new URL(req.url, 'http://x');
      const target = new URL(formPageOf(req, url, post.url, post.langPath, true), 'http://x');
      // The language asked for stays (`?lang=en`), nothing else of the query is carried over.
      const lang = url.searchParams.get('lang');
      if (lang === 'id' || lang === 'en') target.searchParams.set('lang', lang);
      return reply.redirect(target.pathname + target.search, 303);
    });
  }
}
