/**
 * Worker wake-ups follow commits: outbox rows written in a transaction are announced (NOTIFY outbox) after
 * it commits, not by a NOTIFY inside it (which serialises commits in PostgreSQL); a rolled-back transaction
 * announces nothing; a write outside a transaction is announced at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { notifyOutbox, type Database } from './client.ts';

let database: Database;
const heard: number[] = [];
let unlisten: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  unlisten = await database.listen('outbox', () => heard.push(Date.now()));
});

afterAll(async () => {
  await unlisten();
  await database.close();
});

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('worker wake-ups after commit', () => {
  it('a transaction that wrote outbox rows wakes workers once, after its commit, without NOTIFY inside it', async () => {
    const before = heard.length;
    const statements: string[] = [];
    await database.db.transaction(async (tx) => {
      // Records what the transaction itself sends: a NOTIFY inside it would show here.
      const execute = tx.execute.bind(tx);
      tx.execute = ((q: Parameters<typeof execute>[0]) => {
        statements.push(JSON.stringify(q));
        return execute(q);
      }) as typeof tx.execute;
      await notifyOutbox(tx);
      await notifyOutbox(tx);
      await new Promise((r) => setTimeout(r, 100));
      expect(heard.length).toBe(before);
    });
    // (node-postgres commits through the same handle, so only NOTIFYs count.)
    expect(statements.filter((q) => q.includes('pg_notify'))).toEqual([]);
    expect(await until(() => heard.length === before + 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.length).toBe(before + 1);
  });

  it('a rolled-back transaction wakes nobody', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const before = heard.length;
    await expect(
      database.db.transaction(async (tx) => {
        await notifyOutbox(tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.length).toBe(before);
  });

  it('outside a transaction the wake-up is sent at once; in a nested transaction, at its commit', async () => {
    const before = heard.length;
    await notifyOutbox(database.db);
    expect(await until(() => heard.length === before + 1)).toBe(true);
    await database.db.transaction(async (tx) => {
      await tx.transaction(async (inner) => {
        const execute = inner.execute.bind(inner);
        let sent = '';
        inner.execute = ((q: Parameters<typeof execute>[0]) => {
          sent += JSON.stringify(q);
          return execute(q);
        }) as typeof inner.execute;
        await notifyOutbox(inner);
        expect(sent).toContain('pg_notify');
      });
    });
    expect(await until(() => heard.length === before + 2)).toBe(true);
  });
});
