/**
 * The composition root of a process: opens the database, migrates, seeds reference data (and the demo when
 * asked), and builds the Services every command and query receives.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configError, configText, type Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrateDatabase, withMigrationLock } from './db/migrate.ts';
import { sealLegacyAttachmentFilenames } from './commands/add-attachment.ts';
import { recomputeMarkedCalendarDates } from './commands/recompute-deadlines.ts';
import { seedReference } from './db/seed/reference.ts';
import { createSealer, loadOrCreateKey, loadPreviousKeys, type Sealer } from './integrations/crypto.ts';
import { SEALED_COLUMNS } from './commands/reseal-secrets.ts';
import { localStorage } from './integrations/storage.ts';
import type { Services } from './app/context.ts';
import { flushRateLimits } from './commands/rate-limit.ts';
import { demoSeeded, seedDemoOrganisation, seedDemoReports } from './seed/demo.ts';
import { sql } from 'drizzle-orm';
import { query } from './db/client.ts';

/** An open process: database, services, and how to close them. */
export interface Runtime {
  config: Config;
  database: Database;
  services: Services;
  close(): Promise<void>;
}

/** Options for opening a runtime. */
export interface RuntimeOptions {
  /** Use this already-open database (tests). */
  database?: Database;
  /** Seed the demo on an empty database. */
  demo?: boolean;
  /** Skip migrations and reference seeding (a migrated snapshot). */
  skipSetup?: boolean;
  now?: () => Date;
}

/** Opens the database, prepares it, and returns the runtime. */
export async function openRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  // Before the database is touched: a shared database needs ADUAN_SECRET_KEY (ConfigError otherwise).
  const sealer = sealerOf(config);
  const database =
    opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    if (!opts.skipSetup) {
      // Under the migration lock: processes starting together on a fresh or upgraded database take turns.
      await withMigrationLock(database, async () => {
        await migrateDatabase(database);
        await seedReference(database.db, { now: (opts.now ?? (() => new Date()))() });
      });
    }
    const services: Services = {
      db: database.db,
      sealer,
      storage: localStorage(join(config.dataDir, 'attachments')),
      now: opts.now ?? (() => new Date()),
      publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
      outboundAllowHosts: config.outboundAllowHosts,
      inboundEmailAddress: config.emailInboundAddress,
      timeZone: config.timeZone,
      openData: config.openData,
      dataDir: config.dataDir,
      emailConfigured: !!config.smtpUrl,
      webhookHoldDays: config.webhookHoldDays,
    };
    // A wrong key must stop the start, before anything is sealed with it (or staff views fail on every reporter).
    await checkKeysOpenStoredData(database, sealer);
    // Names of attachments stored before migration 0025 are sealed by the app (SQL has no key); a no-op once done.
    if (!opts.skipSetup) await sealLegacyAttachmentFilenames(services);
    // Running deadlines over holidays a data migration corrected (0027) are recomputed here; a no-op once done.
    if (!opts.skipSetup) await recomputeMarkedCalendarDates(services);
    if (opts.demo && !(await demoSeeded(database.db))) {
      const [{ n, staff } = { n: 0, staff: 0 }] = await query<{ n: number; staff: number }>(
        database.db,
        sql`select (select count(*)::int from reports) as n, (select count(*)::int from users) as staff`,
      );
      // The demo accounts (a national admin among them) share a published password: never on a real install.
      if (staff > 0) throw configError('demo_on_real_install');
      await seedDemoOrganisation(database.db, {
        password: config.demoPassword,
        open311Key: config.demoOpen311Key,
      });
      if (n === 0) await seedDemoReports(services, services.now());
    }
    const close = async () => {
      // Unflushed rate-limit hits of this process go to the shared counters first.
      await flushRateLimits(services);
      await database.close();
    };
    return { config, database, services, close };
  } catch (e) {
    if (!opts.database) await database.close();
    throw e;
  }
}

/**
 * The sealer of a process. With DATABASE_URL (a database other processes share) the key must come from
 * ADUAN_SECRET_KEY: a data-directory key is one process's own, and a worker or web process with another data
 * directory would seal with a key nobody else holds (and open nothing sealed by the others).
 */
function sealerOf(config: Config): Sealer {
  if (config.databaseUrl && !config.secretKey) {
    const file = join(config.dataDir, 'secret.key');
    throw existsSync(file)
      ? configError('secret_key_required_with_file', { file })
      : configError('secret_key_required');
  }
  return createSealer(
    loadOrCreateKey(config.secretKey, config.dataDir),
    loadPreviousKeys(config.previousSecretKeys, config.dataDir),
  );
}

/**
 * Fails the start (ConfigError, one line) when stored personal data exists and no configured key opens any of
 * it: a sample per sealed column (the newest report first), then the newest undelivered outbox message. The first
 * value that opens ends the check (one query in the usual case); `aduan keys status` lists every stored key id.
 */
async function checkKeysOpenStoredData(database: Database, sealer: Sealer): Promise<void> {
  const samples = async function* (): AsyncGenerator<string> {
    const newest = await query<{ v: string }>(
      database.db,
      sql`select reporter_enc as v from reports where reporter_enc is not null order by created_at desc limit 1`,
    );
    if (newest[0]) yield newest[0].v;
    for (const c of SEALED_COLUMNS) {
      if (c.table === 'reports' && c.column === 'reporter_enc') continue;
      const col = sql.raw(`"${c.column}"`);
      const rows = await query<{ v: string }>(
        database.db,
        sql`select ${col} as v from ${sql.raw(`"${c.table}"`)} where ${col} is not null limit 1`,
      );
      if (rows[0]) yield rows[0].v;
    }
    // Last: without an undelivered sealed message this reads the whole outbox (reached only when nothing opened).
    const outbox = await query<{ payload: Record<string, unknown> }>(
      database.db,
      sql`select payload from outbox where status <> 'sent' and payload::text like '%Enc"%' order by id desc limit 1`,
    );
    for (const [k, v] of Object.entries(outbox[0]?.payload ?? {}))
      if (k.endsWith('Enc') && typeof v === 'string') yield v;
  };
  const unknown = new Set<string>();
  for await (const v of samples()) {
    try {
      sealer.open(v);
      return;
    } catch {
      let id: string;
      try {
        id = sealer.keyIdOf(v) ?? configText('key_without_id');
      } catch {
        id = configText('key_unrecognised');
      }
      unknown.add(id);
    }
  }
  if (unknown.size === 0) return;
  throw configError('keys_open_nothing', {
    configured: sealer.keyIds.join(', '),
    stored: [...unknown].join(', '),
  });
}
