/**
 * The back-office queue: one tab per stage (to verify, on hold, returned, dispatched, awaiting follow-up,
 * overdue, Ombudsman) with counts, and a table of the current tab's reports with their deadline countdown (on the
 * Ombudsman tab also whether each was handed over or is waiting for the reporter's consent, and since when).
 *
 * Accessibility notes:
 * - Tabs are plain links in a labelled `<nav>`, the current one with `aria-current="page"`: they work without
 *   JavaScript and each tab has its own URL (a real ARIA tablist would need scripting).
 * - The table has a caption naming the tab and count, and column headers with `scope="col"`.
 * - Below 40rem the rows stack (`table-stack` in staff.css): each cell shows its column name (`data-label`), so the
 *   deadline stays on screen at 360 px instead of in a column scrolled out of view. The markup stays a table.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Pagination } from '../components/pagination.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { Button } from '../components/button.tsx';
import { Select } from '../components/fields.tsx';
import { QUEUE_SORTS, type QueueRow, type QueueSort, type QueueTab } from '../../queries/queues.ts';
import type { Page } from '../../queries/reports.ts';
import type { QueueSuggestion } from '../../commands/suggest-routing.ts';
import { dateLabel, StaffDeadline, staffNav, STAFF_STYLES } from './common.tsx';
import { formatIsoInZone } from '../../domain/deadline/calendar.ts';
import { reportZone } from '../../presenters/report.ts';

/** Props of the queue page. */
export interface QueuePageProps {
  ctx: PageContext;
  tabs: QueueTab[];
  tab: QueueTab;
  counts: Record<QueueTab, number>;
  rows: Page<QueueRow>;
  /** The current order of the rows. */
  sort: QueueSort;
  /** The missing-year holiday calendar warning (coordinators and national admins), in the page language. */
  calendarWarning?: string | null | undefined;
  /**
   * The verify tab's suggested agency per tracking number (`queueSuggestions`); null on the other tabs, which then
   * have no suggestion column.
   */
  suggestions?: ReadonlyMap<string, QueueSuggestion> | null | undefined;
  /** A success notice (after a return, which takes the report out of the agency's tabs). */
  notice?: string | undefined;
  /**
   * The viewer holds no agency role (a coordinator, the national admin): the dispatched tab lists every agency's
   * reports in its scope, not "my agency/unit"'s, and is named so.
   */
  overseer?: boolean | undefined;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** The queue page. */
export function QueuePage({
  ctx,
  tabs,
  tab,
  counts,
  rows,
  sort,
  calendarWarning,
  suggestions,
  notice,
  overseer,
}: QueuePageProps): VNode {
  const variant = (t: QueueTab) => (overseer && t === 'dispatched' ? 'dispatched_overseen' : t);
  const tabName = ctx.t(`staff.queue.tab.${variant(tab)}`);
  const col = (key: string) => ctx.t(`staff.queue.${key}`);
  return (
    <Layout
      ctx={ctx}
      title={`${ctx.t('staff.queue.title')}: ${tabName}`}
      nav={staffNav(ctx, 'queue')}
      stylesheets={STAFF_STYLES}
    >
      {notice ? (
        <p class="notice-ok" role="status">
          {notice}
        </p>
      ) : null}
      <h1>{ctx.t('staff.queue.title')}</h1>
      {calendarWarning ? (
        <div class="warning" role="note">
          <p>{calendarWarning}</p>
          <p>
            <a href="/kantor/admin/kalender">{ctx.t('admin.calendar.fix_link')}</a>
          </p>
        </div>
      ) : null}
      <nav class="queue-tabs" aria-label={ctx.t('staff.queue.tabs_label')}>
        <ul class="queue-tab-list">
          {tabs.map((t) => (
            <li key={t}>
              <a href={`/kantor?tab=${t}`} aria-current={t === tab ? 'page' : undefined} class="queue-tab">
                {ctx.t(`staff.queue.tab.${variant(t)}`)} <span class="queue-count">({counts[t]})</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>{tabName}</h2>
      <p class="hint">{ctx.t(`staff.queue.tab_hint.${variant(tab)}`)}</p>
      <form method="get" action="/kantor" class="sort-form">
        <input type="hidden" name="tab" value={tab} />
        <Select
          ctx={ctx}
          name="urutan"
          label={ctx.t('admin.queue.sort_label')}
          value={sort}
          options={QUEUE_SORTS.map((s) => ({ value: s, label: ctx.t(`admin.queue.sort.${s}`) }))}
        />
        <Button variant="secondary">{ctx.t('admin.queue.sort_submit')}</Button>
      </form>
      {rows.items.length === 0 ? (
        <p>{ctx.t('staff.queue.empty')}</p>
      ) : (
        <div
          class="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={ctx.t('staff.queue.caption', { tab: tabName, count: rows.total })}
        >
          <table class="queue-table table-stack">
            <caption class="visually-hidden">
              {ctx.t('staff.queue.caption', { tab: tabName, count: rows.total })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{ctx.t('staff.queue.col_tracking')}</th>
                <th scope="col">{ctx.t('staff.queue.col_title')}</th>
                <th scope="col">{ctx.t('staff.queue.col_status')}</th>
                <th scope="col">{ctx.t('staff.queue.col_agency')}</th>
                {suggestions ? <th scope="col">{ctx.t('staff.queue.col_suggestion')}</th> : null}
                {tab === 'ombudsman' ? <th scope="col">{ctx.t('staff.queue.col_ombudsman')}</th> : null}
                <th scope="col">{ctx.t('staff.queue.col_received')}</th>
                <th scope="col">{ctx.t('staff.queue.col_deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.items.map(({ report, badge, ombudsman }) => (
                <tr key={report.row.trackingId}>
                  <td data-label={col('col_tracking')}>
                    <a href={`/kantor/laporan/${report.row.trackingId}`}>{report.row.trackingId}</a>
                  </td>
                  <td data-label={col('col_title')}>{report.row.title}</td>
                  <td data-label={col('col_status')}>
                    <StatusTag ctx={ctx} status={report.row.status} />
                  </td>
                  <td data-label={col('col_agency')}>
                    {report.agency?.shortName ??
                      report.agency?.name ??
                      report.target?.shortName ??
                      report.target?.name ??
                      ctx.t('staff.queue.unassigned')}
                  </td>
                  {suggestions ? (
                    <SuggestionCell ctx={ctx} suggestion={suggestions.get(report.row.trackingId)} />
                  ) : null}
                  {tab === 'ombudsman' ? (
                    <td data-label={col('col_ombudsman')} data-ombudsman={ombudsman?.state}>
                      {ombudsman
                        ? ctx.t(`staff.queue.ombudsman_${ombudsman.state}`, {
                            date: ombudsman.since ? dateLabel(ctx, ombudsman.since) : '–',
                          })
                        : null}
                    </td>
                  ) : null}
                  <td data-label={col('col_received')}>
                    {dateLabel(ctx, formatIsoInZone(report.row.createdAt, reportZone(report)))}
                  </td>
                  <td data-label={col('col_deadline')}>
                    <StaffDeadline ctx={ctx} badge={badge} />
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
        base="/kantor"
        params={{ tab, urutan: sort }}
      />
    </Layout>
  );
}

/** The suggested agency of one waiting report and the model's confidence, or a note that there is none yet. */
function SuggestionCell({
  ctx,
  suggestion,
}: {
  ctx: PageContext;
  suggestion: QueueSuggestion | undefined;
}): VNode {
  const label = ctx.t('staff.queue.col_suggestion');
  if (!suggestion)
    return (
      <td class="hint" data-label={label}>
        {ctx.t('staff.queue.no_suggestion')}
      </td>
    );
  return (
    <td data-label={label} data-suggestion={suggestion.id}>
      {suggestion.name}{' '}
      <span class="hint">{ctx.t('staff.suggest.confidence', { p: percent(suggestion.confidence) })}</span>
    </td>
  );
}
