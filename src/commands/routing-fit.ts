/**
 * The CPU-bound part of training the routing models: fit the ensemble on prepared examples, measure a 3-fold
 * cross-validation when asked, and return the stored (JSON) form. Plain data in and out, so it can run in the
 * calling thread (`aduan routing train`, tests) or in a worker thread (the worker's schedule,
 * src/jobs/routing-fit-thread.ts) without blocking the event loop.
 */
import {
  serialiseEnsemble,
  suggest,
  trainEnsemble,
  type EnsembleSpec,
  type SerialisedEnsemble,
} from '../domain/routing/ensemble.ts';
import { evaluate } from '../domain/routing/metrics.ts';
import type { TrainingExample } from '../domain/routing/model.ts';
import { stratifiedFolds } from '../domain/routing/random.ts';
import { trainSemiSupervised, type SemiSupervisedOptions } from '../domain/routing/semi-supervised.ts';
import { stem } from '../integrations/indonesian-stemmer.ts';

/** A fitted model in its stored form, and what was measured on the way. */
export interface FitResult {
  model: SerialisedEnsemble;
  metrics: Record<string, number>;
}

/** Fits one kind's model: in this thread ({@link fitInProcess}) or another. */
export type Fit = (
  examples: TrainingExample[],
  spec: EnsembleSpec | undefined,
  crossValidate: boolean,
  semi?: SemiSupervisedOptions,
) => Promise<FitResult>;

/**
 * Trains the ensemble (and, with `cv`, a 3-fold cross-validation first). With `semi`, the label documents and the
 * unlabelled reports join as `trainSemiSupervised` adds them (the agency model). Synchronous and CPU-bound.
 */
export function fitRouting(
  examples: TrainingExample[],
  spec: EnsembleSpec | undefined,
  cv: boolean,
  semi?: SemiSupervisedOptions,
): FitResult {
  const started = performance.now();
  const fit = semi
    ? trainSemiSupervised(examples, spec, stem, semi)
    : { ensemble: trainEnsemble(examples, spec, stem), labelDocs: 0, selfTrained: 0 };
  const trainSeconds = (performance.now() - started) / 1000;
  return {
    model: serialiseEnsemble(fit.ensemble),
    metrics: {
      trainSeconds,
      ...(semi ? { labelDocs: fit.labelDocs, selfTrained: fit.selfTrained } : {}),
      ...(cv ? crossValidate(examples, spec, semi) : {}),
    },
  };
}

/** {@link fitRouting} in the calling thread. */
export const fitInProcess: Fit = async (examples, spec, cv, semi) => fitRouting(examples, spec, cv, semi);

/**
 * 3-fold CV of what is served: with `semi`, each fold trains as the product does, its held-out rows joining the
 * unlabelled reports (as reports waiting for verification do when the model is retrained).
 */
function crossValidate(
  examples: TrainingExample[],
  spec: EnsembleSpec | undefined,
  semi?: SemiSupervisedOptions,
): Record<string, number> {
  const folds = stratifiedFolds(
    examples.map((e) => e.label),
    3,
    1,
  );
  const gold: string[] = [];
  const ranked: string[][] = [];
  for (let k = 0; k < 3; k++) {
    const training = examples.filter((_, i) => folds[i] !== k);
    const model = semi
      ? trainSemiSupervised(training, spec, stem, {
          ...semi,
          unlabelled: [
            ...(semi.unlabelled ?? []),
            ...examples.filter((_, i) => folds[i] === k).map((e) => e.text),
          ],
        }).ensemble
      : trainEnsemble(training, spec, stem);
    examples.forEach((e, i) => {
      if (folds[i] !== k) return;
      gold.push(e.label);
      ranked.push(suggest(model, e.text, 3).map((p) => p.label));
    });
  }
  const m = evaluate(gold, ranked);
  return { cvFolds: 3, accuracy: m.accuracy, macroF1: m.macroF1, top3Accuracy: m.top3Accuracy };
}
