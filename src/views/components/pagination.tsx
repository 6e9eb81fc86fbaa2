/**
 * Pagination: previous / next links plus "page X of Y", keeping the current filters in each link.
 *
 * Accessibility notes:
 * - A `<nav>` landmark with its own label; the current page is text with `aria-current="page"`.
 * - Link text says "Sebelumnya"/"Berikutnya" plus a visually-hidden "halaman", not arrows alone.
 *
 * @example
 *   <Pagination ctx={ctx} page={2} pageSize={20} total={95} base="/laporan" params={{ q: 'jalan' }} />
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';

/** Builds `base?params&page=n` skipping empty values. */
export function pageHref(base: string, params: Record<string, string | undefined>, page: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

/** The pagination nav (nothing when everything fits on one page). */
export function Pagination({
  ctx,
  page,
  pageSize,
  total,
  base,
  params,
}: {
  ctx: PageContext;
  page: number;
  pageSize: number;
  total: number;
  base: string;
  params: Record<string, string | undefined>;
}): VNode | null {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pagination" aria-label={ctx.t('web.pagination.label')}>
      {page > 1 ? (
        <a href={pageHref(base, params, page - 1)} rel="prev">
          {ctx.t('web.pagination.prev')}
          <span class="visually-hidden"> {ctx.t('web.pagination.page_word')}</span>
        </a>
      ) : null}
      <span aria-current="page">{ctx.t('web.pagination.of', { page, pages })}</span>
      {page < pages ? (
        <a href={pageHref(base, params, page + 1)} rel="next">
          {ctx.t('web.pagination.next')}
          <span class="visually-hidden"> {ctx.t('web.pagination.page_word')}</span>
        </a>
      ) : null}
    </nav>
  );
}
