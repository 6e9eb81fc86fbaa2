/**
 * The composition root of a process: opens the database, migrates, seeds reference data (and the demo when
 * asked), and builds the Services every command and query receives.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from './config.ts';
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

/** Why the demo is refused on a database that already has accounts of its own. */
export const DEMO_ON_REAL_INSTALL =
  'aduan: the demo (--demo, ADUAN_DEMO=1, npm start) is only seeded on an empty database, and this one already has ' +
  'user accounts: its demo accounts, a national admin among them, would share a published password. Start without ' +
  'the demo: `aduan serve` (with ADUAN_DEMO unset or 0), or use another ADUAN_DATA_DIR or DATABASE_URL for a demo.';

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
      if (staff > 0) throw new ConfigError(DEMO_ON_REAL_INSTALL);
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
    throw new ConfigError(
      'ADUAN_SECRET_KEY is required with DATABASE_URL: every process using the database (web, worker, CLI) must ' +
        'seal personal data with the same key. Generate one with `aduan keys generate` and set it in the ' +
        'environment of every process' +
        (existsSync(file)
          ? `; this install already has a key in ${file}: set ADUAN_SECRET_KEY to its content instead ` +
            '(and ADUAN_PREVIOUS_SECRET_KEYS to the keys in secret.previous, if that file exists).'
          : '.'),
    );
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
        id = sealer.keyIdOf(v) ?? 'v1 (no key id)';
      } catch {
        id = 'an unrecognised format';
      }
      unknown.add(id);
    }
  }
  if (unknown.size === 0) return;
  throw new ConfigError(
    `The configured encryption keys (${sealer.keyIds.join(', ')}) open none of the stored personal data, sealed ` +
      `with key id(s) ${[...unknown].join(', ')}: set ADUAN_SECRET_KEY to the key this database was sealed with, ` +
      'or add that key to ADUAN_PREVIOUS_SECRET_KEYS (then run aduan keys reseal).',
  );
}
