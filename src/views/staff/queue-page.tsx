/**
 * The back-office queue: one tab per stage (to verify, on hold, returned, dispatched, awaiting follow-up,
 * overdue, Ombudsman) with counts, and a table of the current tab's reports with their deadline countdown (on the
 * Ombudsman tab also whether each was handed over or is waiting for the reporter's consent, and since when).
 *
 * Accessibility notes:
 * - Tabs are plain links in a labelled `<nav>`, the current one with `aria-current="page"`: they work without
 *   JavaScript and each tab has its own URL (a real ARIA tablist would need scripting).
 * - The table has a caption naming the tab and count, and column headers with `scope="col"`.
 * - The search form is a plain GET form in a native `<details>` (open while a search is shown): every control has a
 *   visible label, bad values get an error summary and inline messages, and "Hapus filter" is a real link.
 * - Category, kab/kota and agency are native selects grouped with `<optgroup>` and indented (`TreeSelect`): a category
 *   over its subcategories, a province over its kab/kota, an agency over its units, the agencies grouped by province.
 *   Each list gets a "search the list" box only when JavaScript runs; without it they stay plain selects. Over several
 *   provinces only the chosen province's kab/kota are listed (`listedRegions`; the hint says how to pick one).
 * - Below 40rem the rows stack (`table-stack` in staff.css): each cell shows its column name (`data-label`), so the
 *   deadline stays on screen at 360 px instead of in a column scrolled out of view. The markup stays a table.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Pagination } from '../components/pagination.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { Button } from '../components/button.tsx';
import { Checkboxes, Select, TextInput } from '../components/fields.tsx';
import { TreeSelect } from '../components/tree-select.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { pageHref } from '../components/pagination.tsx';
import { QUEUE_SORTS, type QueueRow, type QueueSort, type QueueTab } from '../../queries/queues.ts';
import type { SearchOptions, SearchValues } from '../../queries/queue-search.ts';
import { CLASSIFICATIONS, STATUSES } from '../../domain/report/report.ts';
import type { FormErrors } from '../context.ts';
import type { Page } from '../../queries/reports.ts';
import type { QueueSuggestion } from '../../commands/suggest-routing.ts';
import { dateLabel, StaffDeadline, staffNav, STAFF_STYLES } from './common.tsx';
import { treeGroups } from './report-actions.tsx';
import { confidencePercent, isUnsure } from './verification-aids.tsx';
import { formatIsoInZone } from '../../domain/deadline/calendar.ts';
import { reportZone } from '../../presenters/report.ts';

/** Props of the queue page. */
export interface QueuePageProps {
  ctx: PageContext;
  tabs: QueueTab[];
  /** The current tab; null when search results are shown instead. */
  tab: QueueTab | null;
  counts: Record<QueueTab, number>;
  /** The rows; null when the search form has errors (no list is shown, not an empty one). */
  rows: Page<QueueRow> | null;
  /** The current order of the rows (search results without an explicit order: relevance or newest). */
  sort: QueueSort | undefined;
  /** The search form: its choices, the values typed and their field messages. */
  search: QueueSearchProps;
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

/** The search form's state. */
export interface QueueSearchProps {
  options: SearchOptions;
  values: SearchValues;
  errors: FormErrors;
  /** The most rows an export holds (search results only). */
  exportCap?: number | undefined;
}

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
  search,
}: QueuePageProps): VNode {
  const variant = (t: QueueTab) => (overseer && t === 'dispatched' ? 'dispatched_overseen' : t);
  const searching = tab === null;
  const tabName = tab ? ctx.t(`staff.queue.tab.${variant(tab)}`) : ctx.t('staff.queue.search.results');
  const col = (key: string) => ctx.t(`staff.queue.${key}`);
  const hasErrors = Object.keys(search.errors).length > 0;
  // Links that keep the search (paging, sorting, export): the form's values, without the empty ones.
  const kept: Record<string, string | undefined> = searching ? { ...search.values } : { tab };
  const exportHref = (ext: 'csv' | 'xlsx') =>
    pageHref(`/kantor/cari.${ext}`, { ...search.values, urutan: sort }, 1);
  return (
    <Layout
      ctx={ctx}
      title={`${ctx.t('staff.queue.title')}: ${tabName}`}
      nav={staffNav(ctx, 'queue')}
      stylesheets={STAFF_STYLES}
      hasErrors={hasErrors}
    >
      <ErrorSummary ctx={ctx} errors={search.errors} />
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
      <SearchForm ctx={ctx} search={search} open={searching} />
      <h2>{tabName}</h2>
      {tab ? <p class="hint">{ctx.t(`staff.queue.tab_hint.${variant(tab)}`)}</p> : null}
      {rows === null ? (
        <p>{ctx.t('staff.queue.search.fix_first')}</p>
      ) : (
        <form method="get" action="/kantor" class="sort-form">
          {Object.entries(kept).map(([k, v]) =>
            v ? <input key={k} type="hidden" name={k} value={v} /> : null,
          )}
          <Select
            ctx={ctx}
            name="urutan"
            label={ctx.t('admin.queue.sort_label')}
            value={sort ?? ''}
            options={[
              ...(searching && search.values.q
                ? [{ value: '', label: ctx.t('staff.queue.search.sort_relevance') }]
                : []),
              ...QUEUE_SORTS.map((s) => ({ value: s, label: ctx.t(`admin.queue.sort.${s}`) })),
            ]}
          />
          <Button variant="secondary">{ctx.t('admin.queue.sort_submit')}</Button>
        </form>
      )}
      {searching && rows && rows.total > 0 ? (
        <div class="queue-export">
          <p>
            {ctx.t('staff.queue.search.export')}{' '}
            <a href={exportHref('csv')} download>
              {ctx.t('staff.queue.search.export_csv')}
            </a>{' '}
            <a href={exportHref('xlsx')} download>
              {ctx.t('staff.queue.search.export_xlsx')}
            </a>
          </p>
          {search.exportCap && rows.total > search.exportCap ? (
            <p class="hint" data-export-truncated>
              {ctx.t('staff.queue.search.export_capped', { cap: search.exportCap, total: rows.total })}
            </p>
          ) : null}
        </div>
      ) : null}
      {rows === null ? null : rows.items.length === 0 ? (
        <p>{ctx.t(searching ? 'staff.queue.search.empty' : 'staff.queue.empty')}</p>
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
      {rows ? (
        <Pagination
          ctx={ctx}
          page={rows.page}
          pageSize={rows.pageSize}
          total={rows.total}
          base="/kantor"
          params={{ ...kept, urutan: sort }}
        />
      ) : null}
    </Layout>
  );
}

/**
 * The regions the form lists: every one when the caller's provinces are at most one (a coordinator, an agency's
 * staff); for a wider scope (the national admin: 38 provinces, 500+ kab/kota) the provinces, plus the kab/kota of the
 * province chosen (or of the chosen kab/kota's province) only: the page stays light (docs/benchmarks.md), and without
 * JavaScript one picks a province, searches, and then its kab/kota are offered (`collapsed`, said in the hint). Every
 * kab/kota stays valid in a link: `parseSearch` checks the full options.
 */
export function listedRegions(
  regions: SearchOptions['regions'],
  chosen: string | undefined,
): { listed: SearchOptions['regions']; collapsed: boolean } {
  if (regions.filter((r) => r.parentCode === null).length <= 1) return { listed: regions, collapsed: false };
  const province = chosen?.split('.')[0];
  return {
    listed: regions.filter((r) => r.parentCode === null || r.code.split('.')[0] === province),
    collapsed: true,
  };
}

/**
 * The search and filter form (a GET form to /kantor, so it works without JavaScript and its results have a URL):
 * free text or a tracking number, status, classification, category, kab/kota, handling agency, overdue only and a
 * date range, with "Hapus filter" back to the tabs.
 */
function SearchForm({
  ctx,
  search,
  open,
}: {
  ctx: PageContext;
  search: QueueSearchProps;
  open: boolean;
}): VNode {
  const { values: v, errors: e, options } = search;
  const l = (key: string) => ctx.t(`staff.queue.search.${key}`);
  const regions = listedRegions(options.regions, v.wilayah);
  const any = ctx.t('staff.queue.search.any');
  return (
    <details class="queue-search" open={open || undefined}>
      <summary>{l('summary')}</summary>
      <form method="get" action="/kantor" class="queue-search-form" role="search" aria-label={l('summary')}>
        <TextInput ctx={ctx} name="q" label={l('q')} hint={l('q_hint')} value={v.q} error={e.q} />
        <div class="queue-search-grid">
          <Select
            ctx={ctx}
            name="status"
            label={l('status')}
            value={v.status}
            error={e.status}
            placeholder={any}
            options={STATUSES.map((s) => ({ value: s, label: ctx.t(`status.${s}`) }))}
          />
          <Select
            ctx={ctx}
            name="klasifikasi"
            label={l('classification')}
            value={v.klasifikasi}
            error={e.klasifikasi}
            placeholder={any}
            options={CLASSIFICATIONS.map((c) => ({ value: c, label: ctx.t(`web.classification.${c}`) }))}
          />
          <TreeSelect
            ctx={ctx}
            name="kategori"
            label={l('category')}
            hint={l('category_hint')}
            value={v.kategori}
            error={e.kategori}
            placeholder={any}
            filterLabel={l('category_filter')}
            groups={treeGroups(options.categories)}
          />
          <TreeSelect
            ctx={ctx}
            name="wilayah"
            label={l('region')}
            hint={l(regions.collapsed ? 'region_hint_pick' : 'region_hint')}
            value={v.wilayah}
            error={e.wilayah}
            placeholder={any}
            filterLabel={l('region_filter')}
            groups={treeGroups(
              regions.listed.map((r) => ({
                id: r.code,
                name: r.name,
                parentId: r.parentCode,
                province: r.province,
              })),
              (r) => r.province,
            )}
          />
          <TreeSelect
            ctx={ctx}
            name="instansi"
            label={l('agency')}
            hint={l('agency_hint')}
            value={v.instansi}
            error={e.instansi}
            placeholder={any}
            filterLabel={ctx.t('staff.verify.agency_filter')}
            groups={treeGroups(options.agencies, (a) => a.province ?? l('agency_central'))}
          />
          <TextInput
            ctx={ctx}
            name="dari"
            type="date"
            label={l('from')}
            hint={l('date_hint')}
            value={v.dari}
            error={e.dari}
            width="short"
          />
          <TextInput
            ctx={ctx}
            name="sampai"
            type="date"
            label={l('to')}
            hint={l('date_hint')}
            value={v.sampai}
            error={e.sampai}
            width="short"
          />
        </div>
        <Checkboxes
          ctx={ctx}
          name="terlambat"
          legend={l('deadline')}
          values={v.terlambat ? [v.terlambat] : []}
          error={e.terlambat}
          options={[{ value: '1', label: l('overdue_only') }]}
        />
        <div class="queue-search-actions">
          <Button>{l('submit')}</Button>
          <a href="/kantor">{l('clear')}</a>
        </div>
      </form>
    </details>
  );
}

/**
 * The suggested agency of one waiting report and the model's confidence (marked "belum pasti" below
 * UNSURE_CONFIDENCE, as on the verification screen), or a note that there is none yet.
 */
export function SuggestionCell({
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
      <span class="hint">
        {ctx.t('staff.suggest.confidence', { p: confidencePercent(ctx, suggestion.confidence) })}
      </span>
      {isUnsure(suggestion.confidence) ? (
        <>
          {' '}
          <span class="tag tag-grey" data-unsure="agency">
            {ctx.t('staff.suggest.unsure_tag')}
          </span>
        </>
      ) : null}
    </td>
  );
}
