import { describe, expect, it } from 'vitest';
import { evaluate, meanSd } from './metrics.ts';

describe('evaluate', () => {
  it('computes accuracy, macro-F1, top-3 accuracy and per-label figures', () => {
    const gold = ['a', 'a', 'b', 'c'];
    const ranked = [['a', 'b'], ['b', 'a'], ['b'], ['a', 'b', 'd']];
    const m = evaluate(gold, ranked, ['a', 'b', 'c']);
    expect(m.accuracy).toBe(0.5);
    expect(m.top3Accuracy).toBe(0.75);
    expect(m.perLabel.a).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.perLabel.b).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(m.perLabel.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.macroF1).toBeCloseTo((0.5 + 2 / 3 + 0) / 3, 12);
  });

  it('leaves out of macro-F1 a label that is neither gold nor predicted in the test set', () => {
    const m = evaluate(['a', 'b'], [['a'], ['a']], ['a', 'b', 'c']);
    expect(m.perLabel.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    // a: precision 0.5, recall 1 → F1 2/3; b: F1 0; c skipped.
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12);
    // A label predicted but never gold still counts (its F1 is 0).
    expect(evaluate(['a'], [['c']], ['a', 'c']).macroF1).toBe(0);
  });

  it('mean and sample sd', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
  });
});
