/**
 * Status tag: the citizen-facing status of a report as a short coloured label.
 *
 * Accessibility notes:
 * - The status is text from `status.*` locale keys; colour only repeats it. Every colour pair is AA (≥ 4.5:1).
 *
 * @example
 *   <StatusTag ctx={ctx} status="in_progress" />
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';

const TONE: Record<string, string> = {
  submitted: 'grey',
  on_hold: 'yellow',
  archived: 'grey',
  dispatched: 'blue',
  returned: 'yellow',
  in_progress: 'blue',
  responded: 'purple',
  completed: 'green',
  transferred: 'purple',
};

/** The tag. */
export function StatusTag({ ctx, status }: { ctx: PageContext; status: string }): VNode {
  return <strong class={`tag tag-${TONE[status] ?? 'grey'}`}>{ctx.t(`status.${status}`)}</strong>;
}
