/**
 * Back-office notification pages: the in-app list with the unread count (`/kantor/notifikasi`), the
 * preferences form (`/kantor/preferensi`) and a report's delivery log (`/kantor/laporan/:id/pengiriman`).
 *
 * Accessibility notes: tables have captions and `scope="col"` headers; read/unread is text, not colour;
 * the preferences form groups channels in a fieldset with a legend; the saved notice uses role="status".
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { Checkboxes, Radios } from '../components/fields.tsx';
import type { DeliveryLogRow, NotificationItem, PreferencesView } from '../../queries/notifications.ts';
import { staffNav } from './common.tsx';
import { ombudsmanNav } from './ombudsman-office.tsx';
import { noticeReportPath } from '../../presenters/notification.ts';
import { formatDateTime } from '../format.ts';
import { has } from '../../locales/index.ts';
import { formatIsoInZone } from '../../domain/deadline/calendar.ts';
import type { ZoneName } from '../../domain/report/report.ts';
import { DeliveryReasonText } from './delivery-reason.tsx';

const STYLES = ['/static/staff.css'];

/** Date and time with its zone label ("12 Maret 2026 10.00 WIB"): the log is read across time zones. */
const when = (ctx: PageContext, iso: string): string => formatDateTime(iso, ctx.lang);

/** A message kind in words: `notify.<event>` names its timeline event ("Laporan diterima"); others stay as coded. */
function kindLabel(ctx: PageContext, kind: string): string {
  const event = kind.startsWith('notify.') ? `event.${kind.slice('notify.'.length)}` : null;
  return event && has(ctx.lang, event) ? ctx.t(event) : '';
}

/** The menu of these pages: the Ombudsman's own for Ombudsman staff (the rest of the back office is closed to them). */
function noticeNav(ctx: PageContext) {
  return (ctx.user?.roles ?? []).includes('ombudsman') ? ombudsmanNav(ctx, null) : staffNav(ctx, null);
}

/** The zone of each notice's time: its report's when known, else the viewer's (`noticeZones` in the route). */
export interface NoticeZones {
  byReport: Record<string, ZoneName>;
  viewer: ZoneName;
  /**
   * Reports the viewer can no longer open (handed over, re-dispatched, pulled back): their notices say so instead of
   * linking to a 404 or 403.
   */
  closed?: string[] | undefined;
}

/** The in-app notification list. */
export function NotificationsPage({
  ctx,
  unread,
  items,
  zones,
}: {
  ctx: PageContext;
  unread: number;
  items: NotificationItem[];
  /** Without it, times read in their own offset (UTC instants then show as WIB). */
  zones?: NoticeZones | undefined;
}): VNode {
  // The stored instant is UTC: shown in the report's zone (WITA for a Kalimantan Timur report), else the viewer's.
  const noticeTime = (n: NotificationItem): string => {
    const zone = zones
      ? ((n.trackingId ? zones.byReport[n.trackingId] : undefined) ?? zones.viewer)
      : undefined;
    return when(ctx, zone ? formatIsoInZone(new Date(n.createdAt), zone) : n.createdAt);
  };
  return (
    <Layout ctx={ctx} title={ctx.t('notifications.title')} nav={noticeNav(ctx)} stylesheets={STYLES}>
      <h1>{ctx.t('notifications.title')}</h1>
      <p>
        <strong>{ctx.t('notifications.unread_count', { n: unread })}</strong> ·{' '}
        <a href="/kantor/preferensi">{ctx.t('notifications.prefs_link')}</a>
      </p>
      {unread > 0 ? (
        <form method="post" action="/kantor/notifikasi/baca">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <button type="submit" class="button">
            {ctx.t('notifications.mark_all')}
          </button>
        </form>
      ) : null}
      {items.length === 0 ? (
        <p>{ctx.t('notifications.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{ctx.t('notifications.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{ctx.t('notifications.col_when')}</th>
                <th scope="col">{ctx.t('notifications.col_what')}</th>
                <th scope="col">{ctx.t('notifications.col_report')}</th>
                <th scope="col">{ctx.t('notifications.col_state')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id}>
                  <td>{noticeTime(n)}</td>
                  <td>{n.readAt ? n.title : <strong>{n.title}</strong>}</td>
                  <td>
                    {!n.trackingId ? (
                      '—'
                    ) : zones?.closed?.includes(n.trackingId) ? (
                      <span data-slot="out-of-scope">
                        {n.trackingId} ({ctx.t('notifications.out_of_scope')})
                      </span>
                    ) : (
                      <a href={noticeReportPath(n.kind, n.trackingId)}>{n.trackingId}</a>
                    )}
                  </td>
                  <td>{ctx.t(n.readAt ? 'notifications.read' : 'notifications.unread')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** The preferences form. */
export function PreferencesPage({
  ctx,
  prefs,
  saved,
  error,
  message,
}: {
  ctx: PageContext;
  prefs: PreferencesView;
  saved: boolean;
  error?: string | undefined;
  /** A form-level message (a stale form token: the choices sent are shown, send them again). */
  message?: string | undefined;
}): VNode {
  const values = [
    prefs.email ? 'email' : '',
    prefs.sms ? 'sms' : '',
    prefs.inApp ? 'inApp' : '',
    prefs.digest ? 'digest' : '',
  ].filter(Boolean);
  return (
    <Layout
      ctx={ctx}
      title={ctx.t('notifications.prefs.title')}
      nav={noticeNav(ctx)}
      stylesheets={STYLES}
      hasErrors={!!error || !!message}
    >
      <ErrorSummary ctx={ctx} errors={error ? { channels: error } : {}} message={message} />
      <h1>{ctx.t('notifications.prefs.title')}</h1>
      {saved ? (
        <p class="notice-ok" role="status">
          {ctx.t('notifications.prefs.saved')}
        </p>
      ) : null}
      <p>{ctx.t('notifications.prefs.intro')}</p>
      <form method="post" action="/kantor/preferensi" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <Checkboxes
          ctx={ctx}
          name="channels"
          legend={ctx.t('notifications.prefs.channels')}
          values={values}
          error={error}
          options={[
            { value: 'email', label: ctx.t('notifications.prefs.email') },
            { value: 'sms', label: ctx.t('notifications.prefs.sms') },
            { value: 'inApp', label: ctx.t('notifications.prefs.in_app') },
            { value: 'digest', label: ctx.t('notifications.prefs.digest') },
          ]}
        />
        <Radios
          ctx={ctx}
          name="lang"
          legend={ctx.t('notifications.prefs.lang')}
          value={prefs.lang}
          options={[
            { value: 'id', label: ctx.t('notifications.prefs.lang_id') },
            { value: 'en', label: ctx.t('notifications.prefs.lang_en') },
          ]}
        />
        <button type="submit" class="button">
          {ctx.t('notifications.prefs.save')}
        </button>
      </form>
    </Layout>
  );
}

/** A report's delivery log. */
export function DeliveryLogPage({
  ctx,
  trackingId,
  rows,
  zone,
}: {
  ctx: PageContext;
  trackingId: string;
  rows: DeliveryLogRow[];
  /** The report's zone (`reportZone`): every time of the log is read in it. */
  zone: ZoneName;
}): VNode {
  const title = ctx.t('notifications.log.title', { tracking: trackingId });
  const at = (iso: string) => when(ctx, formatIsoInZone(new Date(iso), zone));
  return (
    <Layout ctx={ctx} title={title} nav={noticeNav(ctx)} stylesheets={STYLES}>
      <h1>{title}</h1>
      <p>{ctx.t('notifications.log.intro')}</p>
      <p>
        <a href={`/kantor/laporan/${trackingId}`}>{ctx.t('notifications.log.back')}</a>
      </p>
      {rows.length === 0 ? (
        <p>{ctx.t('notifications.log.empty')}</p>
      ) : (
        // The wide table scrolls on its own at 360 px: a focusable, named region, so the keyboard can scroll it.
        <div class="table-scroll" tabIndex={0} role="region" aria-label={title}>
          <table>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{ctx.t('notifications.log.col_kind')}</th>
                <th scope="col">{ctx.t('notifications.log.col_channel')}</th>
                <th scope="col">{ctx.t('notifications.log.col_recipient')}</th>
                <th scope="col">{ctx.t('notifications.log.col_status')}</th>
                <th scope="col">{ctx.t('notifications.log.col_created')}</th>
                <th scope="col">{ctx.t('notifications.log.col_sent')}</th>
                <th scope="col">{ctx.t('notifications.log.col_attempts')}</th>
                <th scope="col">{ctx.t('notifications.log.col_error')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>
                    {kindLabel(ctx, r.kind)} <code class="hint">{r.kind}</code>
                  </td>
                  <td>{r.channel ?? '—'}</td>
                  <td>
                    {r.recipient.kind === 'other'
                      ? r.recipient.name
                      : ctx.t(`notifications.log.recipient.${r.recipient.kind}`, {
                          name: r.recipient.name ?? '',
                        })}
                  </td>
                  <td>{ctx.t(`notifications.log.status.${r.status}`)}</td>
                  <td>{at(r.createdAt)}</td>
                  <td>{r.sentAt ? at(r.sentAt) : '—'}</td>
                  <td>{r.attempts}</td>
                  <td>
                    <DeliveryReasonText ctx={ctx} lastError={r.lastError} empty="—" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
