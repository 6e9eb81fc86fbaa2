/** Pieces shared by the tracking page and the public report page: the summary block and the deadline. */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { formatDate } from '../format.ts';
import { DeadlineBadge } from '../components/deadline-badge.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import type { ReportModel } from '../../http/web/report-view.ts';

/**
 * An event date (a calendar date `YYYY-MM-DD`, no time) in words: read at noon UTC, which is the same day in every
 * Indonesian zone `formatDate` shows.
 */
function formatOccurredOn(day: string, ctx: PageContext): string {
  const d = String(day).slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? formatDate(`${d}T12:00:00Z`, ctx.lang) : String(day);
}

/** Status, agency, deadline, classification and the report text. */
export function ReportSummary({ ctx, m }: { ctx: PageContext; m: ReportModel }): VNode {
  const r = m.report;
  return (
    <>
      <dl class="summary-list">
        <div class="summary-row">
          <dt>{ctx.t('web.view.status')}</dt>
          <dd>
            <StatusTag ctx={ctx} status={r.status} />
          </dd>
        </div>
        <div class="summary-row">
          <dt>{ctx.t('web.view.agency')}</dt>
          <dd>{m.agencyName ?? ctx.t('web.view.agency_pending')}</dd>
        </div>
        <div class="summary-row">
          <dt>{ctx.t('web.view.deadline')}</dt>
          <dd>{m.badge ? <DeadlineBadge ctx={ctx} {...m.badge} /> : ctx.t('web.deadline.none')}</dd>
        </div>
        <div class="summary-row">
          <dt>{ctx.t('web.view.classification')}</dt>
          <dd>{ctx.t(`web.classification.${r.classification}`)}</dd>
        </div>
        {r.occurredOn ? (
          <div class="summary-row">
            <dt>{ctx.t('web.report.date_label')}</dt>
            <dd>{formatOccurredOn(r.occurredOn, ctx)}</dd>
          </div>
        ) : null}
      </dl>
      <h2>{ctx.t('web.report.body_label')}</h2>
      <p class="body-text">{r.body}</p>
    </>
  );
}
