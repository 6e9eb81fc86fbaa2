/** Reminder one working day before a deadline, to whoever holds the report (idempotent per deadline). */
import type { Services } from '../app/context.ts';
import { sweepNote, type SweepStepInput } from './sweep-step.ts';

/** Reminder one working day before a deadline, to whoever holds the report (idempotent per deadline). */
export function remindDeadline(svc: Services, trackingId: string, input: SweepStepInput) {
  return sweepNote(svc, trackingId, 'reminder', 'internal', input);
}
