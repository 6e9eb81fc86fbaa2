/**
 * The read-ahead of bitmap heap scans (`IO_CONCURRENCY`, src/db/client.ts): a pooled PostgreSQL connection whose
 * `effective_io_concurrency` is the old default of 1 gets IO_CONCURRENCY, already for the first query on it; a value
 * the operator chose (ALTER DATABASE … SET, `options` in DATABASE_URL) is kept. PostgreSQL only (DATABASE_URL).
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { IO_CONCURRENCY, openDatabase, query } from './client.ts';

const pgDb = useThrowawayDatabase('io_concurrency');

/** The setting as the first query of a freshly opened pool sees it, and on a second connection of the same pool. */
async function seen(url: string): Promise<string[]> {
  const warnings: string[] = [];
  const database = await openDatabase({ databaseUrl: url, poolSize: 2, onWarning: (m) => warnings.push(m) });
  try {
    const show = sql`select current_setting('effective_io_concurrency') as v, pg_backend_pid() as pid, pg_sleep(0.05)`;
    const both = await Promise.all([
      query<{ v: string; pid: number }>(database.db, show),
      query<{ v: string; pid: number }>(database.db, show),
    ]);
    // Two queries at once on a pool of two: two connections, each raised on its own.
    expect(new Set(both.map(([r]) => r!.pid)).size).toBe(2);
    expect(warnings).toEqual([]);
    return both.map(([r]) => r!.v);
  } finally {
    await database.close();
  }
}

describe.skipIf(!pgDb.server)('effective_io_concurrency on pooled PostgreSQL connections', () => {
  it('raises the old default of 1, from the first query on each connection', async () => {
    await pgDb.adminQuery(`ALTER DATABASE ${pgDb.name} SET effective_io_concurrency = 1`);
    expect(await seen(pgDb.url)).toEqual([String(IO_CONCURRENCY), String(IO_CONCURRENCY)]);
  });

  it("keeps the operator's value from ALTER DATABASE … SET", async () => {
    await pgDb.adminQuery(`ALTER DATABASE ${pgDb.name} SET effective_io_concurrency = 48`);
    expect(await seen(pgDb.url)).toEqual(['48', '48']);
  });

  it("keeps the operator's value from the URL's options", async () => {
    await pgDb.adminQuery(`ALTER DATABASE ${pgDb.name} SET effective_io_concurrency = 1`);
    const url = new URL(pgDb.url);
    url.searchParams.set('options', '-c effective_io_concurrency=0');
    expect(await seen(url.toString())).toEqual(['0', '0']);
  });
});
