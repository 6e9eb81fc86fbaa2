/** Applies the SQL migrations in src/db/migrations on either driver (drizzle-kit's CLI cannot load PGlite extensions). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Database } from './client.ts';

/** The folder holding the generated SQL migrations. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * The PostgreSQL advisory lock key that serialises migrations and reference seeding across processes
 * ('aduanmig' as a 64-bit integer). Fixed: every aduan version must use the same key.
 */
export const MIGRATION_LOCK_KEY = '7017863180675017063';

/** The pools whose migration lock the current async context already holds (the lock is re-entrant). */
const heldLocks = new AsyncLocalStorage<ReadonlySet<pg.Pool>>();

/**
 * Runs `fn` while holding the migration lock, so that several processes starting at once on an empty or upgraded
 * PostgreSQL database migrate and seed one after the other instead of racing (the losers would fail on
 * `duplicate key value violates unique constraint "pg_type_typname_nsp_index"`). The lock is a session advisory lock
 * taken on a dedicated connection outside the pool (so `fn` may use the whole pool, even a pool of one) and released
 * afterwards; it is also released by the server if this process dies. Nested calls in the same async context reuse
 * the lock. PGlite is single-process (its data directory is locked by acquireDirLock): there `fn` just runs.
 */
export async function withMigrationLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  const pool = (database.db as { $client?: unknown }).$client;
  if (database.kind !== 'postgres' || !(pool instanceof pg.Pool)) return fn();
  const held = heldLocks.getStore();
  if (held?.has(pool)) return fn();
  const client = new pg.Client(pool.options);
  // A connection lost while holding the lock only releases it: it must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      return await heldLocks.run(new Set([...(held ?? []), pool]), fn);
    } finally {
      await client
        .query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY])
        .catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Runs every pending migration; safe to call at each start, and from several processes at once (under the
 * migration lock on PostgreSQL).
 */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema: 'public' };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
  } else {
    await withMigrationLock(database, () => migratePg(database.db as unknown as NodePgDatabase, config));
  }
}
