/**
 * Deadline badge: on time / due soon / overdue, with the due date and the plain-words explanation of how the
 * deadline was computed (working days, skipped holidays, rule version).
 *
 * Accessibility notes:
 * - The state is written in words (not colour alone) and the colour pairs meet AA contrast.
 * - The explanation lives in a native `<details>`: reachable by keyboard (Enter/Space on the summary), read by
 *   screen readers, and it works on touch and without JavaScript, unlike a hover-only tooltip. The summary also
 *   carries a `title` so mouse users get it on hover.
 *
 * @example
 *   <DeadlineBadge ctx={ctx} state="due_soon" dueLabel="17 Maret 2026" explanation="+3 hari kerja dari …"
 *     countdown="1 hari kerja lagi" />
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';

/** The three traffic-light states (see `deadlineStatus` in src/domain/deadline/sla.ts). */
export type DeadlineState = 'on_time' | 'due_soon' | 'overdue';

/** State from the due instant when no working calendar is at hand: overdue after, due soon within 2 days. */
export function roughDeadlineState(dueAt: Date, now: Date): DeadlineState {
  const ms = dueAt.getTime() - now.getTime();
  if (ms < 0) return 'overdue';
  return ms <= 2 * 86_400_000 ? 'due_soon' : 'on_time';
}

/** The badge. `countdown` is optional ("2 hari kerja lagi"); `clockLabel` names what is due. */
export function DeadlineBadge({
  ctx,
  state,
  dueLabel,
  explanation,
  countdown,
  clockLabel,
}: {
  ctx: PageContext;
  state: DeadlineState;
  dueLabel: string;
  explanation?: string | undefined;
  countdown?: string | undefined;
  clockLabel?: string | undefined;
}): VNode {
  const stateText = ctx.t(`web.deadline.${state}`);
  const text = (
    <>
      <span class={`badge badge-${state}`}>{stateText}</span>{' '}
      <span class="deadline-due">
        {clockLabel ? `${clockLabel}: ` : ''}
        {ctx.t('web.deadline.due', { date: dueLabel })}
        {countdown ? ` (${countdown})` : ''}
      </span>
    </>
  );
  if (!explanation) return <span class="deadline">{text}</span>;
  return (
    <details class="deadline">
      <summary title={explanation}>
        {text} <span class="deadline-why">{ctx.t('web.deadline.why')}</span>
      </summary>
      <p class="deadline-explanation">{explanation}</p>
    </details>
  );
}
