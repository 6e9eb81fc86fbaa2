/**
 * The public feed (filters + full-text search + pagination) and one public report page (support button,
 * public comments, current agency and deadline). Only the public read model reaches these views.
 *
 * A signed-in citizen's comment is public and no verifier reads it first: the field says so, and a comment that seems
 * to hold personal data comes back with the tracking page's warning (`PiiWarning`, this page's copy) and a
 * confirmation checkbox (`bodyPiiOk`, the error summary's target) before it is sent.
 */
import type { VNode } from 'preact';
import type { PiiKind } from '../../domain/report/pii-hints.ts';
import type { FormErrors, PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { Select, TextInput, Textarea, type Option } from '../components/fields.tsx';
import { Pagination } from '../components/pagination.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { Timeline } from '../components/timeline.tsx';
import { ReportSummary } from './report-parts.tsx';
import { piiConfirmField, piiNoticeId, PiiWarning } from './track.tsx';
import type { ReportModel } from '../../http/web/report-view.ts';

/** One row of the feed. */
export interface FeedItem {
  trackingId: string;
  title: string;
  status: string;
  classification: string;
  agency: string | null;
  createdLabel: string;
  supportCount: number;
}

/** Props of the feed page. */
export interface FeedProps {
  ctx: PageContext;
  items: FeedItem[];
  total: number;
  page: number;
  pageSize: number;
  filters: Record<string, string | undefined>;
  options: {
    categories: Option[];
    agencies: Option[];
    provinces: Option[];
    kabs: Option[];
    statuses: Option[];
  };
}

/** The feed. */
export function FeedPage({ ctx, items, total, page, pageSize, filters, options }: FeedProps): VNode {
  const any = ctx.t('web.feed.any');
  const classes = ['pengaduan', 'aspirasi', 'permintaan_informasi'].map((c) => ({
    value: c,
    label: ctx.t(`web.classification.${c}`),
  }));
  return (
    <Layout ctx={ctx} title={ctx.t('web.feed.title')}>
      <h1>{ctx.t('web.feed.title')}</h1>
      <p>{ctx.t('web.feed.intro')}</p>
      <form
        method="get"
        action="/laporan"
        class="filters"
        role="search"
        aria-label={ctx.t('web.feed.filters')}
      >
        <TextInput ctx={ctx} name="q" type="search" label={ctx.t('web.feed.q')} value={filters.q} />
        <div class="filters-grid">
          <Select
            ctx={ctx}
            name="classification"
            label={ctx.t('web.view.classification')}
            options={classes}
            placeholder={any}
            value={filters.classification}
          />
          <Select
            ctx={ctx}
            name="status"
            label={ctx.t('web.view.status')}
            options={options.statuses}
            placeholder={any}
            value={filters.status}
          />
          <Select
            ctx={ctx}
            name="categoryId"
            label={ctx.t('web.report.category_label')}
            options={options.categories}
            placeholder={any}
            value={filters.categoryId}
          />
          <Select
            ctx={ctx}
            name="agencyId"
            label={ctx.t('web.report.agency_label')}
            options={options.agencies}
            placeholder={any}
            value={filters.agencyId}
          />
          <Select
            ctx={ctx}
            name="prov"
            label={ctx.t('web.report.prov')}
            options={options.provinces}
            placeholder={any}
            value={filters.prov}
          />
          {options.kabs.length ? (
            <Select
              ctx={ctx}
              name="kab"
              label={ctx.t('web.report.kab')}
              options={options.kabs}
              placeholder={any}
              value={filters.kab}
            />
          ) : null}
        </div>
        <Button variant="secondary">{ctx.t('web.feed.apply')}</Button>
        <a href="/laporan">{ctx.t('web.feed.reset')}</a>
      </form>
      <h2 aria-live="polite">{ctx.t('web.feed.count', { n: total })}</h2>
      <ul class="card-list">
        {items.map((i) => (
          <li class="card" key={i.trackingId}>
            <h3>
              <a href={`/laporan/${i.trackingId}`}>{i.title}</a>
            </h3>
            <p class="meta">
              <StatusTag ctx={ctx} status={i.status} /> {ctx.t(`web.classification.${i.classification}`)} ·{' '}
              {i.agency ?? ctx.t('web.view.agency_pending')} · {i.createdLabel} ·{' '}
              {ctx.t('web.feed.supports', { n: i.supportCount })}
            </p>
          </li>
        ))}
      </ul>
      <Pagination ctx={ctx} page={page} pageSize={pageSize} total={total} base="/laporan" params={filters} />
    </Layout>
  );
}

/** Props of a public report page. */
export interface PublicReportProps {
  ctx: PageContext;
  m: ReportModel;
  canComment: boolean;
  /** The signed-in user filed this report: a comment is a reply staff and the reporter read, not public. */
  ownReport?: boolean;
  /** The agency's files on public follow-ups, under neutral names (`lampiran-<id>.<ext>`). */
  files?: Array<{ id: string; name: string; size: number }>;
  notice?: string | undefined;
  /** Supported from the report journey: the step to go back to the saved draft. */
  draftStep?: string | undefined;
  /** This person or device supports the report already: no button, a line saying so. */
  supported?: boolean;
  /** The signed-in person gets this report's updates by email (`setSupportUpdates`). */
  updates?: boolean;
  errors?: FormErrors;
  comment?: string;
  /** A comment sent with personal data and no confirmation: what was found, for the warning under the field. */
  pii?: PiiKind[] | undefined;
}

/**
 * Email updates on a public report (the agency's follow-ups and the completion): on or off for a signed-in person,
 * and for a signed-out one a way to sign in, since a device cannot be written to.
 */
function UpdatesForm(p: {
  ctx: PageContext;
  trackingId: string;
  supported: boolean;
  updates: boolean;
}): VNode {
  const { ctx } = p;
  if (!ctx.user) {
    return (
      <p class="hint" data-slot="updates">
        {ctx.t('web.feed.updates_sign_in_before')}{' '}
        <a href={`/masuk?next=${encodeURIComponent(`/laporan/${p.trackingId}`)}`}>
          {ctx.t('web.feed.updates_sign_in')}
        </a>
      </p>
    );
  }
  const email = ctx.user.email;
  return (
    <form method="post" action={`/laporan/${p.trackingId}/kabar`} data-slot="updates">
      {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
      <input type="hidden" name="kabar" value={p.updates ? 'tidak' : 'ya'} />
      {p.updates ? (
        <p>{ctx.t('web.feed.updates_on', { email })}</p>
      ) : (
        <p class="hint">
          {ctx.t(p.supported ? 'web.feed.updates_offer_supported' : 'web.feed.updates_offer', { email })}
        </p>
      )}
      <Button variant="secondary">
        {ctx.t(p.updates ? 'web.feed.updates_stop' : 'web.feed.updates_start')}
      </Button>
    </form>
  );
}

/** One public report. */
export function PublicReportPage({
  ctx,
  m,
  canComment,
  ownReport = false,
  files = [],
  notice,
  draftStep,
  supported = false,
  updates = false,
  errors = {},
  comment,
  pii,
}: PublicReportProps): VNode {
  const r = m.report;
  const comments = m.timeline.filter((i) => i.label === ctx.t('event.comment'));
  return (
    <Layout ctx={ctx} title={r.title} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice ? (
        <div class="notice-ok" role="status">
          <p>{notice}</p>
          {draftStep ? (
            <p>
              {ctx.t('web.feed.draft_after_support')}{' '}
              <a href={`/lapor/${draftStep}`}>{ctx.t('web.feed.draft_continue')}</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <p class="step-count">
        {ctx.t('web.trackpage.report')} {r.trackingId}
      </p>
      <h1>{r.title}</h1>
      <ReportSummary ctx={ctx} m={m} />
      <form method="post" action={`/laporan/${r.trackingId}/dukung`}>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        <p>{ctx.t('web.feed.supports', { n: r.supportCount })}</p>
        {supported ? (
          <p class="tag tag-green">{ctx.t('web.report.similar_supported')}</p>
        ) : (
          <Button variant="secondary">{ctx.t('web.feed.support')}</Button>
        )}
      </form>
      {/* Email updates: for a signed-in person other than the reporter (who is told anyway), until completion. */}
      {ownReport || r.status === 'completed' ? null : (
        <UpdatesForm ctx={ctx} trackingId={r.trackingId} supported={supported} updates={updates} />
      )}
      <h2>{ctx.t('web.trackpage.timeline')}</h2>
      <Timeline ctx={ctx} items={m.timeline.filter((i) => !comments.includes(i))} />
      {files.length ? (
        <>
          <h2>{ctx.t('web.feed.attachments')}</h2>
          <ul>
            {files.map((f) => (
              <li key={f.id}>
                <a href={`/laporan/${r.trackingId}/lampiran/${f.id}`}>{f.name}</a>{' '}
                {ctx.t('web.trackpage.attachment_agency', { kb: Math.max(1, Math.ceil(f.size / 1024)) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{ctx.t('web.feed.comments')}</h2>
      <Timeline ctx={ctx} items={comments} />
      {canComment ? (
        <form method="post" action={`/laporan/${r.trackingId}/komentar`} novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <Textarea
            ctx={ctx}
            name="body"
            rows={3}
            label={ctx.t('web.feed.comment_label')}
            hint={ctx.t(ownReport ? 'web.feed.comment_own_hint' : 'web.feed.comment_public_hint')}
            value={comment}
            error={errors.body}
            describedBy={pii ? piiNoticeId('body') : undefined}
          />
          {pii ? (
            <PiiWarning
              ctx={ctx}
              pii={{ field: 'body', kinds: pii }}
              error={errors[piiConfirmField('body')]}
              copy="web.feed"
              level={3}
            />
          ) : null}
          <Button variant="secondary">{ctx.t('web.feed.comment_submit')}</Button>
        </form>
      ) : (
        <p>
          <a href={`/masuk?next=/laporan/${r.trackingId}`}>{ctx.t('web.feed.comment_sign_in')}</a>
        </p>
      )}
    </Layout>
  );
}
