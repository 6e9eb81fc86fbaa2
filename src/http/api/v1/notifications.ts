/**
 * JSON API v1 for a signed-in user's notifications: the in-app list with the unread count, marking them
 * read, and the channel preferences (email, SMS, in-app, daily digest, language).
 */
import { z } from 'zod';
import { rowId } from './schemas.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../../app/context.ts';
import { AppError } from '../../../app/errors.ts';
import { markNotificationsRead } from '../../../commands/mark-notifications-read.ts';
import { setNotificationPreferences } from '../../../commands/set-notification-preferences.ts';
import { getPreferences, listNotifications } from '../../../queries/notifications.ts';
import { noticeReportPath } from '../../../presenters/notification.ts';

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  unread: z.enum(['1', 'true']).optional(),
});
const ReadBody = z.object({ ids: z.array(rowId).max(500).optional(), all: z.boolean().optional() }).strict();
/** Body of PUT /notifications/preferences. */
export const PreferencesBody = z
  .object({
    email: z.boolean(),
    sms: z.boolean(),
    inApp: z.boolean(),
    digest: z.boolean(),
    lang: z.enum(['id', 'en']).default('id'),
  })
  .strict();

function userIdOf(req: FastifyRequest): string {
  const id = req.caller.actor.userId;
  if (!id) throw new AppError('UNAUTHENTICATED');
  return id;
}

/** Routes under /api/v1/notifications. */
export const notificationRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;
  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My in-app notifications and unread count',
        querystring: ListQuery,
      },
    },
    async (req) => {
      const list = await listNotifications(svc, userIdOf(req), {
        ...(req.query.limit ? { limit: req.query.limit } : {}),
        unreadOnly: !!req.query.unread,
      });
      // `path`: the back-office page of the notice's report for this reader (an Ombudsman hand-off opens the office's
      // page), as the notifications page links it; null for a notice without a report.
      return {
        ...list,
        items: list.items.map((n) => ({
          ...n,
          path: n.trackingId ? noticeReportPath(n.kind, n.trackingId) : null,
        })),
      };
    },
  );
  app.post(
    '/notifications/read',
    { schema: { tags: ['notifications'], summary: 'Mark notifications read (ids, or all)', body: ReadBody } },
    async (req) => {
      const userId = userIdOf(req);
      const marked = await markNotificationsRead(svc, userId, req.body);
      return { marked, unread: (await listNotifications(svc, userId, { limit: 1 })).unread };
    },
  );
  app.get(
    '/notifications/preferences',
    { schema: { tags: ['notifications'], summary: 'My notification channels and digest choice' } },
    async (req) => getPreferences(svc, userIdOf(req)),
  );
  app.put(
    '/notifications/preferences',
    {
      schema: { tags: ['notifications'], summary: 'Save my notification preferences', body: PreferencesBody },
    },
    async (req) => setNotificationPreferences(svc, userIdOf(req), req.body),
  );
};
