/** Reading the administration audit log (`admin_audit_log`) in tests: its rows, and the entries a change wrote. */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { actorFor } from '../../src/db/repositories/users.ts';
import type { Caller } from '../../src/app/context.ts';
import type { TestApp } from './app.ts';

/** One row of `admin_audit_log`, as SQL returns it. */
export interface LogRow {
  id: number;
  actor_user_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string;
  agency_id: string | null;
  details: Record<string, unknown>;
}

/** Helpers over the test app `app()` returns (read when called, so they can be made before the app starts). */
export function auditLog(app: () => TestApp) {
  async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
    return ((await app().runtime.services.db.execute(q)) as unknown as { rows: T[] }).rows;
  }
  async function idOf(email: string): Promise<string> {
    return (await rows<{ id: string }>(sql`select id from users where email = ${email}`))[0]!.id;
  }
  async function lastId(): Promise<number> {
    return Number(
      (await rows<{ n: number }>(sql`select coalesce(max(id), 0) as n from admin_audit_log`))[0]!.n,
    );
  }
  /** The entries written after `since`. */
  async function entriesAfter(since: number): Promise<LogRow[]> {
    return rows<LogRow>(sql`select * from admin_audit_log where id > ${since} order by id`);
  }
  async function callerOf(email: string): Promise<Caller> {
    return { actor: await actorFor(app().runtime.services.db, await idOf(email)) };
  }
  /** Runs `change` and returns the entries it wrote. */
  async function written(change: () => Promise<unknown>): Promise<LogRow[]> {
    const since = await lastId();
    await change();
    return entriesAfter(since);
  }
  /** Runs `change`, expects it to be refused, and returns the entries written (none expected). */
  async function refused(change: () => Promise<unknown>): Promise<LogRow[]> {
    const since = await lastId();
    await expect(change()).rejects.toBeTruthy();
    return entriesAfter(since);
  }
  return { rows, idOf, lastId, entriesAfter, callerOf, written, refused };
}
