/**
 * CLI for the background work: `aduan worker`, `aduan sweep --at <ISO> [--dry-run]`,
 * `aduan sla set --clock … --days … [--unit working|calendar] --basis … --valid-from … [--region 64]`, `aduan outbox status`.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { Config } from '../config.ts';
import type { Runtime } from '../runtime.ts';
import type { Database } from '../db/client.ts';
import { transportsFromConfig } from '../integrations/delivery.ts';
import { startWorker, type Worker } from '../jobs/worker.ts';
import { runSweep } from '../jobs/sweeper.ts';
import { setSlaRule } from '../commands/set-sla-rule.ts';
import type { FieldIssue } from '../app/errors.ts';
import { issueBoth } from './agencies.ts';
import { stopOnSignals } from './shutdown.ts';
import { say } from './messages.ts';

/** The `aduan sla set` flag of each field of `setSlaRule`, for error lines. */
const SLA_FLAG: Record<string, string> = {
  clock: '--clock',
  workingDays: '--days',
  dayUnit: '--unit',
  basis: '--basis',
  validFrom: '--valid-from',
  classification: '--classification',
  ruleId: '--rule-id',
  regionCode: '--region',
};
import { deliveryCounts } from '../commands/outbox-delivery.ts';
import { overdueCountsByAgency } from '../queries/sweep-candidates.ts';

/**
 * How often the worker vacuums and analyses the database: daily on the embedded PGlite, which has no autovacuum
 * (src/commands/maintain-database.ts); never on a PostgreSQL server, which does it itself.
 */
export function maintainEveryHoursFor(database: Pick<Database, 'kind'>): number {
  return database.kind === 'pglite' ? 24 : 0;
}

/** Starts the worker of a runtime (in-process for `serve`, or standalone). */
export function startRuntimeWorker(rt: Runtime, config: Config, log: (l: string) => void): Promise<Worker> {
  const transports = transportsFromConfig(config);
  if (!transports.mailer) log('worker: SMTP_URL not set: email rows stay pending until it is configured');
  if (!transports.sms) log('worker: SMS_GATEWAY_URL not set: SMS rows stay pending until it is configured');
  return startWorker(rt.services, {
    transports,
    listen: (channel, fn) => rt.database.listen(channel, fn),
    log,
    openDataDir: rt.config.dataDir,
    routingTrainEveryHours: config.routingTrainEveryHours,
    routingTrainMaxRows: config.routingTrainMaxRows,
    maintainEveryHours: maintainEveryHoursFor(rt.database),
    ...config.worker,
  });
}

/** Runs one of the worker-area subcommands; returns the exit code (-1 = keep running). */
export async function workerCli(
  cmd: string,
  argv: string[],
  config: Config,
  open: () => Promise<Runtime>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      at: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      clock: { type: 'string' },
      days: { type: 'string' },
      unit: { type: 'string' },
      basis: { type: 'string' },
      'valid-from': { type: 'string' },
      classification: { type: 'string' },
      supervisory: { type: 'boolean' },
      'rule-id': { type: 'string' },
      region: { type: 'string' },
      retroactive: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const str = (k: keyof typeof values) => (typeof values[k] === 'string' ? values[k] : undefined);
  if (cmd === 'worker') {
    // The same pino JSON lines as `aduan serve` (its Fastify logger), written synchronously so that the
    // last lines before an exit are not lost.
    const logger = pino({ level: config.logLevel ?? 'info' }, pino.destination({ dest: 1, sync: true }));
    const rt = await open();
    const worker = await startRuntimeWorker(rt, config, (l) => logger.info(l));
    // The signal handlers go in before the line that says the worker runs: a Ctrl-C (or a supervisor's SIGTERM)
    // sent as soon as it shows must close the database, not kill the process with its lock left behind.
    stopOnSignals(async (signal) => {
      logger.info({ signal }, 'shutting down');
      await worker.stop();
      await rt.close();
      logger.info('worker stopped');
      process.exit(0);
    });
    logger.info({ database: rt.database.kind }, 'aduan worker running');
    return -1;
  }
  if (cmd === 'sweep') {
    const at = str('at') ? new Date(str('at')!) : new Date();
    if (Number.isNaN(at.getTime())) {
      console.error(`aduan sweep: ${say('sweep.bad_at')}`);
      return 2;
    }
    const rt = await open();
    rt.services.now = () => at;
    const actions = await runSweep(rt.services, at, { dryRun: values['dry-run'] === true });
    for (const a of actions) console.log(JSON.stringify(a));
    await rt.close();
    return actions.some((a) => a.result === 'error') ? 1 : 0;
  }
  if (cmd === 'sla' && positionals[0] === 'set') {
    const rt = await open();
    try {
      const row = await setSlaRule(rt.services, {
        clock: str('clock') ?? '',
        workingDays: Number(str('days')),
        dayUnit: str('unit'),
        basis: str('basis') ?? '',
        validFrom: str('valid-from') ?? '',
        classification: str('classification'),
        supervisory: typeof values.supervisory === 'boolean' ? values.supervisory : undefined,
        ruleId: str('rule-id'),
        regionCode: str('region'),
        retroactive: values.retroactive === true,
      });
      console.log(JSON.stringify(row));
      return 0;
    } catch (e) {
      const fields = (e as { fields?: Record<string, FieldIssue> }).fields;
      console.error(
        `sla set: ${say('sla.invalid', { details: JSON.stringify(fields ?? (e as Error).message) })}`,
      );
      for (const [field, issue] of Object.entries(fields ?? {}))
        console.error(`sla set: ${SLA_FLAG[field] ?? field}: ${issueBoth(issue)}`);
      return 2;
    } finally {
      await rt.close();
    }
  }
  if (cmd === 'outbox' && positionals[0] === 'status') {
    const rt = await open();
    for (const r of await deliveryCounts(rt.services)) console.log(JSON.stringify(r));
    for (const r of await overdueCountsByAgency(rt.services)) console.log(JSON.stringify({ overdue: r }));
    await rt.close();
    return 0;
  }
  return 2;
}
