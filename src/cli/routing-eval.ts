/**
 * `aduan routing eval`: train the routing classifier on one CSV file and evaluate it on another (or by
 * stratified k-fold cross-validation on the training file), printing JSON or a readable table.
 */
import { loggableErrorText } from '../integrations/error-log.ts';
import { cliLanguage } from '../config.ts';
import { normaliseColumn } from '../commands/csv-reader.ts';
import { csvText, loadCsvFile } from './csv-input.ts';
import { evaluate, meanSd, type Metrics } from '../domain/routing/metrics.ts';
import {
  predict,
  serialise,
  train,
  type Algorithm,
  type TrainOptionsInput,
} from '../domain/routing/model.ts';
import { stratifiedFolds } from '../domain/routing/random.ts';
import {
  routingText,
  serialiseEnsemble,
  suggest,
  trainEnsemble,
  type EnsembleSpec,
} from '../domain/routing/ensemble.ts';
import { DEFAULT_FEATURE_OPTIONS } from '../domain/routing/features.ts';
import { stem as indonesianStem } from '../integrations/indonesian-stemmer.ts';
import { ensembleSpecFor } from '../commands/routing-models.ts';
import { trainSemiSupervised } from '../domain/routing/semi-supervised.ts';
import { say, usageOf } from './messages.ts';

/** `cli.messages.routing.eval.<key>` in the command line's language. */
const sayEval = (key: string, params: Record<string, string | number> = {}): string =>
  say(`routing.eval.${key}`, params);

/** Parsed command-line options of `routing eval`. */
export interface EvalArgs {
  train: string;
  test?: string;
  cv?: number;
  label: string;
  minCount: number;
  json: boolean;
  /** `product`: the served ensemble for the label (`ensembleSpecFor`); otherwise one model of that algorithm. */
  algorithm: Algorithm | 'product';
  char: boolean;
  bigrams: boolean;
  stemming: boolean;
  seed: number;
  charWeight?: number;
  epochs?: number;
  l2?: number;
  /** The product's agency model without label names and self-training (`--history-only`). */
  historyOnly: boolean;
}

/** A labelled text row taken from a LAPOR!-style CSV file. */
export interface LabelledRow {
  text: string;
  label: string;
}

class UsageError extends Error {}
/** A file that cannot be used as it is (missing, not CSV, no such column): exit 2 without the usage. */
class InputError extends Error {}

/** What is wrong with an option's value that must be a whole number ≥ `min` (id/en), or undefined when nothing is. */
export function wholeNumberProblem(name: string, value: string | undefined, min: number): string | undefined {
  if (value === undefined) return sayEval('integer_missing', { option: name, min });
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min)
    return sayEval('integer', { option: name, min, value });
  return undefined;
}

function intArg(name: string, value: string | undefined, min: number): number {
  const problem = wholeNumberProblem(name, value, min);
  if (problem) throw new UsageError(problem);
  return Number(value);
}

function numberArg(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(sayEval('non_negative', { option: name, value }));
  return n;
}

/** Parse the arguments after `routing eval`. Throws a usage error with a clear message on bad input. */
export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  const args: Partial<EvalArgs> = {};
  const out: EvalArgs = {
    train: '',
    label: 'agency_group',
    minCount: 20,
    json: false,
    algorithm: 'product',
    char: DEFAULT_FEATURE_OPTIONS.charNgrams !== null,
    bigrams: DEFAULT_FEATURE_OPTIONS.wordBigrams,
    stemming: true,
    seed: 1,
    historyOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(sayEval('needs_value', { option: a }));
      return v;
    };
    switch (a) {
      case '--train':
        args.train = value();
        break;
      case '--test':
        args.test = value();
        break;
      case '--cv':
        args.cv = intArg('--cv', argv[++i], 2);
        break;
      case '--label':
        out.label = value();
        break;
      case '--min-count':
        out.minCount = intArg('--min-count', argv[++i], 1);
        break;
      case '--seed':
        out.seed = intArg('--seed', argv[++i], 0);
        break;
      case '--json':
        out.json = true;
        break;
      case '--char-weight':
        out.charWeight = numberArg('--char-weight', value());
        break;
      case '--epochs':
        out.epochs = intArg('--epochs', argv[++i], 1);
        break;
      case '--l2':
        out.l2 = numberArg('--l2', value());
        break;
      case '--char':
        out.char = true;
        break;
      case '--no-char':
        out.char = false;
        break;
      case '--bigrams':
        out.bigrams = true;
        break;
      case '--no-bigrams':
        out.bigrams = false;
        break;
      case '--no-stem':
        out.stemming = false;
        break;
      case '--history-only':
        out.historyOnly = true;
        break;
      case '--algorithm': {
        const v = value();
        if (v !== 'product' && v !== 'logreg' && v !== 'cnb' && v !== 'mnb')
          throw new UsageError(sayEval('algorithm', { value: v }));
        out.algorithm = v;
        break;
      }
      default:
        throw new UsageError(sayEval('unknown_argument', { argument: a }));
    }
  }
  if (!args.train) throw new UsageError(sayEval('train_required'));
  if ((args.test === undefined) === (args.cv === undefined)) throw new UsageError(sayEval('test_or_cv'));
  return { ...out, ...args, train: args.train };
}

/**
 * Read a LAPOR!-style CSV file and return title+text with the chosen label column (rows with an empty
 * label dropped). With `cues` the text is the product's report-type model input (title, body and the
 * report-type cue tokens, see src/domain/routing/cues.ts).
 */
export async function readLabelledCsv(
  file: string,
  labelColumn: string,
  options: { cues?: boolean } = {},
): Promise<LabelledRow[]> {
  const label = normaliseColumn(labelColumn);
  const read = loadCsvFile(file, { known: [label, 'title', 'text'], required: [label, 'text'] });
  const lang = cliLanguage();
  if (read.error) throw new InputError(csvText(read.error, lang));
  if (read.notice) console.error(`aduan routing eval: ${csvText(read.notice, lang)}`);
  return read.table.rows
    .map(({ values: r }) => ({
      text: options.cues
        ? routingText({ title: r.title ?? '', body: r.text ?? '', cues: true })
        : `${r.title ?? ''}\n${r.text ?? ''}`,
      label: r[label] ?? '',
    }))
    .filter((r) => r.label !== '');
}

/** Labels with at least `minCount` rows. */
export function frequentLabels(rows: readonly LabelledRow[], minCount: number): Set<string> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => n >= minCount).map(([l]) => l));
}

/**
 * One model's options, or the product's ensemble for the label (the report-type model has a title-only member);
 * `semi`: trained as the served agency model is (`trainSemiSupervised`: label names, self-training).
 */
type EvalModel = TrainOptionsInput | { product: EnsembleSpec; semi: boolean };

function trainOptions(a: EvalArgs): EvalModel {
  if (a.algorithm === 'product') {
    const kind = a.label === 'report_type' ? 'classification' : 'agency';
    return { product: ensembleSpecFor(kind), semi: kind === 'agency' && !a.historyOnly };
  }
  return {
    algorithm: a.algorithm,
    seed: a.seed,
    features: {
      ...DEFAULT_FEATURE_OPTIONS,
      charNgrams: a.char ? [3, 5] : null,
      wordBigrams: a.bigrams,
      stemming: a.stemming,
      weighting: a.algorithm === 'mnb' ? 'count' : 'tfidf',
      charWeight: a.charWeight ?? DEFAULT_FEATURE_OPTIONS.charWeight,
    },
    ...(a.epochs !== undefined ? { epochs: a.epochs } : {}),
    ...(a.l2 !== undefined ? { l2: a.l2 } : {}),
  };
}

/** Train on `trainRows`, evaluate on `testRows`; also report training time and model JSON size. */
export function trainAndEvaluate(
  trainRows: readonly LabelledRow[],
  testRows: readonly LabelledRow[],
  opts: EvalModel,
) {
  if ('product' in opts) {
    const started = performance.now();
    // The label names are model input of a report with that title (the label column holds the agency's name).
    const ensemble = opts.semi
      ? trainSemiSupervised(trainRows, opts.product, indonesianStem, {
          labelDocs: [...new Set(trainRows.map((r) => r.label))].map((l) => ({ label: l, text: `${l}\n` })),
          unlabelled: testRows.map((r) => r.text),
        }).ensemble
      : trainEnsemble(trainRows, opts.product, indonesianStem);
    const trainSeconds = (performance.now() - started) / 1000;
    const modelBytes = Buffer.byteLength(JSON.stringify(serialiseEnsemble(ensemble)));
    const ranked = testRows.map((r) => suggest(ensemble, r.text, 3).map((p) => p.label));
    const metrics = evaluate(
      testRows.map((r) => r.label),
      ranked,
      ensemble.labels,
    );
    return { metrics, trainSeconds, modelBytes, labels: ensemble.labels.length };
  }
  const started = performance.now();
  const model = train(trainRows, opts, opts.features?.stemming === false ? undefined : indonesianStem);
  const trainSeconds = (performance.now() - started) / 1000;
  const modelBytes = Buffer.byteLength(JSON.stringify(serialise(model)));
  const ranked = testRows.map((r) => predict(model, r.text, 3).map((p) => p.label));
  const metrics = evaluate(
    testRows.map((r) => r.label),
    ranked,
    model.labels,
  );
  return { metrics, trainSeconds, modelBytes, labels: model.labels.length };
}

const fmt = (x: number): string => x.toFixed(3);

function table(metrics: Metrics): string {
  const rows = Object.entries(metrics.perLabel).sort((a, b) => b[1].support - a[1].support);
  const width = Math.min(60, Math.max(5, ...rows.map(([l]) => l.length)));
  const head = ['label', 'precision', 'recall', 'f1', 'support'].map((k) => sayEval(`table.${k}`));
  const lines = [
    `${head[0]!.padEnd(width)}  ${head[1]!.padStart(9)}  ${head[2]!.padStart(6)}  ${head[3]!.padEnd(5)}  ${head[4]!.padStart(7)}`,
  ];
  for (const [label, m] of rows) {
    lines.push(
      `${label.slice(0, width).padEnd(width)}  ${fmt(m.precision).padStart(9)}  ${fmt(m.recall).padStart(6)}  ${fmt(m.f1)}  ${String(m.support).padStart(7)}`,
    );
  }
  return lines.join('\n');
}

async function run(a: EvalArgs): Promise<void> {
  // The product's report-type (classification) model reads the report-type cues (`aduan routing train`).
  const input = { cues: a.algorithm === 'product' && a.label === 'report_type' };
  const allTrain = await readLabelledCsv(a.train, a.label, input);
  const kept = frequentLabels(allTrain, a.minCount);
  if (kept.size < 2) throw new InputError(sayEval('too_few_labels', { label: a.label, min: a.minCount }));
  const trainRows = allTrain.filter((r) => kept.has(r.label));
  const opts = trainOptions(a);
  if (a.test !== undefined) {
    const allTest = await readLabelledCsv(a.test, a.label, input);
    const testRows = allTest.filter((r) => kept.has(r.label));
    // Scores over no rows would read as 0 (or as a perfect model): say what is wrong with the file instead.
    if (testRows.length === 0)
      throw new InputError(
        sayEval('no_test_rows', { file: a.test, rows: allTest.length, label: a.label, labels: kept.size }),
      );
    const { metrics, trainSeconds, modelBytes } = trainAndEvaluate(trainRows, testRows, opts);
    const result = { labels: kept.size, train: trainRows.length, test: testRows.length, ...metrics };
    if (a.json) {
      console.log(JSON.stringify(result));
      return;
    }
    const [train, test] = [trainRows.length, testRows.length];
    console.log(sayEval('test_summary', { label: a.label, labels: kept.size, train, test }));
    console.log(
      sayEval('test_scores', {
        accuracy: fmt(metrics.accuracy),
        macroF1: fmt(metrics.macroF1),
        top3: fmt(metrics.top3Accuracy),
      }),
    );
    const kib = (modelBytes / 1024).toFixed(0);
    console.log(`${sayEval('test_training', { seconds: trainSeconds.toFixed(2), kib })}\n`);
    console.log(table(metrics));
    return;
  }
  const k = a.cv!;
  const folds = stratifiedFolds(
    trainRows.map((r) => r.label),
    k,
    a.seed,
  );
  const runs: ReturnType<typeof trainAndEvaluate>[] = [];
  for (let f = 0; f < k; f++) {
    runs.push(
      trainAndEvaluate(
        trainRows.filter((_, i) => folds[i] !== f),
        trainRows.filter((_, i) => folds[i] === f),
        opts,
      ),
    );
  }
  const stat = (pick: (r: (typeof runs)[number]) => number) => meanSd(runs.map(pick));
  const result = {
    labels: kept.size,
    train: trainRows.length,
    folds: k,
    accuracy: stat((r) => r.metrics.accuracy),
    macroF1: stat((r) => r.metrics.macroF1),
    top3Accuracy: stat((r) => r.metrics.top3Accuracy),
    trainSeconds: stat((r) => r.trainSeconds),
    modelBytes: stat((r) => r.modelBytes),
  };
  if (a.json) {
    console.log(JSON.stringify(result));
    return;
  }
  const ms = (s: { mean: number; sd: number }): string => `${fmt(s.mean)} ± ${fmt(s.sd)}`;
  const rows = trainRows.length;
  console.log(sayEval('cv_summary', { label: a.label, labels: kept.size, rows, k, algorithm: a.algorithm }));
  const names = ['accuracy', 'macro_f1', 'top3', 'training'].map((n) => sayEval(`cv.${n}`));
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const seconds = result.trainSeconds.mean.toFixed(2);
  const kib = (result.modelBytes.mean / 1024).toFixed(0);
  const values = [
    ms(result.accuracy),
    ms(result.macroF1),
    ms(result.top3Accuracy),
    sayEval('cv_training', { seconds, kib }),
  ];
  names.forEach((n, i) => console.log(`${n.padEnd(width)}${values[i]}`));
}

/**
 * Entry point of `aduan routing eval` (argv = the arguments after `routing eval`). Returns the exit
 * code: 0 on success, 2 on bad arguments or unreadable input, 1 on unexpected errors.
 */
export async function routingEvalCli(argv: string[]): Promise<number> {
  try {
    const args = parseEvalArgs(argv);
    await run(args);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`aduan routing eval: ${e.message}\n\n${usageOf('routing eval')}`);
      return 2;
    }
    if (e instanceof InputError) {
      console.error(`aduan routing eval: ${e.message}`);
      return 2;
    }
    console.error(loggableErrorText(e));
    return 1;
  }
}
