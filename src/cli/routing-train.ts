/** `aduan routing train [--json] [--kind agency|category|classification|unit]`: retrain the routing models. */
import type { Services } from '../app/context.ts';
import { trainRoutingModels } from '../commands/train-routing.ts';
import { ROUTING_KINDS, type RoutingKind } from '../commands/routing-models.ts';

/** Run a training and print one line per kind (or JSON). Returns the exit code. */
export async function routingTrainCli(svc: Services, argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const kinds: RoutingKind[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--kind') continue;
    const k = argv[++i] as RoutingKind;
    if (!ROUTING_KINDS.includes(k)) {
      console.error(`aduan routing train: --kind must be one of ${ROUTING_KINDS.join(', ')}`);
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
    const what =
      r.status === 'trained'
        ? `version ${r.version}, ${r.rows} reports, ${r.labels} labels, ${r.negatives} with bukan-wewenang returns${
            r.metrics?.labelDocs !== undefined
              ? `, ${r.metrics.labelDocs} agency-name documents, ${r.metrics.selfTrained} waiting reports self-trained`
              : ''
          }`
        : `skipped (${r.reason}; ${r.rows} reports, ${r.labels} labels)`;
    console.log(`routing ${r.kind}: ${what} in ${r.seconds.toFixed(1)} s`);
  }
  return 0;
}
