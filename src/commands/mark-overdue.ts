/** Marks a deadline overdue once (event 'overdue'; counted per agency in sweep_log). */
import type { Services } from '../app/context.ts';
import { sweepNote, type SweepStepInput } from './sweep-step.ts';

/** Marks a deadline overdue once (event 'overdue'; counted per agency in sweep_log). */
export function markOverdue(svc: Services, trackingId: string, input: SweepStepInput) {
  return sweepNote(svc, trackingId, 'overdue', 'internal', input);
}
