/**
 * Timeline: the report's events, oldest first, each with its time, label, optional text and optional deadline.
 *
 * Accessibility notes:
 * - An ordered list (`<ol>`), so screen readers announce "list, N items" and the order is meaningful.
 * - Times use `<time datetime>` with a human label; each item has a heading-free structure to keep the outline
 *   of the page clean (the page's h2 names the timeline).
 *
 * @example
 *   <Timeline ctx={ctx} items={[{ key: '1', at: '2026-03-12T10:00+08:00', atLabel: '12 Maret 2026 10.00 WITA',
 *     label: 'Laporan diterima', body: null, explanation: 'Instansi memverifikasi dalam 3 hari kerja.' }]} />
 */
import type { ComponentChildren, VNode } from 'preact';
import type { PageContext } from '../context.ts';

/** A deadline started by an event: "Verification deadline: by 17 March 2026", its explanation, how it ended. */
export interface TimelineDeadline {
  label: string;
  explanation: string;
  outcome: string;
}

/** One event, already translated and redacted by the caller. */
export interface TimelineItem {
  key: string;
  at: string;
  atLabel: string;
  label: string;
  /** Who acted, in words ("Instansi", "Pelapor"). */
  actor?: string | undefined;
  body?: string | null | undefined;
  /** Plain-words meaning of this step, or the deadline it started. */
  explanation?: string | undefined;
  /** Deadlines this event started, each with its explanation in plain words. */
  deadlines?: TimelineDeadline[] | undefined;
  /** The files sent with this step, in words ("2 lampiran"). */
  files?: string | undefined;
  /** A page this step points to (the report a duplicate was merged into). */
  link?: { href: string; text: string } | undefined;
  extra?: ComponentChildren;
  tone?: 'agency' | 'reporter' | 'system';
}

/**
 * "2 lampiran" on a supplement or reply the reporter sent files with (the count its event holds); a supplement of
 * files alone (no text) says so in a sentence ("Pelapor menambahkan 2 berkas tanpa keterangan.").
 */
export function filesNote(
  ctx: PageContext,
  e: { type: string; data: unknown; body?: string | null },
): string | undefined {
  const n = (e.data as { files?: unknown } | null)?.files;
  if (!((e.type === 'supplement' || e.type === 'reporter_reply') && typeof n === 'number' && n > 0))
    return undefined;
  return e.body ? ctx.t('web.timeline.files', { n }) : ctx.t('web.timeline.files_only', { n });
}

/** The list (an empty-state sentence when there are no events). */
export function Timeline({ ctx, items }: { ctx: PageContext; items: TimelineItem[] }): VNode {
  if (items.length === 0) return <p>{ctx.t('web.timeline.empty')}</p>;
  return (
    <ol class="timeline">
      {items.map((i) => (
        <li key={i.key} class={`timeline-item timeline-${i.tone ?? 'system'}`}>
          <p class="timeline-head">
            <strong>{i.label}</strong>
            {i.actor ? <span class="timeline-actor"> · {i.actor}</span> : null}
          </p>
          <p class="timeline-time">
            <time dateTime={i.at}>{i.atLabel}</time>
          </p>
          {i.body ? <p class="timeline-body">{i.body}</p> : null}
          {i.explanation ? <p class="timeline-explanation">{i.explanation}</p> : null}
          {i.files ? <p class="timeline-explanation">{i.files}</p> : null}
          {i.link ? (
            <p class="timeline-explanation">
              <a href={i.link.href}>{i.link.text}</a>
            </p>
          ) : null}
          {i.deadlines?.map((d) => (
            <p class="timeline-deadline" key={d.label}>
              <strong>{d.label}</strong> {d.explanation} <em>{d.outcome}</em>
            </p>
          ))}
          {i.extra}
        </li>
      ))}
    </ol>
  );
}
