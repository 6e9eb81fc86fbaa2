/**
 * The Ombudsman's read-only back office (`/kantor/ombudsman`): the reports handed over to the Ombudsman in the
 * office's region, and one report's hand-off package (`handoffPackage`: the report, its timeline without internal
 * notes, the attachments it lists, and the reporter's identity only when the reporter allowed it and the report is
 * not anonim). No action forms: the Ombudsman works the case in its own system.
 *
 * Accessibility notes: the list is the queue's table (caption, `scope="col"` headers, rows stacked below 40rem with
 * `data-label`); the attachment list is a captioned table; the timeline is the shared ordered list.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Pagination } from '../components/pagination.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { Timeline, type TimelineItem } from '../components/timeline.tsx';
import { formatIsoInZone } from '../../domain/deadline/calendar.ts';
import type { ZoneName } from '../../domain/report/report.ts';
import type { HandoffPackage } from '../../queries/handoff-package.ts';
import type { Page } from '../../queries/reports.ts';
import { dateLabel, dateTimeLabel, notificationsNavItem, privacyLabel, STAFF_STYLES } from './common.tsx';

/**
 * The Ombudsman's menu: its list, its notifications (with the unread count), the password page and the public site
 * (every other /kantor page is 403).
 */
export function ombudsmanNav(ctx: PageContext, current: 'list' | null) {
  return [
    { href: '/kantor/ombudsman', label: ctx.t('staff.ombudsman.nav'), current: current === 'list' },
    notificationsNavItem(ctx),
    { href: '/kantor/kata-sandi', label: ctx.t('admin.password.nav') },
    { href: '/', label: ctx.t('staff.nav.public_site') },
  ];
}

/** One handed-over report in the list, its instants already in the report's zone. */
export interface HandedOverRow {
  trackingId: string;
  title: string;
  status: string;
  agency: string | null;
  /** When it was received, ISO 8601 with the report zone's offset. */
  receivedAt: string;
  /** When it was handed over (`closed_at`), ISO 8601 with the report zone's offset; null when not recorded. */
  handedOverAt: string | null;
}

/** The list page. */
export function OmbudsmanListPage({ ctx, rows }: { ctx: PageContext; rows: Page<HandedOverRow> }): VNode {
  const col = (key: string) => ctx.t(`staff.queue.${key}`);
  const caption = ctx.t('staff.ombudsman.caption', { count: rows.total });
  return (
    <Layout
      ctx={ctx}
      title={ctx.t('staff.ombudsman.title')}
      nav={ombudsmanNav(ctx, 'list')}
      stylesheets={STAFF_STYLES}
    >
      <h1>{ctx.t('staff.ombudsman.title')}</h1>
      <p class="hint">{ctx.t('staff.ombudsman.intro')}</p>
      {rows.items.length === 0 ? (
        <p>{ctx.t('staff.ombudsman.empty')}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
          <table class="queue-table table-stack">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{col('col_tracking')}</th>
                <th scope="col">{col('col_title')}</th>
                <th scope="col">{col('col_status')}</th>
                <th scope="col">{col('col_agency')}</th>
                <th scope="col">{col('col_received')}</th>
                <th scope="col">{ctx.t('staff.ombudsman.col_transferred')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.items.map((r) => (
                <tr key={r.trackingId}>
                  <td data-label={col('col_tracking')}>
                    <a href={`/kantor/ombudsman/laporan/${r.trackingId}`}>{r.trackingId}</a>
                  </td>
                  <td data-label={col('col_title')}>{r.title}</td>
                  <td data-label={col('col_status')}>
                    <StatusTag ctx={ctx} status={r.status} />
                  </td>
                  <td data-label={col('col_agency')}>{r.agency ?? ctx.t('staff.queue.unassigned')}</td>
                  <td data-label={col('col_received')}>{dateLabel(ctx, r.receivedAt)}</td>
                  <td
                    data-label={ctx.t('staff.ombudsman.col_transferred')}
                    data-handed-over={r.handedOverAt ?? ''}
                  >
                    {dateLabel(ctx, r.handedOverAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        ctx={ctx}
        page={rows.page}
        pageSize={rows.pageSize}
        total={rows.total}
        base="/kantor/ombudsman"
        params={{}}
      />
    </Layout>
  );
}

/** Props of the hand-off package page. */
export interface OmbudsmanReportPageProps {
  ctx: PageContext;
  pkg: HandoffPackage;
  zone: ZoneName;
  /** Display names of the handling agency and the report's region trail (most specific first). */
  agencyName: string | null;
  regionNames: string[];
}

function Row({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="summary-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The hand-off package of one report, read-only. */
export function OmbudsmanReportPage(p: OmbudsmanReportPageProps): VNode {
  const { ctx, pkg, zone } = p;
  const local = (iso: string) => formatIsoInZone(new Date(iso), zone);
  const items: TimelineItem[] = pkg.timeline.map((e) => ({
    key: String(e.seq),
    at: local(e.at),
    atLabel: dateTimeLabel(ctx, local(e.at), zone),
    label: ctx.t(`event.${e.type}`),
    body: e.body,
    tone: 'agency',
  }));
  const title = ctx.t('staff.ombudsman.report_title', { id: pkg.trackingId });
  const who = pkg.reporter;
  return (
    <Layout ctx={ctx} title={title} nav={ombudsmanNav(ctx, null)} stylesheets={STAFF_STYLES}>
      <a class="back-link" href="/kantor/ombudsman">
        {ctx.t('staff.ombudsman.back')}
      </a>
      <h1>
        {title}: {pkg.title}
      </h1>
      <p>
        <StatusTag ctx={ctx} status={pkg.status} />
      </p>
      <p class="hint">{ctx.t('staff.ombudsman.read_only')}</p>

      <h2>{ctx.t('staff.report.details')}</h2>
      <dl class="summary-list">
        <Row label={ctx.t('staff.report.classification')}>
          {ctx.t(`staff.report.classification_name.${pkg.classification}`)}
        </Row>
        <Row label={ctx.t('staff.report.region')}>
          {pkg.regionCode
            ? p.regionNames.length
              ? `${p.regionNames.join(', ')} (${pkg.regionCode})`
              : pkg.regionCode
            : ctx.t('staff.report.none')}
        </Row>
        <Row label={ctx.t('staff.report.received')}>{dateTimeLabel(ctx, local(pkg.createdAt), zone)}</Row>
        <Row label={ctx.t('staff.report.agency')}>{p.agencyName ?? ctx.t('staff.queue.unassigned')}</Row>
        <Row label={ctx.t('staff.report.privacy')}>{privacyLabel(ctx, pkg)}</Row>
        {pkg.consent ? (
          <Row label={ctx.t('staff.ombudsman.consent')}>
            {ctx.t(`staff.ombudsman.consent_via.${pkg.consent.via}`, {
              at: dateTimeLabel(ctx, local(pkg.consent.at), zone),
            })}
            {pkg.consent.note ? <span class="body-text"> {pkg.consent.note}</span> : null}
          </Row>
        ) : null}
        <Row label={ctx.t('staff.report.body')}>
          <span class="body-text">{pkg.body}</span>
        </Row>
      </dl>

      <h2>{ctx.t('staff.report.reporter')}</h2>
      {who ? (
        <div class="panel reporter-identity" data-slot="reporter-identity">
          <p>{ctx.t('staff.ombudsman.identity_shared')}</p>
          <dl class="summary-list">
            {who.name ? <Row label={ctx.t('staff.report.name')}>{who.name}</Row> : null}
            {who.email ? <Row label={ctx.t('staff.report.email')}>{who.email}</Row> : null}
            {who.phone ? <Row label={ctx.t('staff.report.phone')}>{who.phone}</Row> : null}
          </dl>
          <p class="hint">{ctx.t('staff.report.reporter_logged')}</p>
        </div>
      ) : (
        <p data-slot="reporter-hidden">
          {ctx.t(
            pkg.anonymous ? 'staff.ombudsman.identity_anonymous' : 'staff.ombudsman.identity_not_shared',
          )}
        </p>
      )}

      <h2>{ctx.t('staff.report.attachments')}</h2>
      {pkg.attachments.length === 0 ? (
        <p>{ctx.t('staff.report.attachments_none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{ctx.t('staff.ombudsman.attachments_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{ctx.t('staff.ombudsman.col_file')}</th>
                <th scope="col">{ctx.t('staff.ombudsman.col_type')}</th>
                <th scope="col">{ctx.t('staff.ombudsman.col_size')}</th>
                <th scope="col">{ctx.t('staff.ombudsman.col_sha')}</th>
              </tr>
            </thead>
            <tbody>
              {pkg.attachments.map((a) => (
                <tr key={a.id}>
                  <td>
                    <a href={`/api/v1/reports/${pkg.trackingId}/attachments/${a.id}`}>{a.filename}</a>
                  </td>
                  <td>{a.mime}</td>
                  <td>{Math.ceil(a.size / 1024)} KB</td>
                  <td>
                    <code>{a.sha256.slice(0, 16)}…</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{ctx.t('staff.ombudsman.timeline')}</h2>
      <Timeline ctx={ctx} items={items} />
    </Layout>
  );
}
