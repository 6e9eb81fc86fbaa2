/**
 * Similar open public reports shown while a citizen writes a report (issue 7): on the category step and on the
 * check page of the journey. Each one links to its public page and carries a "support" form, so the citizen can
 * back an existing report instead of filing the same problem again; the draft stays saved meanwhile.
 *
 * Privacy: the items are `PublicSimilarReport`s (open, public, non-confidential; report fields only, never a
 * reporter field). Renders nothing when the list is empty. Outside any other form (the support forms would nest).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Button } from '../components/button.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { formatDate, formatDistance } from '../format.ts';
import type { PublicSimilarReport } from '../../queries/similar-reports.ts';

/** Journey steps that list similar reports; after supporting one, the report page links back to it. */
export const DRAFT_RETURN_STEPS = ['kategori', 'periksa'] as const;
export type DraftReturnStep = (typeof DRAFT_RETURN_STEPS)[number];

/**
 * A pointer above the step's form to the list below it (the list follows the form, whose Continue button a citizen
 * would otherwise press without scrolling past it). Nothing when there is no similar report.
 */
export function SimilarPublicNotice({ ctx, count }: { ctx: PageContext; count: number }): VNode | null {
  if (count === 0) return null;
  return (
    <p class="panel" data-slot="similar-public-notice">
      {ctx.t('web.report.similar_notice', { n: count })}{' '}
      <a href="#similar-public-title">{ctx.t('web.report.similar_notice_link')}</a>
    </p>
  );
}

/** The section, or nothing when there is no similar report. */
export function SimilarPublicReports({
  ctx,
  items,
  step,
}: {
  ctx: PageContext;
  items: PublicSimilarReport[];
  /** The journey step showing the list (the support form's way back to the draft). */
  step: DraftReturnStep;
}): VNode | null {
  if (items.length === 0) return null;
  return (
    <section class="similar-public" aria-labelledby="similar-public-title" data-slot="similar-public">
      <h2 id="similar-public-title">{ctx.t('web.report.similar_title')}</h2>
      <p>{ctx.t('web.report.similar_intro')}</p>
      <p class="hint">{ctx.t('web.report.similar_draft_kept')}</p>
      <ul class="card-list">
        {items.map((r) => (
          <li class="card" key={r.trackingId} data-similar={r.trackingId}>
            <h3>
              <a href={`/laporan/${r.trackingId}`}>{r.title}</a>
            </h3>
            <p class="meta">
              <StatusTag ctx={ctx} status={r.status} />{' '}
              {ctx.t('web.report.similar_reported', { date: formatDate(r.createdAt, ctx.lang) })} ·{' '}
              {r.distanceM === null ? null : (
                <>
                  <span data-distance={r.distanceM}>
                    {ctx.t('web.report.similar_distance', {
                      distance: formatDistance(r.distanceM, ctx.lang),
                    })}
                  </span>{' '}
                  ·{' '}
                </>
              )}
              {ctx.t('web.feed.supports', { n: r.supportCount })}
            </p>
            {r.supported ? (
              <p class="tag tag-green">{ctx.t('web.report.similar_supported')}</p>
            ) : (
              <form method="post" action={`/laporan/${r.trackingId}/dukung`}>
                {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
                <input type="hidden" name="draf" value={step} />
                <Button variant="secondary">
                  {ctx.t('web.feed.support')}
                  <span class="visually-hidden">: {r.title}</span>
                </Button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
