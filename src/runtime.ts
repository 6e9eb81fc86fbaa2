/**
 * The composition root of a process: opens the database, migrates, seeds reference data (and the demo when
 * asked), and builds the Services every command and query receives.
 */
import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { sealLegacyAttachmentFilenames } from './commands/add-attachment.ts';
import { recomputeMarkedCalendarDates } from './commands/recompute-deadlines.ts';
import { seedReference } from './db/seed/reference.ts';
import { createSealer, loadOrCreateKey, loadPreviousKeys } from './integrations/crypto.ts';
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
  const database =
    opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    if (!opts.skipSetup) {
      await migrateDatabase(database);
      await seedReference(database.db);
    }
    const services: Services = {
      db: database.db,
      sealer: createSealer(
        loadOrCreateKey(config.secretKey, config.dataDir),
        loadPreviousKeys(config.previousSecretKeys, config.dataDir),
      ),
      storage: localStorage(join(config.dataDir, 'attachments')),
      now: opts.now ?? (() => new Date()),
      publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
      outboundAllowHosts: config.outboundAllowHosts,
      inboundEmailAddress: config.emailInboundAddress,
      dataDir: config.dataDir,
    };
    // Names of attachments stored before migration 0025 are sealed by the app (SQL has no key); a no-op once done.
    if (!opts.skipSetup) await sealLegacyAttachmentFilenames(services);
    // Running deadlines over holidays a data migration corrected (0027) are recomputed here; a no-op once done.
    if (!opts.skipSetup) await recomputeMarkedCalendarDates(services);
    if (opts.demo && !(await demoSeeded(database.db))) {
      const [{ n } = { n: 0 }] = await query<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from reports`,
      );
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
