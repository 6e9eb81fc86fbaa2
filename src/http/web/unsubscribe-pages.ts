/**
 * The link in a supporter's update email (ADR 0015, amendment 1; src/commands/supporter-unsubscribe.ts):
 * `GET /kabar/berhenti?t=<token>` asks to confirm, `POST` stops the updates and says so. No sign-in: the token is the
 * authority, so the POST skips the session's CSRF check, and a mail client's one-click POST (RFC 8058, body
 * `List-Unsubscribe=One-Click`, url-encoded or multipart) works the same way. The body is never read. An unknown
 * token is one neutral 404 page. The URL holds the token: never sent on in a Referer header, never cached, never
 * indexed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import {
  stopUpdatesByLink,
  unsubscribeTarget,
  UNSUBSCRIBE_PATH,
  type UnsubscribeTarget,
} from '../../commands/supporter-unsubscribe.ts';
import { AccountMessagePage, UnsubscribePage } from '../../views/account/account-pages.tsx';
import { pageContext, sendPage } from './render.ts';

type Req = FastifyRequest<{ Querystring: { t?: string } }>;

/** Registers GET and POST /kabar/berhenti. */
export async function unsubscribePages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const svc = opts.services;
  const tokenOf = (req: Req) => (typeof req.query.t === 'string' ? req.query.t : '');

  function message(
    req: Req,
    reply: FastifyReply,
    kind: 'invalid' | 'done' | 'already',
    target: UnsubscribeTarget | null,
  ) {
    const ctx = pageContext(req);
    const r = target?.report;
    const body =
      kind === 'invalid'
        ? ctx.t('account.unsubscribe.invalid_body')
        : r
          ? `${ctx.t(`account.unsubscribe.${kind}`, { tracking: r.trackingId })} ${ctx.t('account.unsubscribe.restart')}`
          : // A report that left the public pages cannot be followed again: no way back offered.
            ctx.t(`account.unsubscribe.${kind}_hidden`);
    return sendPage(
      reply,
      req,
      h(AccountMessagePage, {
        ctx,
        title: ctx.t(`account.unsubscribe.${kind === 'invalid' ? 'invalid' : kind}_title`),
        body,
        status: kind === 'done' ? 'ok' : 'plain',
        link: r
          ? {
              href: `/laporan/${r.trackingId}`,
              label: ctx.t('account.unsubscribe.report_link', { tracking: r.trackingId }),
            }
          : undefined,
      }),
      kind === 'invalid' ? 404 : 200,
    );
  }

  const privateHeaders = (reply: FastifyReply) =>
    reply
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex');

  app.get<{ Querystring: { t?: string } }>(UNSUBSCRIBE_PATH, async (req, reply) => {
    privateHeaders(reply);
    const token = tokenOf(req);
    const target = await unsubscribeTarget(svc, token);
    if (!target) return message(req, reply, 'invalid', null);
    if (!target.updates) return message(req, reply, 'already', target);
    return sendPage(
      reply,
      req,
      h(UnsubscribePage, {
        ctx: pageContext(req),
        action: `${UNSUBSCRIBE_PATH}?t=${encodeURIComponent(token)}`,
        report: target.report,
      }),
    );
  });

  app.post<{ Querystring: { t?: string } }>(
    UNSUBSCRIBE_PATH,
    { config: { skipCsrf: true } },
    async (req, reply) => {
      privateHeaders(reply);
      const target = await stopUpdatesByLink(svc, tokenOf(req));
      return message(req, reply, target ? 'done' : 'invalid', target);
    },
  );
}
