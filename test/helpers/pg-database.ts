/**
 * A throw-away PostgreSQL database for a test file that runs the CLI in child processes: created before the file's
 * tests and dropped after them, when DATABASE_URL is set. Without it the CLI uses PGlite in its data directory and
 * nothing is created. Empty (no template): the CLI migrates it as an operator's fresh install would.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { adminUrl } from '../global-setup.ts';

/** The throw-away database of a test file. */
export interface ThrowawayDatabase {
  /** The server's URL (DATABASE_URL); undefined when unset. */
  readonly server: string | undefined;
  /** The database's name: `aduan_t_<prefix>_<random>`. */
  readonly name: string;
  /** The CLI's DATABASE_URL: the throw-away database, or '' without DATABASE_URL (the CLI then uses PGlite). */
  readonly url: string;
  /** Runs one statement on the server's maintenance database (e.g. creating another database); needs DATABASE_URL. */
  adminQuery(text: string): Promise<void>;
}

/**
 * Names a throw-away database and registers the `beforeAll` that creates it and the `afterAll` that drops it (both do
 * nothing without DATABASE_URL). Call it at the top level of a test file; the name and URL are known at once, so they
 * can go into the environment the file's child processes get.
 */
export function useThrowawayDatabase(prefix: string): ThrowawayDatabase {
  if (!/^[a-z0-9_]+$/.test(prefix)) throw new Error(`invalid database name prefix: ${prefix}`);
  const server = process.env.DATABASE_URL || undefined;
  const name = `aduan_t_${prefix}_${randomBytes(4).toString('hex')}`;
  async function adminQuery(text: string): Promise<void> {
    if (!server) throw new Error('adminQuery needs DATABASE_URL');
    const c = new pg.Client({ connectionString: adminUrl(server) });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  }
  beforeAll(async () => {
    if (server) await adminQuery(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    if (server) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return { server, name, url: server ? adminUrl(server, name) : '', adminQuery };
}
