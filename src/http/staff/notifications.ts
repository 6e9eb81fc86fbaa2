/**
 * Back-office notifications: GET /kantor/notifikasi (list, unread count), POST /kantor/notifikasi/baca
 * (mark all read), GET/POST /kantor/preferensi (channels, digest, language), and
 * GET /kantor/laporan/:trackingId/pengiriman (the report's delivery log, staff in scope only). Also the
 * preHandler that puts the unread count on every back-office page (the badge in the menu).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { markNotificationsRead } from '../../commands/mark-notifications-read.ts';
import { setNotificationPreferences } from '../../commands/set-notification-preferences.ts';
import {
  deliveryLog,
  getPreferences,
  listNotifications,
  unreadCount,
  type NotificationItem,
} from '../../queries/notifications.ts';
import { scopeZone } from '../../queries/stats-drill.ts';
import { statsScopeOf } from '../../queries/stats-scope.ts';
import { reportZone } from '../../presenters/report.ts';
import type { ZoneName } from '../../domain/report/report.ts';
import type { Caller } from '../../app/context.ts';
import { getReport } from '../../queries/reports.ts';
import { isBackOfficeActor } from '../../queries/queues.ts';
import {
  DeliveryLogPage,
  NotificationsPage,
  PreferencesPage,
} from '../../views/staff/notifications-page.tsx';
import { pageContext, sendPage, type StaleFormRoute } from '../web/render.ts';
import { cleanBody, list, requireStaff, type FormBody } from './forms.ts';
import { isOmbudsmanActor } from './ombudsman-office.ts';

/** Sets `req.unreadNotifications` for signed-in staff and Ombudsman staff (read by pageContext for the menu badge). */
export function unreadBadgeHook(svc: Services) {
  return async (req: FastifyRequest): Promise<void> => {
    const s = req.session;
    const a = req.caller.actor;
    if (!s || s.via !== 'cookie' || !a.userId || !(isBackOfficeActor(a) || isOmbudsmanActor(a))) return;
    (req as FastifyRequest & { unreadNotifications?: number }).unreadNotifications = await unreadCount(
      svc,
      a.userId,
    );
  };
}

/**
 * The zone each notice's time is read in: its report's (`reportZone`, as the report page's timeline) when the viewer
 * may still open the report, else the viewer's own (the region's for a coordinator, the agency's for agency staff,
 * WIB nationally). The stored instants are UTC, which would otherwise read as WIB.
 */
async function noticeZones(
  svc: Services,
  caller: Caller,
  items: NotificationItem[],
): Promise<{ byReport: Record<string, ZoneName>; viewer: ZoneName; closed: string[] }> {
  const viewer = await scopeZone(svc.db, statsScopeOf(caller.actor) ?? { kind: 'national' });
  const ids = [...new Set(items.map((n) => n.trackingId).filter((id): id is string => !!id))];
  // A report the viewer can no longer open (handed over, re-dispatched, pulled back) is `closed`: no link to a 404.
  const zones = await Promise.all(
    ids.map((id) =>
      getReport(svc, caller, id).then(
        (v) => ({ zone: reportZone(v.report), open: true }),
        () => ({ zone: viewer, open: false }),
      ),
    ),
  );
  return {
    byReport: Object.fromEntries(ids.map((id, i) => [id, zones[i]!.zone])),
    viewer,
    closed: ids.filter((_, i) => !zones[i]!.open),
  };
}

/**
 * The gate of the notification list and preferences: back-office staff, and the Ombudsman's staff, who are told of
 * hand-offs to their office (their notices link to `/kantor/ombudsman/laporan/:trackingId`).
 */
function requireNoticeReader(req: FastifyRequest, reply: FastifyReply): boolean {
  if (req.session && isOmbudsmanActor(req.caller.actor)) return true;
  return requireStaff(req, reply);
}

/** The preferences a posted form chooses (the channels' checkboxes, the language's radio). */
function preferencesOf(body: FormBody) {
  const ch = new Set(list(body.channels));
  return {
    email: ch.has('email'),
    sms: ch.has('sms'),
    inApp: ch.has('inApp'),
    digest: ch.has('digest'),
    lang: body.lang === 'en' ? ('en' as const) : ('id' as const),
  };
}

/** Registers the notification pages. */
export const staffNotificationRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  app.get('/kantor/notifikasi', async (req, reply) => {
    if (!requireNoticeReader(req, reply)) return reply;
    const { unread, items } = await listNotifications(svc, req.caller.actor.userId!, { limit: 100 });
    const zones = await noticeZones(svc, req.caller, items);
    return sendPage(reply, req, h(NotificationsPage, { ctx: pageContext(req), unread, items, zones }));
  });

  app.post('/kantor/notifikasi/baca', async (req, reply) => {
    if (!requireNoticeReader(req, reply)) return reply;
    await markNotificationsRead(svc, req.caller.actor.userId!, { all: true });
    return reply.redirect('/kantor/notifikasi', 303);
  });

  app.get('/kantor/preferensi', async (req, reply) => {
    if (!requireNoticeReader(req, reply)) return reply;
    const prefs = await getPreferences(svc, req.caller.actor.userId!);
    const saved = (req.query as Record<string, string | undefined>).tersimpan === '1';
    return sendPage(reply, req, h(PreferencesPage, { ctx: pageContext(req), prefs, saved }));
  });

  // A stale token: the form again with the choices sent, a fresh token and the stale message (web/stale-form.ts), for
  // whom may open it (the GET's gate); nothing is saved.
  const staleForm: StaleFormRoute = {
    action: 'preferences',
    allowed: (req, reply) =>
      !!req.session && !req.session.mustChangePassword && requireNoticeReader(req, reply),
    page: (req, reply, form, status) =>
      sendPage(
        reply,
        req,
        h(PreferencesPage, {
          ctx: pageContext(req),
          prefs: preferencesOf(cleanBody(form.values)),
          saved: false,
          message: form.message,
        }),
        status,
      ),
  };

  app.post('/kantor/preferensi', { config: { staleForm } }, async (req, reply) => {
    if (!requireNoticeReader(req, reply)) return reply;
    const input = preferencesOf(cleanBody(req.body));
    if (!input.email && !input.sms && !input.inApp && !input.digest) {
      const ctx = pageContext(req);
      return sendPage(
        reply,
        req,
        h(PreferencesPage, { ctx, prefs: input, saved: false, error: ctx.t('notifications.prefs.error') }),
        422,
      );
    }
    await setNotificationPreferences(svc, req.caller.actor.userId!, input);
    return reply.redirect('/kantor/preferensi?tersimpan=1', 303);
  });

  app.get('/kantor/laporan/:trackingId/pengiriman', async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    const { trackingId } = req.params as { trackingId: string };
    if (!/^\d{10}$/.test(trackingId)) throw new AppError('REPORT_NOT_FOUND');
    const visible = await getReport(svc, req.caller, trackingId);
    // Staff in scope only: the same people who may write internal notes on the report.
    if (!visible.permissions.note) throw new AppError('FORBIDDEN');
    const rows = await deliveryLog(svc, visible.report.row.id, {
      reporterChannels: !visible.report.row.anonymous || visible.permissions.viewReporter,
    });
    // Times in the report's zone, as on its page (the stored instants are UTC, which would read as WIB).
    const zone = reportZone(visible.report);
    return sendPage(reply, req, h(DeliveryLogPage, { ctx: pageContext(req), trackingId, rows, zone }));
  });
};
