/**
 * Our lifecycle statuses in Open311 terms: the base `open`/`closed`, and mySociety's extended statuses
 * (perllib/Open311.pm `extended_statuses`) used by servicerequestupdates, in both directions.
 */
import type { ReportStatus } from '../report/report.ts';

/** Statuses Open311 reports as `closed`; everything else is `open`. */
export const CLOSED_STATUSES: readonly ReportStatus[] = ['completed', 'transferred', 'archived'];

/** mySociety's extended statuses. */
export const EXTENDED_STATUSES = [
  'OPEN',
  'INVESTIGATING',
  'ACTION_SCHEDULED',
  'IN_PROGRESS',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION',
  'INTERNAL_REFERRAL',
  'FOR_TRIAGE',
  'FIXED',
  'CLOSED',
  'CANCELLED',
  'REOPEN',
] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

/** `open` or `closed` for one of our statuses. */
export function baseStatus(status: ReportStatus): 'open' | 'closed' {
  return CLOSED_STATUSES.includes(status) ? 'closed' : 'open';
}

/** Our statuses matching an Open311 base status (for the `status=` filter). */
export function statusesFor(base: 'open' | 'closed', all: readonly ReportStatus[]): ReportStatus[] {
  return all.filter((s) => baseStatus(s) === base);
}

/** The extended status of one of our statuses (outbound: GET servicerequestupdates). */
export function extendedStatus(status: ReportStatus, archiveReason?: string | null): ExtendedStatus {
  switch (status) {
    case 'submitted':
    case 'on_hold':
      return 'FOR_TRIAGE';
    case 'dispatched':
      return 'OPEN';
    case 'returned':
      return 'NOT_COUNCILS_RESPONSIBILITY';
    case 'in_progress':
      return 'IN_PROGRESS';
    case 'responded':
      return 'FIXED';
    case 'completed':
      return 'CLOSED';
    case 'transferred':
      return 'INTERNAL_REFERRAL';
    case 'archived':
      return archiveReason === 'duplicate' ? 'DUPLICATE' : 'NO_FURTHER_ACTION';
  }
}

/** What an incoming update means for us, given who sent it (inbound: POST servicerequestupdates). */
export type UpdateIntent =
  | { kind: 'comment' }
  | { kind: 'accept' }
  | { kind: 'dispute' }
  | { kind: 'supplement' }
  | { kind: 'respond'; final: boolean }
  | { kind: 'return' };

/**
 * Maps an extended status to an action. A reporter-side partner (the one that submitted) can close
 * (accept), reopen (dispute), answer a hold (supplement) or comment; an agency-side partner (a key bound
 * to an agency) posts follow-ups: IN_PROGRESS/ACTION_SCHEDULED/INVESTIGATING interim, FIXED/CLOSED final,
 * NOT_COUNCILS_RESPONSIBILITY returns the report.
 */
export function updateIntent(
  status: ExtendedStatus,
  side: 'reporter' | 'agency',
  current: ReportStatus,
): UpdateIntent {
  if (side === 'reporter') {
    if (current === 'on_hold') return { kind: 'supplement' };
    if (current === 'responded' && (status === 'CLOSED' || status === 'FIXED')) return { kind: 'accept' };
    if (current === 'responded' && (status === 'REOPEN' || status === 'OPEN')) return { kind: 'dispute' };
    return { kind: 'comment' };
  }
  if (status === 'NOT_COUNCILS_RESPONSIBILITY' && current === 'dispatched') return { kind: 'return' };
  if (status === 'FIXED' || status === 'CLOSED') return { kind: 'respond', final: true };
  if (status === 'IN_PROGRESS' || status === 'ACTION_SCHEDULED' || status === 'INVESTIGATING')
    return { kind: 'respond', final: false };
  return { kind: 'comment' };
}
