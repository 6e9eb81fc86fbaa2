/** A fresh, migrated database per test file: PGlite from the cached template, or a clone of the PostgreSQL template. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { adminUrl, clonePrefix } from '../global-setup.ts';

/** Opens a fresh database; `close()` also drops a PostgreSQL clone. */
export async function createTestDatabase(): Promise<Database> {
  const tpl = inject('dbTemplate');
  if (tpl.kind === 'pglite') {
    const blob = new Blob([readFileSync(tpl.file)]);
    return openDatabase({ memory: true, loadDataDir: blob });
  }
  const name = `${clonePrefix(tpl.template)}${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(tpl.url) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl.template}`);
  await admin.end();
  const url = adminUrl(tpl.url, name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
  const opened: Database = {
    ...database,
    async close() {
      await database.close();
      const a = new pg.Client({ connectionString: adminUrl(tpl.url) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
  urls.set(opened, url);
  return opened;
}

const urls = new WeakMap<Database, string>();

/**
 * A second connection pool to a PostgreSQL test database, as another process of the same deployment would open
 * (its `close()` leaves the database to its creator). PGlite cannot share a database between two handles.
 */
export async function openSameDatabase(db: Database): Promise<Database> {
  const url = urls.get(db);
  if (!url)
    throw new Error('openSameDatabase: only a PostgreSQL database from createTestDatabase can be shared');
  return openDatabase({ databaseUrl: url, poolSize: 5 });
}

/** Which backend this run uses (for test names and skips). */
export function backend(): 'pglite' | 'postgres' {
  return inject('dbTemplate').kind;
}
