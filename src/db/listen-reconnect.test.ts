/**
 * A lost PostgreSQL connection does not crash the process (operator audit H1). A server restart, failover or idle
 * reaper terminates every backend (`pg_terminate_backend`); before the fix the LISTEN connection's unhandled 'error'
 * event (57P01) killed `aduan serve` and `aduan worker`. Here the database is opened the way the app opens it, every
 * backend of it is terminated from an admin connection, and: the process keeps running, LISTEN is re-established (with
 * backoff while the server refuses connections) and a NOTIFY reaches the callback again, and queries succeed (a
 * transaction caught mid-way fails with an ordinary error). PostgreSQL only (DATABASE_URL).
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useThrowawayDatabase } from '../../test/helpers/pg-database.ts';
import { openDatabase, query, type Database } from './client.ts';

const pgDb = useThrowawayDatabase('listen_reconnect');

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!pgDb.server)('a dropped PostgreSQL connection (pg_terminate_backend)', () => {
  let database: Database;
  let admin: pg.Client;
  const warnings: string[] = [];
  const heard: string[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown): void => {
    uncaught.push(e);
  };

  /** Terminates every backend of the test database except the admin connection; returns how many. */
  async function terminateAll(): Promise<number> {
    const { rows } = await admin.query<{ n: number }>(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = $1 and pid <> pg_backend_pid()`,
      [pgDb.name],
    );
    return rows[0]?.n ?? 0;
  }

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    admin = new pg.Client({ connectionString: pgDb.url });
    await admin.connect();
    database = await openDatabase({ databaseUrl: pgDb.url, onWarning: (m) => warnings.push(m) });
  });

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await database?.close();
    if (pgDb.server) {
      await pgDb.adminQuery(`ALTER DATABASE ${pgDb.name} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    }
    await admin?.end();
  });

  it('keeps the process up, re-establishes LISTEN and answers queries', async () => {
    const unlisten = await database.listen('outbox', (p) => heard.push(p));
    // Warm up the pool (several idle pooled connections) and check that NOTIFY arrives.
    await Promise.all([1, 2, 3].map(() => query(database.db, sql`select pg_sleep(0.05)`)));
    await admin.query(`select pg_notify('outbox', 'before')`);
    await until('the first NOTIFY', () => heard.includes('before'));

    expect(await terminateAll()).toBeGreaterThanOrEqual(2); // the LISTEN connection and the idle pooled ones

    await until('the LISTEN connection to be re-established', () =>
      warnings.some((w) => w.includes('LISTEN re-established')),
    );
    // Missed notifications are made up for by one empty-payload call after the reconnection.
    expect(heard).toContain('');
    await admin.query(`select pg_notify('outbox', 'after')`);
    await until('a NOTIFY after the reconnection', () => heard.includes('after'));

    const [row] = await query<{ one: number }>(database.db, sql`select 1 as one`);
    expect(row?.one).toBe(1);
    expect(warnings.some((w) => w.includes('the LISTEN connection was lost') && w.includes('57P01'))).toBe(
      true,
    );
    // No secret (the connection string) in what is logged.
    expect(warnings.join('\n')).not.toContain(pgDb.url);
    expect(uncaught).toEqual([]);
    await unlisten();
  });

  it('a transaction whose connection is terminated fails with an ordinary error; the next query succeeds', async () => {
    const inTransaction = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await terminateAll();
      await new Promise((r) => setTimeout(r, 200)); // the 'error' event arrives while the client is checked out
      await tx.execute(sql`select 2`);
    });
    await expect(inTransaction).rejects.toThrow();
    const [row] = await query<{ two: number }>(database.db, sql`select 2 as two`);
    expect(row?.two).toBe(2);
    expect(uncaught).toEqual([]);
  });

  it('retries with backoff while the server refuses connections, then LISTENs again', async () => {
    const unlisten = await database.listen('outbox', (p) => heard.push(p));
    warnings.length = 0;
    heard.length = 0;
    await pgDb.adminQuery(`ALTER DATABASE ${pgDb.name} WITH ALLOW_CONNECTIONS false`);
    await terminateAll();
    await until(
      'two failed reconnection attempts',
      () => warnings.filter((w) => w.includes('reconnecting the LISTEN connection failed')).length >= 2,
    );
    expect(warnings.find((w) => w.includes('failed'))).toMatch(/retrying in 2 s/);
    // A query fails meanwhile, as an ordinary error.
    await expect(query(database.db, sql`select 1`)).rejects.toThrow();
    await pgDb.adminQuery(`ALTER DATABASE ${pgDb.name} WITH ALLOW_CONNECTIONS true`);
    await until('the LISTEN connection to be re-established', () =>
      warnings.some((w) => w.includes('LISTEN re-established')),
    );
    // The callback subscribed before the outage hears a NOTIFY sent after it.
    await admin.query(`select pg_notify('outbox', 'again')`);
    await until('a NOTIFY after the outage', () => heard.includes('again'));
    expect(uncaught).toEqual([]);
    await unlisten();
  });
});

describe.skipIf(!!pgDb.server)('a dropped PostgreSQL connection on PGlite', () => {
  it.skip('needs PostgreSQL (DATABASE_URL): PGlite is embedded, it has no connection to lose', () => {});
});
