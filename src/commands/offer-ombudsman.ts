/** Offers the reporter the Ombudsman hand-off after the escalation threshold; consent then goes through escalate. */
import type { Services } from '../app/context.ts';
import { sweepNote, type SweepStepInput } from './sweep-step.ts';

/** Offers the reporter the Ombudsman hand-off after the escalation threshold; consent then goes through escalate. */
export function offerOmbudsman(svc: Services, trackingId: string, input: SweepStepInput) {
  return sweepNote(svc, trackingId, 'ombudsman_offer', 'reporter', input);
}
