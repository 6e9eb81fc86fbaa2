/**
 * Opens the database: embedded PGlite in the data directory (default) or a PostgreSQL server (DATABASE_URL).
 * One typed Drizzle handle covers both drivers; only this file knows which one runs.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';

/** The Drizzle handle every repository, command and query takes. */
export type AppDb = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle (same API as AppDb). */
export type Tx = Parameters<Parameters<AppDb['transaction']>[0]>[0];

/** An open database plus what differs between drivers. */
export interface Database {
  db: AppDb;
  kind: 'pglite' | 'postgres';
  /** Subscribes to NOTIFY on a channel; returns an unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** For PGlite: a tarball of the data directory (test snapshots). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}

/** Options for opening a database. */
export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Data directory for PGlite (the database lives in `<dataDir>/pglite`). */
  dataDir?: string | undefined;
  /** In-memory PGlite, optionally loaded from a snapshot tarball. */
  memory?: boolean;
  loadDataDir?: Blob;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /**
   * Where PostgreSQL connection warnings go (a lost connection, LISTEN re-established); default: stderr. Messages
   * carry the error's text and code, never the connection string.
   */
  onWarning?: (message: string) => void;
}

function defaultWarn(message: string): void {
  console.warn(`[aduan] ${message}`);
}

/** Thrown when another process holds the PGlite data directory. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock file so that two processes never open the same PGlite directory
 * (two writers silently lose commits: stack-notes §3.4). A lock left by a dead process is taken over.
 */
export function acquireDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'aduan.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(
          `The data directory ${dataDir} is in use by process ${pid}. Stop it first, or set DATABASE_URL to use a PostgreSQL server.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock ${dataDir}`);
}

/** Opens PGlite (embedded) or PostgreSQL (DATABASE_URL). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    return openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.onWarning ?? defaultWarn);
  }
  return openPglite(opts);
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  let release: (() => void) | undefined;
  let client: PGlite;
  if (opts.memory || !opts.dataDir) {
    client = await PGlite.create({
      extensions: { pg_trgm },
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
  } else {
    release = acquireDirLock(opts.dataDir);
    try {
      const dir = join(opts.dataDir, 'pglite');
      mkdirSync(dir, { recursive: true });
      client = await PGlite.create(dir, { extensions: { pg_trgm } });
    } catch (e) {
      release();
      throw e;
    }
  }
  const db = wakeAfterCommits(drizzlePglite(client, { schema }) as unknown as AppDb);
  return {
    db,
    kind: 'pglite',
    async listen(channel, onMessage) {
      const unsub = await client.listen(channel, onMessage);
      return async () => unsub();
    },
    async dump() {
      return (await client.dumpDataDir('none')) as Blob;
    },
    async close() {
      await client.close();
      release?.();
    },
  };
}

/** Reconnection delays of the LISTEN connection after it was lost: 1 s, doubling, at most 30 s. */
export const LISTEN_RETRY_FIRST_MS = 1_000;
export const LISTEN_RETRY_MAX_MS = 30_000;

/** An error as one log line: its message and SQLSTATE or errno code (never the connection string). */
function describeError(e: unknown): string {
  const err = (e ?? {}) as { message?: unknown; code?: unknown };
  const message = typeof err.message === 'string' ? err.message : String(e);
  return typeof err.code === 'string' ? `${message} (${err.code})` : message;
}

const ignore = (): void => undefined;

/**
 * How many heap pages a bitmap heap scan asks the kernel for ahead of reading them (`effective_io_concurrency`).
 * PostgreSQL 15–17 default to 1, which reads them one at a time; 18 defaults to 16. Each new pooled connection raises
 * a 1 to this; any other value (postgresql.conf, ALTER DATABASE / ROLE … SET, `options` in DATABASE_URL) is kept, as is
 * the 0 of a platform without posix_fadvise. The similar-report lookup's pages read from disk: staff side p95 about
 * 105 → 63 ms in the busy province (docs/benchmarks.md, "Heap pages read ahead").
 */
export const IO_CONCURRENCY = 16;
const RAISE_IO_CONCURRENCY = `select set_config('effective_io_concurrency', '${IO_CONCURRENCY}', false)
  where current_setting('effective_io_concurrency') = '1'`;

function openPostgres(url: string, max: number, warn: (message: string) => void): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Awaited before the new connection serves its first query; a failure only costs the read-ahead.
    onConnect: (client) =>
      client
        .query(RAISE_IO_CONCURRENCY)
        .then(ignore, (e: unknown) =>
          warn(`database: effective_io_concurrency left as it was: ${describeError(e)}`),
        ),
  });
  // A pooled connection lost while idle (server restart, failover, idle reaper, pg_terminate_backend) is dropped
  // from the pool; the next query opens a new one.
  pool.on('error', (e) => warn(`database: an idle pooled connection was closed: ${describeError(e)}`));
  // A pooled connection lost while checked out (e.g. inside a transaction, between statements) fails that
  // transaction's next statement, an ordinary error; without a listener its 'error' event would crash the process.
  pool.on('connect', (client) => client.on('error', ignore));
  const db = wakeAfterCommits(drizzlePg(pool, { schema }) as unknown as AppDb);

  // LISTEN runs on one dedicated connection (outside the pool) shared by every subscription. When it is lost it is
  // re-established with backoff, LISTENing to the same channels; each callback is then called once with an empty
  // payload, since notifications sent meanwhile were lost.
  const subscriptions = new Map<string, Set<{ onMessage: (payload: string) => void }>>();
  let conn: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let retryDelay = LISTEN_RETRY_FIRST_MS;
  let closed = false;

  const deliver = (channel: string, payload: string): void => {
    for (const s of subscriptions.get(channel) ?? []) {
      try {
        s.onMessage(payload);
      } catch (e) {
        warn(`database: a NOTIFY callback on channel ${channel} failed: ${describeError(e)}`);
      }
    }
  };

  const lost = (c: pg.Client, e: unknown): void => {
    if (c !== conn) return;
    conn = null;
    void c.end().catch(ignore);
    if (closed) return;
    warn(`database: the LISTEN connection was lost: ${describeError(e)}; reconnecting`);
    scheduleRetry();
  };

  const connectListener = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    // Stays attached for the client's life: errors after it was replaced are ignored by lost().
    c.on('error', (e) => lost(c, e));
    c.on('end', () => lost(c, new Error('connection ended')));
    c.on('notification', (n) => deliver(n.channel, n.payload ?? ''));
    try {
      await c.connect();
      for (const channel of subscriptions.keys()) await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (e) {
      await c.end().catch(ignore);
      throw e;
    }
    if (closed) {
      await c.end().catch(ignore);
      throw new Error('database closed');
    }
    return c;
  };

  const ensureConnected = (): Promise<pg.Client> => {
    if (conn) return Promise.resolve(conn);
    connecting ??= connectListener()
      .then((c) => {
        conn = c;
        retryDelay = LISTEN_RETRY_FIRST_MS;
        return c;
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  };

  function scheduleRetry(): void {
    if (closed || retryTimer || subscriptions.size === 0) return;
    const delay = retryDelay;
    retryDelay = Math.min(retryDelay * 2, LISTEN_RETRY_MAX_MS);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (closed || conn) return;
      ensureConnected().then(
        () => {
          warn(`database: LISTEN re-established on ${[...subscriptions.keys()].join(', ')}`);
          for (const channel of subscriptions.keys()) deliver(channel, '');
        },
        (e: unknown) => {
          if (closed) return;
          warn(
            `database: reconnecting the LISTEN connection failed: ${describeError(e)}; retrying in ${retryDelay / 1000} s`,
          );
          scheduleRetry();
        },
      );
    }, delay);
    retryTimer.unref();
  }

  return {
    db,
    kind: 'postgres',
    async listen(channel, onMessage) {
      const entry = { onMessage };
      let set = subscriptions.get(channel);
      if (!set) subscriptions.set(channel, (set = new Set()));
      set.add(entry);
      const unsubscribe = async (): Promise<void> => {
        const current = subscriptions.get(channel);
        if (!current?.delete(entry) || current.size > 0) return;
        subscriptions.delete(channel);
        await conn?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(ignore);
      };
      try {
        // LISTEN is idempotent: repeated for a channel the (re)connection may already have subscribed.
        const c = await ensureConnected();
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (e) {
        await unsubscribe();
        scheduleRetry();
        throw e;
      }
      return unsubscribe;
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const pending = connecting;
      if (pending) await pending.then((c) => c.end()).catch(ignore);
      const c = conn;
      conn = null;
      if (c) await c.end().catch(ignore);
      await pool.end();
    },
  };
}

/** Rows of a raw `db.execute()` result (both drivers answer `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Runs raw SQL and returns its rows. */
export async function query<T>(db: AppDb | Tx, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(statement));
}

const dialect = new PgDialect();

/**
 * Runs raw SQL as a named prepared statement on PostgreSQL (each pooled connection parses and plans it once),
 * or as a plain query elsewhere (PGlite, transactions). For hot statements whose text never varies: the name
 * must be unique per statement text.
 */
export async function queryPrepared<T>(db: AppDb | Tx, name: string, statement: SQL): Promise<T[]> {
  const client = (db as { $client?: unknown }).$client;
  if (!(client instanceof pg.Pool)) return query<T>(db, statement);
  const q = dialect.sqlToQuery(statement);
  return (await client.query({ name, text: q.sql, values: q.params as unknown[] })).rows as T[];
}

/** Per database handle: whether a NOTIFY is in flight or waiting, and whether another must follow it. */
const wakeState = new WeakMap<AppDb, { again: boolean }>();

/**
 * At most one NOTIFY per this many milliseconds per database handle. Under load every group-commit statement
 * would otherwise be followed by its own NOTIFY statement (a round trip, a commit, and a signal to every
 * listening backend); workers lose at most this much wake-up latency.
 */
const WAKE_INTERVAL_MS = 20;

/**
 * Wakes workers (NOTIFY outbox; docs/worker.md) after a commit, without waiting. At most one NOTIFY is in
 * flight per database handle and they are spaced by WAKE_INTERVAL_MS; a commit that lands meanwhile asks for
 * one more after it, so every committed outbox row is followed by a NOTIFY sent after its commit. (Workers
 * also poll as a backstop.)
 */
export function wakeWorkers(db: AppDb): void {
  const state = wakeState.get(db);
  if (state) {
    state.again = true;
    return;
  }
  const mine = { again: false };
  wakeState.set(db, mine);
  const send = (): void => {
    mine.again = false;
    const sentAt = Date.now();
    db.execute(sql`select pg_notify('outbox', '')`)
      .catch(() => undefined)
      .finally(() => {
        if (!mine.again) {
          wakeState.delete(db);
          return;
        }
        const wait = WAKE_INTERVAL_MS - (Date.now() - sentAt);
        if (wait <= 0) send();
        else setTimeout(send, wait).unref();
      });
  };
  send();
}

/** Per top-level transaction handle: whether its commit must be followed by a worker wake-up. */
const wakeAfterCommit = new WeakMap<object, { wake: boolean }>();

/**
 * Makes `db.transaction` wake workers after the commit of a transaction that wrote outbox rows (see
 * notifyOutbox), instead of a NOTIFY inside it: PostgreSQL serialises the commits of transactions that
 * NOTIFY (a database-wide lock held through the commit's WAL flush), which caps concurrent report actions.
 */
function wakeAfterCommits(db: AppDb): AppDb {
  const transaction = db.transaction.bind(db);
  const wrapped: AppDb['transaction'] = async (fn, config) => {
    const state = { wake: false };
    const result = await transaction((tx) => {
      wakeAfterCommit.set(tx, state);
      return fn(tx);
    }, config);
    if (state.wake) wakeWorkers(db);
    return result;
  };
  (db as { transaction: AppDb['transaction'] }).transaction = wrapped;
  return db;
}

/**
 * Wakes workers (LISTEN outbox; docs/worker.md) for outbox rows written through `db`: after the commit in a
 * top-level transaction, at once (spaced, after the statement's own commit) outside one, and by a NOTIFY
 * delivered at commit in a nested transaction.
 */
export async function notifyOutbox(db: AppDb | Tx): Promise<void> {
  const state = wakeAfterCommit.get(db);
  if (state) {
    state.wake = true;
    return;
  }
  if (typeof (db as { rollback?: unknown }).rollback !== 'function') {
    wakeWorkers(db as AppDb);
    return;
  }
  await db.execute(sql`select pg_notify('outbox', '')`);
}
