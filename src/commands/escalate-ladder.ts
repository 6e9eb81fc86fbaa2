/** One step up the escalation ladder (agency admin, coordinator, national admin) for an overdue deadline. */
import type { Services } from '../app/context.ts';
import { sweepNote, type SweepStepInput } from './sweep-step.ts';

/** One step up the escalation ladder (agency admin, coordinator, national admin) for an overdue deadline. */
export function escalateLadder(svc: Services, trackingId: string, input: SweepStepInput) {
  return sweepNote(svc, trackingId, 'escalate_ladder', 'internal', input);
}
