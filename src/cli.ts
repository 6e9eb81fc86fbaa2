/**
 * The `aduan` command line: serve | migrate | seed | users | audit verify | routing eval | ….
 * `npm start` runs `aduan serve --demo` on the embedded database.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DataDirLockedError } from './db/client.ts';
import { openRuntime } from './runtime.ts';
import { buildApp } from './http/app.ts';
import { verifyChains } from './db/repositories/events.ts';
import { DEMO_USERS } from './seed/demo-data.ts';
import { systemCaller } from './app/context.ts';
import { usersInScope } from './queries/admin.ts';

const HELP = `aduan: complaint handling for Indonesian public services

Usage:
  aduan serve [--demo]         start the web server (and the in-process worker)
  aduan migrate                apply database migrations and load reference data
  aduan seed --demo            seed the Kalimantan Timur demo on an empty database
  aduan stats refresh [--full]  recompute the statistics read model (changed reports only)
  aduan open-data snapshot     write the daily open-data snapshot (+ sha256) into the data dir
  aduan evaluate --period ID   recompute an evaluation from the snapshot and compare with the published one
  aduan evaluate audit --period ID   audit participant websites (axe-core, links, LAPOR! link)
  aduan audit verify           walk the hash chain of every report's timeline
  aduan keys status|generate|rotate|reseal   rotate the key sealing personal data (docs/security.md)
  aduan users create-admin --email E --name N   the first national admin (prints a one-time password)
  aduan users invite --email E --name N --role R [--agency ID]   invite staff (queues the email, prints the link)
  aduan users list [--json]    staff accounts with their roles, and pending invitations
  aduan open311 key create --name NAME [--agency ID]   issue a partner API key (printed once)
  aduan open311 service-type CODE realtime|batch|blackbox
  aduan federation instance|add|list|remove|test ...   configure federation peers (docs/integrations.md)
  aduan smtp [--port 2525] [--address lapor@aduan.local]   SMTP listener feeding inbound email
  aduan sms keyword AGENCY KEYWORD|--clear, aduan sms keywords [--json]   SMS keywords (docs/channels.md)
  aduan worker                 run the outbox worker and deadline sweeper (docs/worker.md)
  aduan sweep --at <ISO> [--dry-run]   preview or run the deadline sweep at a moment
  aduan sla set --clock C --days N --basis "..." --valid-from YYYY-MM-DD   add an SLA rule version
  aduan outbox status          queue depth per channel and overdue counts per agency
  aduan routing eval ...       evaluate the routing classifier (see docs/routing.md)
  aduan routing train          retrain routing suggestions on the verified history
  aduan routing auto-dispatch [--on|--off] [--threshold 0.9] [--agency ID]   auto-dispatch rules (off by default)

Environment: see README.md (PORT, HOST, ADUAN_DATA_DIR, DATABASE_URL, ADUAN_DEMO, ...).`;

async function serve(config: Config, demoFlag: boolean): Promise<void> {
  const demo = config.demo ?? demoFlag;
  const t0 = Date.now();
  const runtime = await openRuntime(config, { demo });
  const app = await buildApp({
    services: runtime.services,
    logLevel: config.logLevel,
    secureCookies: config.production,
    limits: config.rateLimits,
    channels: {
      smsGatewaySecret: config.smsGatewaySecret,
      emailInboundSecret: config.smsGatewaySecret,
      defaultRegion: config.intakeRegion,
    },
    // Public Open311 reads: cached a few seconds, dropped at every report change (docs/open311.md).
    open311: { listCacheSeconds: 2, changes: (fn) => runtime.database.listen('outbox', fn) },
  });
  const stop = async () => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (config.runWorker) {
    const { startRuntimeWorker } = await import('./cli/worker-commands.ts');
    const worker = await startRuntimeWorker(runtime, config, (l) => app.log.info(l));
    app.addHook('onClose', () => worker.stop());
  }
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  console.log(`\naduan is running at ${url}  (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(
    `  database: ${runtime.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
  );
  console.log(`  API docs: ${url}/api/docs`);
  if (demo) {
    console.log(`  demo accounts (password "${config.demoPassword}", see docs/api-v1.md):`);
    for (const u of DEMO_USERS) console.log(`    ${u.email.padEnd(38)} ${u.role}`);
  } else {
    const staff = await usersInScope(runtime.services, systemCaller('cli').actor);
    if (!staff.some((u) => u.grants.some((g) => g.role === 'national_admin')))
      console.log('  no national admin yet: aduan users create-admin --email <address> --name "<name>"');
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help') {
    console.log(HELP);
    return cmd ? 0 : 2;
  }
  if (cmd === 'routing' && sub === 'eval') {
    const { routingEvalCli } = await import('./cli/routing-eval.ts');
    return routingEvalCli(rest);
  }
  if (cmd === 'federation') {
    const fed = await import('./cli/federation.ts');
    const problem = fed.federationArgsProblem(argv.slice(1));
    if (problem) {
      console.error(`aduan federation: ${problem}\n${fed.FEDERATION_USAGE}`);
      return 2;
    }
    const rt = await openRuntime(loadConfig());
    try {
      return await fed.federationCli(rt, argv.slice(1));
    } finally {
      await rt.close();
    }
  }
  const config = loadConfig();
  if (cmd === 'keys') {
    const { keysCli } = await import('./cli/keys.ts');
    return keysCli(config, argv.slice(1), () => openRuntime(config));
  }
  if (cmd === 'users') {
    const { usersCli } = await import('./cli/users.ts');
    return usersCli(config, argv.slice(1), () => openRuntime(config));
  }
  if (cmd === 'open311' || cmd === 'smtp' || cmd === 'sms') {
    const ch = await import('./cli/channels.ts');
    if (cmd === 'sms') return ch.smsCli(config, argv.slice(1));
    return cmd === 'smtp' ? ch.smtpCli(config, argv.slice(1)) : ch.open311Cli(config, argv.slice(1));
  }
  const { values } = parseArgs({
    args: argv.slice(1),
    options: { demo: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: false,
  });
  switch (cmd) {
    case 'serve':
      await serve(config, values.demo === true);
      return -1;
    case 'migrate': {
      const rt = await openRuntime(config);
      console.log(`migrated (${rt.database.kind})`);
      await rt.close();
      return 0;
    }
    case 'seed': {
      const rt = await openRuntime(config, { demo: values.demo === true });
      console.log(values.demo ? 'demo seeded' : 'reference data loaded');
      await rt.close();
      return 0;
    }
    case 'worker':
    case 'sweep':
    case 'sla':
    case 'outbox': {
      const { workerCli } = await import('./cli/worker-commands.ts');
      const code = await workerCli(cmd, argv.slice(1), config, () => openRuntime(config));
      if (code !== 2 || cmd === 'sweep' || cmd === 'sla') return code;
      break;
    }
    case 'routing': {
      if (sub === 'auto-dispatch') {
        const { routingAutoDispatchCli } = await import('./cli/routing-auto-dispatch.ts');
        const rt = await openRuntime(config);
        try {
          return await routingAutoDispatchCli(rt.services, rest);
        } finally {
          await rt.close();
        }
      }
      if (sub !== 'train') break;
      const { routingTrainCli } = await import('./cli/routing-train.ts');
      const rt = await openRuntime(config);
      const code = await routingTrainCli(rt.services, rest);
      await rt.close();
      return code;
    }
    case 'stats':
    case 'open-data':
    case 'evaluate': {
      if (cmd === 'evaluate' && sub === 'audit') {
        const { siteAuditCli } = await import('./cli/site-audit-cli.ts');
        const rt = await openRuntime(config);
        try {
          return await siteAuditCli(rt, rest);
        } finally {
          await rt.close();
        }
      }
      const { statsCli } = await import('./cli/stats-cli.ts');
      const rt = await openRuntime(config);
      try {
        return await statsCli(rt, cmd, argv.slice(1));
      } finally {
        await rt.close();
      }
    }
    case 'audit': {
      if (sub !== 'verify') break;
      const rt = await openRuntime(config);
      const r = await verifyChains(rt.services.db);
      await rt.close();
      if (r.problems.length === 0) {
        console.log(`audit: ${r.reports} reports, ${r.events} events, every hash chain intact`);
        return 0;
      }
      for (const p of r.problems) console.log(`audit: report ${p.trackingId}: event #${p.seq} ${p.problem}`);
      return 1;
    }
  }
  console.error(`Unknown command: ${argv.join(' ')}\n\n${HELP}`);
  return 2;
}

/**
 * Exits once stdout and stderr have handed everything to the OS. When they are pipes Node writes them
 * asynchronously, and a bare `process.exit` cut `aduan sweep --dry-run` off mid-output for a reader such as
 * `spawnSync` (the Ombudsman offers, printed last, were lost). Stream write callbacks run in order.
 */
function exitWhenFlushed(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) exitWhenFlushed(code);
  },
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof DataDirLockedError) console.error(e.message);
    else console.error(e);
    exitWhenFlushed(1);
  },
);
