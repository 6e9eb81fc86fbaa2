/**
 * Migration 0040: the reports' full-text index keeps no pending list (`fastupdate = off`), so no read scans unmerged
 * entries and no citizen's insert merges them (docs/benchmarks.md, "GIN pending lists"); the title trigram index,
 * which no query read, is gone. A freshly migrated database on both engines (PostgreSQL when DATABASE_URL is set).
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { openDatabase, query, type Database } from './client.ts';
import { migrateDatabase } from './migrate.ts';

const pgDb = useThrowawayDatabase('reports_gin');
const engines: [string, () => Promise<Database>][] = [['PGlite', () => openDatabase({ memory: true })]];
if (pgDb.server) engines.push(['PostgreSQL', () => openDatabase({ databaseUrl: pgDb.url, poolSize: 1 })]);

describe.each(engines)('GIN indexes of reports on %s', (_name, open) => {
  it('are the full-text index alone, without a pending list', { timeout: 60_000 }, async () => {
    const database = await open();
    try {
      await migrateDatabase(database);
      const rows = await query<{ name: string; options: string[] | null }>(
        database.db,
        sql`select c.relname as name, c.reloptions as options
              from pg_index i
              join pg_class c on c.oid = i.indexrelid
              join pg_am am on am.oid = c.relam
             where i.indrelid = 'reports'::regclass and am.amname = 'gin'
             order by c.relname`,
      );
      expect(rows.map((r) => r.name)).toEqual(['reports_search_idx']);
      for (const r of rows) expect(r.options ?? [], r.name).toContain('fastupdate=off');
    } finally {
      await database.close();
    }
  });
});
