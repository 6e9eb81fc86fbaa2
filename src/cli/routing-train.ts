/** `aduan routing train [--json] [--kind agency|category|classification|unit]`: retrain the routing models. */
import type { Services } from '../app/context.ts';
import { trainRoutingModels } from '../commands/train-routing.ts';
import { ROUTING_KINDS, type RoutingKind } from '../commands/routing-models.ts';
import { say } from './messages.ts';

/** Run a training and print one line per kind (or JSON). Returns the exit code. */
export async function routingTrainCli(svc: Services, argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const kinds: RoutingKind[] = [];
  for (let i = 0; i < argv.length; i++) {
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
  const results = await trainRoutingModels(svc, kinds.length ? { kinds } : {});
  if (json) {
    console.log(JSON.stringify(results));
    return 0;
  }
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
