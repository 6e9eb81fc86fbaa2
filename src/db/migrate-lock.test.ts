/**
 * Processes starting together on a fresh PostgreSQL database take turns at migrating and seeding (operator audit M1).
 * Without the migration lock the losers failed on `duplicate key value violates unique constraint
 * "pg_type_typname_nsp_index"` (two `CREATE TABLE` of the same table) or seeded reference data twice. Three
 * connections opened the way the app opens them (one with a pool of one connection: the lock must not take a pool
 * slot) run what openRuntime runs, at once; all succeed, one after the other, and the database ends up exactly like
 * one migrated and seeded alone. PostgreSQL only (DATABASE_URL).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { openDatabase, query, type Database } from './client.ts';
import { MIGRATIONS_FOLDER, migrateDatabase, withMigrationLock } from './migrate.ts';
import { seedReference } from './seed/reference.ts';

const together = useThrowawayDatabase('migrate_lock');
const alone = useThrowawayDatabase('migrate_alone');
const migrateOnly = useThrowawayDatabase('migrate_only');

/** What openRuntime does at start (src/runtime.ts). */
async function setUp(database: Database): Promise<void> {
  await withMigrationLock(database, async () => {
    await migrateDatabase(database);
    await seedReference(database.db);
  });
}

/** The database's shape and content: its relations and columns, and the row count of every table. */
async function fingerprint(database: Database): Promise<Record<string, unknown>> {
  const relations = await query<{ name: string; kind: string }>(
    database.db,
    sql`select relname as name, relkind::text as kind from pg_class
         where relnamespace = 'public'::regnamespace order by relname`,
  );
  const columns = await query<{ c: string }>(
    database.db,
    sql`select table_name || '.' || column_name || ':' || data_type as c from information_schema.columns
         where table_schema = 'public' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const r of relations.filter((x) => x.kind === 'r')) {
    const [row] = await query<{ n: number }>(
      database.db,
      sql.raw(`select count(*)::int as n from public."${r.name}"`),
    );
    counts[r.name] = row?.n ?? -1;
  }
  return { relations, columns: columns.map((x) => x.c), counts };
}

const journalEntries = (
  JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
).entries.length;

describe.skipIf(!together.server)('migrations under the advisory lock (PostgreSQL)', () => {
  it('three processes migrating and seeding one fresh database at once all succeed, one at a time', async () => {
    const databases = await Promise.all(
      [10, 10, 1].map((poolSize) => openDatabase({ databaseUrl: together.url, poolSize })),
    );
    const single = await openDatabase({ databaseUrl: alone.url });
    try {
      const spans: Array<[number, number]> = [];
      const results = await Promise.allSettled(
        databases.map((d) =>
          withMigrationLock(d, async () => {
            const start = performance.now();
            await migrateDatabase(d); // re-entrant: the nested lock is the one already held
            await seedReference(d.db);
            spans.push([start, performance.now()]);
          }),
        ),
      );
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
        'ok',
      ]);
      // Never two at once.
      spans.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);

      const [applied] = await query<{ n: number; hashes: number }>(
        databases[0]!.db,
        sql`select count(*)::int as n, count(distinct hash)::int as hashes from public.__drizzle_migrations`,
      );
      expect(applied).toEqual({ n: journalEntries, hashes: journalEntries });

      await setUp(single);
      const expected = await fingerprint(single);
      expect((expected.counts as Record<string, number>).regions).toBeGreaterThan(0);
      expect(await fingerprint(databases[0]!)).toEqual(expected);
      // The lock is released: nobody holds an advisory lock in this database any more.
      const [locks] = await query<{ n: number }>(
        databases[0]!.db,
        sql`select count(*)::int as n from pg_locks where locktype = 'advisory'
             and database = (select oid from pg_database where datname = current_database())`,
      );
      expect(locks?.n).toBe(0);
    } finally {
      for (const d of [...databases, single]) await d.close();
    }
  });

  it('migrateDatabase alone (aduan migrate) takes the lock too', async () => {
    const databases = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: migrateOnly.url })));
    try {
      const results = await Promise.allSettled(databases.map((d) => migrateDatabase(d)));
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
        'ok',
      ]);
      const [applied] = await query<{ n: number }>(
        databases[0]!.db,
        sql`select count(*)::int as n from public.__drizzle_migrations`,
      );
      expect(applied?.n).toBe(journalEntries);
    } finally {
      for (const d of databases) await d.close();
    }
  });
});

describe.skipIf(!!together.server)('migrations under the advisory lock on PGlite', () => {
  it.skip('needs PostgreSQL (DATABASE_URL): PGlite is single-process (its data directory is locked)', () => {});
});
