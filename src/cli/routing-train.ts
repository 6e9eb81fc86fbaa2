/**
 * `aduan routing train [--json] [--kind agency|category|classification|unit] [--max-rows N]`: retrain the routing
 * models on the N most recently verified reports (default ADUAN_ROUTING_TRAIN_MAX_ROWS; 0 = the whole history).
 */
import type { Services } from '../app/context.ts';
import { trainRoutingModels } from '../commands/train-routing.ts';
import { ROUTING_KINDS, type RoutingKind } from '../commands/routing-models.ts';
import { say } from './messages.ts';
import { wholeNumberProblem } from './routing-eval.ts';

/** Run a training and print one line per kind (or JSON). Returns the exit code. */
export async function routingTrainCli(
  svc: Services,
  argv: readonly string[],
  defaultMaxRows: number,
): Promise<number> {
  const json = argv.includes('--json');
  const kinds: RoutingKind[] = [];
  let maxRows = defaultMaxRows;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--max-rows') {
      const value = argv[++i];
      const problem = wholeNumberProblem('--max-rows', value, 0);
      if (problem) {
        console.error(`aduan routing train: ${problem}`);
        return 2;
      }
      maxRows = Number(value);
      continue;
    }
    if (argv[i] !== '--kind') continue;
    const k = argv[++i] as RoutingKind;
    if (!ROUTING_KINDS.includes(k)) {
      console.error(
        `aduan routing train: --kind: ${say('routing.kind', { kinds: ROUTING_KINDS.join(', ') })}`,
      );
      return 2;
    }
    kinds.push(k);
  }
  const results = await trainRoutingModels(svc, { maxRows, ...(kinds.length ? { kinds } : {}) });
  if (json) {
    console.log(JSON.stringify(results));
    return 0;
  }
  const history = results[0]?.history;
  if (history && history.read < history.total)
    console.log(say('routing.history_capped', { read: history.read, total: history.total }));
  for (const r of results) {
    const seconds = r.seconds.toFixed(1);
    const counts = { kind: r.kind, rows: r.rows, labels: r.labels, seconds };
    console.log(
      r.status === 'trained'
        ? say('routing.trained', {
            ...counts,
            version: r.version ?? '-',
            negatives: r.negatives ?? 0,
            names:
              r.metrics?.labelDocs !== undefined
                ? say('routing.trained_names', {
                    docs: String(r.metrics.labelDocs),
                    selfTrained: String(r.metrics.selfTrained),
                  })
                : '',
          })
        : say('routing.skipped', { ...counts, reason: r.reason ?? '' }),
    );
  }
  return 0;
}
