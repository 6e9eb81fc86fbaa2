/** Offers the reporter the Ombudsman hand-off after the escalation threshold; consent then goes through escalate. */
import type { Services } from '../app/context.ts';
import { OPEN_STATUSES } from '../domain/report/report.ts';
import { sweepNote, type SweepStepInput } from './sweep-step.ts';

/**
 * The statuses an offer is made in, as the sweeper's candidates (`ombudsmanCandidates`): open, and not waiting for the
 * reporter's supplement. Checked again when the offer is made, since an earlier step of the same sweep (an auto-close)
 * or the reporter (accepting a final follow-up) may have closed the report after the sweep was planned.
 */
const OFFER_STATUSES = OPEN_STATUSES.filter((s) => s !== 'on_hold');

/** Offers the reporter the Ombudsman hand-off after the escalation threshold; consent then goes through escalate. */
export function offerOmbudsman(svc: Services, trackingId: string, input: SweepStepInput) {
  return sweepNote(svc, trackingId, 'ombudsman_offer', 'reporter', input, OFFER_STATUSES);
}
