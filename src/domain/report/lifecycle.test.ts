import { describe, expect, it } from 'vitest';
import { ACTIONS, STATUSES, type ReportAction, type ReportStatus } from './report.ts';
import {
  allowedActions,
  SYSTEM_ACTIONS,
  systemTransition,
  transition,
  type SystemAction,
} from './lifecycle.ts';

/**
 * The expected outcome of EVERY status × action pair, written out by hand.
 * '-' = illegal (409); 'R' = respond (interim → in_progress, final → responded); 'F' = a final follow-up only
 * (→ responded; an interim is illegal); otherwise the next status.
 */
const X = '-';
// prettier-ignore
const EXPECTED: Record<ReportStatus, Record<ReportAction, string>> = {
  //          verify        hold       supplement   archive     dispose       return      respond accept      dispute        escalate       note          comment       support
  submitted: { verify: 'dispatched', hold: 'on_hold', supplement: X, archive: 'archived', dispose: X, return: X, respond: X, accept: X, dispute: X, escalate: 'transferred', note: 'submitted', comment: 'submitted', support: X },
  on_hold: { verify: X, hold: X, supplement: 'submitted', archive: 'archived', dispose: X, return: X, respond: X, accept: X, dispute: X, escalate: 'transferred', note: 'on_hold', comment: 'on_hold', support: X },
  returned: { verify: 'dispatched', hold: 'on_hold', supplement: X, archive: 'archived', dispose: X, return: X, respond: X, accept: X, dispute: X, escalate: 'transferred', note: 'returned', comment: 'returned', support: 'returned' },
  dispatched: { verify: X, hold: X, supplement: X, archive: X, dispose: 'dispatched', return: 'returned', respond: 'R', accept: X, dispute: X, escalate: 'transferred', note: 'dispatched', comment: 'dispatched', support: 'dispatched' },
  in_progress: { verify: X, hold: X, supplement: X, archive: X, dispose: 'in_progress', return: X, respond: 'R', accept: X, dispute: X, escalate: 'transferred', note: 'in_progress', comment: 'in_progress', support: 'in_progress' },
  responded: { verify: X, hold: X, supplement: X, archive: X, dispose: X, return: X, respond: 'F', accept: 'completed', dispute: 'in_progress', escalate: 'transferred', note: 'responded', comment: 'responded', support: 'responded' },
  completed: { verify: X, hold: X, supplement: X, archive: X, dispose: X, return: X, respond: X, accept: X, dispute: X, escalate: X, note: 'completed', comment: 'completed', support: 'completed' },
  transferred: { verify: X, hold: X, supplement: X, archive: X, dispose: X, return: X, respond: X, accept: X, dispute: X, escalate: X, note: 'transferred', comment: 'transferred', support: 'transferred' },
  archived: { verify: X, hold: X, supplement: X, archive: X, dispose: X, return: X, respond: X, accept: X, dispute: X, escalate: X, note: 'archived', comment: 'archived', support: X },
};

describe('transition()', () => {
  const pairs = STATUSES.flatMap((s) => ACTIONS.map((a) => [s, a] as const));

  it('has an expectation for every status × action pair', () => {
    expect(pairs).toHaveLength(STATUSES.length * ACTIONS.length);
    for (const [s, a] of pairs) expect(EXPECTED[s][a], `${s} × ${a}`).toBeDefined();
  });

  it.each(pairs)('%s × %s', (status, action) => {
    const expected = EXPECTED[status][action];
    if (expected === X) {
      const r = transition(status, action, { final: true });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('ILLEGAL_TRANSITION');
      return;
    }
    if (expected === 'F') {
      const interim = transition(status, action, { final: false });
      const final = transition(status, action, { final: true });
      expect(!interim.ok && interim.error.code).toBe('ILLEGAL_TRANSITION');
      expect(final.ok && final.value.to).toBe('responded');
      return;
    }
    if (expected === 'R') {
      const interim = transition(status, action, { final: false });
      const final = transition(status, action, { final: true });
      expect(interim.ok && interim.value.to).toBe('in_progress');
      expect(final.ok && final.value.to).toBe('responded');
      return;
    }
    const r = transition(status, action);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.to).toBe(expected);
      expect(r.value.changed).toBe(expected !== status);
    }
  });
});

// prettier-ignore
const EXPECTED_SYSTEM: Record<ReportStatus, Record<SystemAction, string>> = {
  submitted: { auto_close: X }, on_hold: { auto_close: X }, returned: { auto_close: X },
  dispatched: { auto_close: X }, in_progress: { auto_close: X }, responded: { auto_close: 'completed' },
  completed: { auto_close: X }, transferred: { auto_close: X }, archived: { auto_close: X },
};

describe('systemTransition()', () => {
  const pairs = STATUSES.flatMap((s) => SYSTEM_ACTIONS.map((a) => [s, a] as const));
  it.each(pairs)('%s × %s', (status, action) => {
    const expected = EXPECTED_SYSTEM[status][action];
    const r = systemTransition(status, action);
    if (expected === X) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('ILLEGAL_TRANSITION');
    } else {
      expect(r.ok && r.value.to).toBe(expected);
    }
  });

  it('system actions are never offered to people', () => {
    for (const s of STATUSES) for (const a of SYSTEM_ACTIONS) expect(allowedActions(s)).not.toContain(a);
  });
});
