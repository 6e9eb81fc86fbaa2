/** A statistics fact for the evaluation and statistics unit tests: one verified, dispatched pengaduan, not yet followed up. */
import type { StatsFact } from '../../src/domain/stats/aggregate.ts';

export function statsFact(over: Partial<StatsFact> = {}): StatsFact {
  return {
    createdDate: '2026-03-02',
    agencyPath: ['kemenpanrb', 'pemprov-kaltim', 'pupr-kaltim'],
    regionCode: '64.72.02',
    categoryId: 1,
    classification: 'pengaduan',
    channel: 'web',
    verified: true,
    verifiedOnTime: true,
    dispatched: true,
    returnCount: 0,
    misroutedWorkingDays: 0,
    followedUpOnTime: null,
    completed: false,
    workingDaysToFollowUp: null,
    hoursToFollowUp: null,
    workingDaysToCompletion: null,
    rating: null,
    disputed: false,
    reopenCount: 0,
    ...over,
  };
}
