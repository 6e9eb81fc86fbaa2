/** Runner for `aduan routing eval`: `npx tsx scripts/routing-eval.ts --train T.csv --cv 5 [--json]`. */
import { routingEvalCli } from '../src/cli/routing-eval.ts';

process.exitCode = await routingEvalCli(
  process.argv.slice(2).filter((a, i) => !(i < 2 && (a === 'routing' || a === 'eval'))),
);
