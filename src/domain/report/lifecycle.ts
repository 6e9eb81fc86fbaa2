/**
 * The report lifecycle as data plus one pure function. Nothing else assigns a report's status.
 * Statuses and actions are the contract in docs/api-v1.md; the flow follows PermenPANRB 62/2018 (domain.md §5).
 */
import type { ReportAction, ReportStatus } from './report.ts';
import { err, ok, type Result } from '../shared/result.ts';

/**
 * What an action does to the status: a fixed next status, 'same' (no change), or a choice made by the input
 * (`respond`: interim → in_progress, final → responded; `respond_final`: only a final follow-up, which stays
 * responded: a corrected final while the reporter reviews it, never an interim that would take the review away).
 */
export type Outcome = ReportStatus | 'same' | 'respond' | 'respond_final';

const OPEN_COMMON: Partial<Record<ReportAction, Outcome>> = {
  note: 'same',
  comment: 'same',
  escalate: 'transferred',
};
const PUBLIC_OPEN: Partial<Record<ReportAction, Outcome>> = { ...OPEN_COMMON, support: 'same' };

/**
 * TRANSITIONS[status][action] is the outcome; a missing entry is an illegal transition (HTTP 409).
 * `respond` goes to `responded` when final and `in_progress` when interim; once `responded`, only a final one (a
 * correction; it restarts the reporter's window).
 */
export const TRANSITIONS: Readonly<Record<ReportStatus, Partial<Record<ReportAction, Outcome>>>> = {
  submitted: { ...OPEN_COMMON, verify: 'dispatched', hold: 'on_hold', archive: 'archived' },
  on_hold: { ...OPEN_COMMON, supplement: 'submitted', archive: 'archived' },
  returned: { ...PUBLIC_OPEN, verify: 'dispatched', hold: 'on_hold', archive: 'archived' },
  dispatched: { ...PUBLIC_OPEN, dispose: 'same', return: 'returned', respond: 'respond' },
  in_progress: { ...PUBLIC_OPEN, dispose: 'same', respond: 'respond' },
  responded: { ...PUBLIC_OPEN, respond: 'respond_final', accept: 'completed', dispute: 'in_progress' },
  completed: { note: 'same', comment: 'same', support: 'same' },
  transferred: { note: 'same', comment: 'same', support: 'same' },
  archived: { note: 'same', comment: 'same' },
};

/** Input that can change where a transition leads. */
export interface TransitionInput {
  /** For `respond`: a final follow-up (tindak lanjut akhir) rather than an interim one. */
  final?: boolean;
}

/** The result of a legal transition. */
export interface TransitionResult {
  from: ReportStatus;
  to: ReportStatus;
  changed: boolean;
}

/** Applies `action` to a report in `status`; returns the next status or ILLEGAL_TRANSITION. */
export function transition(
  status: ReportStatus,
  action: ReportAction,
  input: TransitionInput = {},
): Result<TransitionResult> {
  const outcome = TRANSITIONS[status][action];
  if (outcome === undefined) {
    return err('ILLEGAL_TRANSITION', `Action "${action}" is not allowed while the report is "${status}".`);
  }
  if (outcome === 'respond_final' && !input.final)
    return err(
      'ILLEGAL_TRANSITION',
      `Only a final follow-up may be posted while the report is "${status}" (the reporter is reviewing one).`,
    );
  let to: ReportStatus;
  if (outcome === 'same') to = status;
  else if (outcome === 'respond_final') to = 'responded';
  else if (outcome === 'respond') to = input.final ? 'responded' : 'in_progress';
  else to = outcome;
  return ok({ from: status, to, changed: to !== status });
}

/** Actions allowed in a status, for templates and the API (`permissionsFor` decides who). */
export function allowedActions(status: ReportStatus): ReportAction[] {
  return Object.keys(TRANSITIONS[status]) as ReportAction[];
}

/**
 * Actions only the system takes (the deadline sweeper), never offered to people or the API.
 * Why: auto-close (10 working days after a final follow-up without a reply, domain.md §5.1 step 6) is
 * a transition no person performs, so it stays out of TRANSITIONS and `allowedActions`.
 */
export const SYSTEM_ACTIONS = ['auto_close'] as const;
/** A system action. */
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

/** SYSTEM_TRANSITIONS[status][action] is the next status; a missing entry is illegal. */
export const SYSTEM_TRANSITIONS: Readonly<Record<ReportStatus, Partial<Record<SystemAction, ReportStatus>>>> =
  {
    submitted: {},
    on_hold: {},
    returned: {},
    dispatched: {},
    in_progress: {},
    responded: { auto_close: 'completed' },
    completed: {},
    transferred: {},
    archived: {},
  };

/** Applies a system action; returns the next status or ILLEGAL_TRANSITION. */
export function systemTransition(status: ReportStatus, action: SystemAction): Result<TransitionResult> {
  const to = SYSTEM_TRANSITIONS[status][action];
  if (to === undefined) {
    return err(
      'ILLEGAL_TRANSITION',
      `System action "${action}" is not allowed while the report is "${status}".`,
    );
  }
  return ok({ from: status, to, changed: to !== status });
}
