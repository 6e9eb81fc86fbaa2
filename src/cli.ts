/**
 * The `aduan` command line: serve | migrate | seed | users | agencies | audit verify | routing eval | ….
 * `npm start` runs `aduan serve --demo` on the embedded database.
 */
import { loggableError, loggableErrorText } from './integrations/error-log.ts';
import { cliLanguage, ConfigError, loadConfig, type Config } from './config.ts';
import { commandList, parseCommandArgs, resolveCommand, usageProblem, type ParsedArgs } from './cli/args.ts';
import { t } from './locales/index.ts';
import { COMMANDS } from './cli/commands.ts';
import { CliError, databaseUrlProblem, describeDatabaseError } from './cli/db-errors.ts';
import { say } from './cli/messages.ts';

// The database, the web app and the demo data are imported where a command needs them, so that `--help`, usage
// errors and the commands that open nothing start in well under a second (about 2 s more when imported eagerly).

/** The list of every command, in the command line's language (`cli.help.*`, src/locales/<lang>/cli.json). */
function help(): string {
  const lang = cliLanguage();
  const text = (key: string) => t(lang, `cli.help.${key}`);
  return [
    text('title'),
    '',
    text('usage'),
    commandList(Object.values(COMMANDS), lang),
    '',
    text('more'),
    text('environment'),
    text('language'),
  ].join('\n');
}

async function serve(config: Config, demoFlag: boolean): Promise<void> {
  const demo = config.demo ?? demoFlag;
  const t0 = Date.now();
  const [{ openRuntime }, { buildApp }] = await Promise.all([
    import('./runtime.ts'),
    import('./http/app.ts'),
  ]);
  const runtime = await openRuntime(config, { demo });
  const app = await buildApp({
    services: runtime.services,
    logLevel: config.logLevel,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    limits: config.rateLimits,
    metricsToken: config.metricsToken,
    channels: {
      smsGatewaySecret: config.smsGatewaySecret,
      emailInboundSecret: config.smsGatewaySecret,
      defaultRegion: config.intakeRegion,
    },
    // Public Open311 reads: cached a few seconds, dropped at every report change (docs/open311.md).
    open311: { listCacheSeconds: 2, changes: (fn) => runtime.database.listen('outbox', fn) },
  });
  const { stopOnSignals } = await import('./cli/shutdown.ts');
  stopOnSignals(async (signal) => {
    console.log(`aduan: ${say('serve.stopping', { signal })}`);
    // close() waits for answers still being written; a client that stops reading a large one (an export on a
    // stalled phone) would hold the shutdown for as long as its socket lives, so it is cut after a grace period.
    setTimeout(() => app.server.closeAllConnections(), 10_000).unref();
    await app.close();
    await runtime.close();
    process.exit(0);
  });
  if (config.runWorker) {
    const { startRuntimeWorker } = await import('./cli/worker-commands.ts');
    const worker = await startRuntimeWorker(runtime, config, (l) => app.log.info(l));
    app.addHook('onClose', () => worker.stop());
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    // Stop the worker and close the database (and its lock) before saying why: nothing is left half-open.
    await app.close();
    await runtime.close();
    const problem = listenProblem(e, config);
    throw problem ? new CliError(problem) : e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const local = localUrl(config.host, port);
  const url = config.publicUrl ?? local;
  const ready = say('serve.ready_in', { seconds: ((Date.now() - t0) / 1000).toFixed(1) });
  // Behind a proxy the operator needs both: where this process listens (to check it, and for the proxy's
  // `proxy_pass`) and the address the public uses, which this process does not serve itself.
  console.log(
    `\n${
      config.publicUrl
        ? say('serve.running_public', { local, url: config.publicUrl, ready })
        : say('serve.running', { local, ready })
    }`,
  );
  if (!demo && !config.publicUrl)
    console.warn(`  ${say('serve.no_public_url', { url: runtime.services.publicUrl })}`);
  console.log(
    `  ${
      runtime.database.kind === 'pglite'
        ? say('serve.database_pglite', { dir: config.dataDir })
        : say('serve.database_pg')
    }`,
  );
  console.log(`  ${say('serve.api_docs', { url: `${url}/api/docs` })}`);
  if (demo) {
    const { DEMO_USERS } = await import('./seed/demo-data.ts');
    console.log(`  ${say('serve.demo_accounts', { password: config.demoPassword })}`);
    for (const u of DEMO_USERS) console.log(`    ${u.email.padEnd(38)} ${u.role}`);
  } else {
    const [{ usersInScope }, { systemCaller }] = await Promise.all([
      import('./queries/admin.ts'),
      import('./app/context.ts'),
    ]);
    const staff = await usersInScope(runtime.services, systemCaller('cli').actor);
    if (!staff.some((u) => u.grants.some((g) => g.role === 'national_admin')))
      console.log(
        `  ${say('serve.no_admin')}` +
          // The embedded database is locked by this process: the command runs once the server is stopped.
          (config.databaseUrl ? '' : ` ${say('serve.no_admin_embedded')}`),
      );
  }
}

/** The local URL of HOST:PORT: a wildcard host as the loopback address, an IPv6 address in brackets. */
function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** One line explaining why the server could not listen on HOST:PORT, or null for another failure. */
function listenProblem(e: unknown, config: Pick<Config, 'host' | 'port'>): string | null {
  const where = `${config.host}:${config.port}`;
  const problem = (key: string) => `aduan: ${say(`serve.listen.${key}`, { where })}`;
  switch ((e as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return problem('in_use');
    case 'EACCES':
      return problem('denied');
    case 'EADDRNOTAVAIL':
      return problem('not_local');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return problem('unresolved');
    default:
      return null;
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd] = argv;
  if (cmd === 'help' && argv.length > 1) return main([...argv.slice(1), '--help']);
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    if (cmd) console.log(help());
    else console.error(help());
    return cmd ? 0 : 2;
  }
  if (!Object.hasOwn(COMMANDS, cmd)) {
    console.error(`aduan: ${usageProblem('unknown_command', { command: cmd })}\n\n${help()}`);
    return 2;
  }
  // Usage and option errors are answered here, before anything is opened or done.
  const found = resolveCommand(COMMANDS[cmd]!, argv.slice(1));
  if (typeof found === 'number') return found;
  const parsed = parseCommandArgs(found.spec, found.args);
  if (typeof parsed === 'number') return parsed;
  return run(found.spec.name, parsed, argv);
}

/** Runs a command whose arguments have been checked (`name` as in src/cli/commands.ts). */
async function run(name: string, { values, positionals }: ParsedArgs, argv: string[]): Promise<number> {
  const args = argv.slice(1); // after the command
  const rest = argv.slice(2); // after the subcommand
  if (name === 'routing eval') {
    const { routingEvalCli } = await import('./cli/routing-eval.ts');
    return routingEvalCli(rest);
  }
  const config = loadConfig();
  const open = async (opts?: { demo?: boolean }) => {
    const problem = databaseUrlProblem(config.databaseUrl);
    if (problem) throw new CliError(problem);
    const { openRuntime } = await import('./runtime.ts');
    return openRuntime(config, opts);
  };
  const [cmd, sub] = name.split(' ') as [string, string | undefined];
  switch (cmd) {
    case 'federation': {
      const fed = await import('./cli/federation.ts');
      const problem = fed.federationArgsProblem(args);
      if (problem) {
        console.error(`aduan federation: ${problem}\n${fed.federationUsage()}`);
        return 2;
      }
      const rt = await open();
      try {
        return await fed.federationCli(rt, args);
      } finally {
        await rt.close();
      }
    }
    case 'keys': {
      const { keysCli } = await import('./cli/keys.ts');
      return keysCli(config, args, () => open());
    }
    case 'agencies': {
      const { agenciesCli } = await import('./cli/agencies.ts');
      return agenciesCli(sub!, { values, positionals }, () => open());
    }
    case 'holidays': {
      const { holidaysCli } = await import('./cli/holidays.ts');
      return holidaysCli(sub!, { values, positionals }, () => open());
    }
    case 'users': {
      const { usersCli } = await import('./cli/users.ts');
      return usersCli(config, args, () => open());
    }
    case 'open311':
    case 'smtp':
    case 'sms': {
      const ch = await import('./cli/channels.ts');
      if (cmd === 'sms') return ch.smsCli(config, args, () => open());
      return cmd === 'smtp'
        ? ch.smtpCli(config, args, () => open())
        : ch.open311Cli(config, args, () => open());
    }
    case 'serve': {
      const problem = databaseUrlProblem(config.databaseUrl);
      if (problem) throw new CliError(problem);
      await serve(config, values.demo === true);
      return -1;
    }
    case 'migrate': {
      const rt = await open();
      console.log(say('migrate.done', { kind: rt.database.kind }));
      await rt.close();
      return 0;
    }
    case 'seed': {
      const rt = await open({ demo: values.demo === true });
      console.log(say(values.demo ? 'seed.demo' : 'seed.reference'));
      await rt.close();
      return 0;
    }
    case 'worker':
    case 'sweep':
    case 'sla':
    case 'outbox': {
      const { workerCli } = await import('./cli/worker-commands.ts');
      return workerCli(cmd, args, config, () => open());
    }
    case 'routing': {
      const rt = await open();
      try {
        if (sub === 'auto-dispatch') {
          const { routingAutoDispatchCli } = await import('./cli/routing-auto-dispatch.ts');
          return await routingAutoDispatchCli(rt.services, rest);
        }
        const { routingTrainCli } = await import('./cli/routing-train.ts');
        return await routingTrainCli(rt.services, rest, config.routingTrainMaxRows);
      } finally {
        await rt.close();
      }
    }
    case 'stats':
    case 'open-data':
    case 'evaluate': {
      const rt = await open();
      try {
        if (sub === 'audit') {
          const { siteAuditCli } = await import('./cli/site-audit-cli.ts');
          return await siteAuditCli(rt, rest);
        }
        const { statsCli } = await import('./cli/stats-cli.ts');
        return await statsCli(rt, cmd, args);
      } finally {
        await rt.close();
      }
    }
    case 'audit': {
      if (sub === 'admin') {
        const { adminLogCli } = await import('./cli/admin-log.ts');
        return adminLogCli({ values, positionals }, () => open());
      }
      const rt = await open();
      const { verifyChains } = await import('./db/repositories/events.ts');
      const r = await verifyChains(rt.services.db);
      await rt.close();
      if (r.problems.length === 0) {
        console.log(say('audit.intact', { reports: r.reports, events: r.events }));
        return 0;
      }
      for (const p of r.problems)
        console.log(say('audit.broken', { trackingId: p.trackingId, seq: p.seq, problem: p.problem }));
      return 1;
    }
  }
  throw new Error(`no handler for "aduan ${name}"`);
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
    const database = describeDatabaseError(e, process.env.DATABASE_URL);
    // DataDirLockedError by name: src/db/client.ts is only imported once a command opens the database.
    if (
      e instanceof ConfigError ||
      e instanceof CliError ||
      (e instanceof Error && e.name === 'DataDirLockedError')
    )
      console.error(e.message);
    else if (database) console.error(database);
    // Never a failed query's bound parameters (personal data) on the operator's terminal or in a service log.
    else {
      const frames = loggableError(e).stack;
      console.error(loggableErrorText(e) + (frames ? `\n${frames}` : ''));
    }
    exitWhenFlushed(1);
  },
);
