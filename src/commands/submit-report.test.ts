/**
 * Submission writes each report with its verification clock, its hash-chained first event and its outbox
 * message in one statement; concurrent submissions are written together (group commit), a bad row fails
 * only its own submission, and a taken tracking number is redrawn.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_CALLER } from '../app/context.ts';
import { query } from '../db/client.ts';
import { eventRecord, verifyChains } from '../db/repositories/events.ts';
import { insertSubmission, type SubmissionRows } from '../db/repositories/submission.ts';
import { submitReport, type SubmitReportInput } from './submit-report.ts';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const input = (i: number): SubmitReportInput => ({
  classification: 'pengaduan',
  title: `Lampu jalan padam ${i}`,
  body: 'Lampu penerangan jalan di depan sekolah padam sejak seminggu sehingga jalan gelap di malam hari.',
  regionCode: '64.72.02',
  anonymous: i % 2 === 0,
  reporter: i % 2 === 0 ? undefined : { name: `Warga ${i}`, phone: '081234567890' },
  channel: 'api',
});

/** Rows of a submission as submitReport builds them, for a given tracking number. */
function rowsFor(trackingId: string, overrides: Partial<SubmissionRows['report']> = {}): SubmissionRows {
  const id = crypto.randomUUID();
  const now = new Date();
  const event = eventRecord(
    { id, eventCount: 0, lastEventHash: null },
    { type: 'submit', visibility: 'public', toStatus: 'submitted', actorRole: 'reporter', createdAt: now },
  );
  return {
    report: {
      id,
      trackingId,
      accessKeyHash: 'h',
      classification: 'pengaduan',
      title: 'Judul',
      body: 'Isi laporan yang cukup panjang untuk disimpan.',
      status: 'submitted',
      channel: 'api',
      createdAt: now,
      updatedAt: now,
      eventCount: 1,
      lastEventHash: event.hash,
      ...overrides,
    },
    deadline: {
      reportId: id,
      clock: 'verification',
      ruleId: 'verification-v1',
      ruleVersion: 1,
      startedAt: now,
      dueAt: new Date(now.getTime() + 3 * 86_400_000),
      explanation: {},
    },
    event,
  };
}

const count = async (table: string, trackingIds: string[]) =>
  (
    await query<{ n: number }>(
      t.runtime.services.db,
      sql`select count(*)::int as n from ${sql.raw(table)} x join reports r on r.id = x.report_id
          where r.tracking_id in ${trackingIds}`,
    )
  )[0]!.n;

describe('submitReport', () => {
  it('writes concurrent submissions completely, each with its clock, event and outbox row', async () => {
    const svc = t.runtime.services;
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => submitReport(svc, PUBLIC_CALLER, input(i))),
    );
    const ids = results.map((r) => r.report.row.trackingId);
    expect(new Set(ids).size).toBe(24);
    expect(await count('report_deadlines', ids)).toBe(24);
    expect(await count('report_events', ids)).toBe(24);
    expect(await count('outbox', ids)).toBe(24);
    const [stored] = await query<{ event_count: number; anonymous: boolean; reporter_enc: string | null }>(
      svc.db,
      sql`select event_count, anonymous, reporter_enc from reports where tracking_id = ${ids[1]!}`,
    );
    expect(stored).toMatchObject({ event_count: 1, anonymous: false });
    // Identity is sealed at rest, never stored in clear.
    expect(stored!.reporter_enc).toBeTruthy();
    expect(stored!.reporter_enc).not.toContain('Warga');
    // The returned row is what was stored.
    expect(results[1]!.report.row).toMatchObject({ eventCount: 1, status: 'submitted', supportCount: 0 });
    expect(results[1]!.report.row.search).toContain('lampu');
    // Each clock row carries its explanation (sent once per report, copied from the report's deadline).
    const [clock] = await query<{ id: string; same: boolean }>(
      svc.db,
      sql`select d.explanation->>'id' as id, d.explanation = r.deadline->'explanation' as same
          from report_deadlines d join reports r on r.id = d.report_id where r.tracking_id = ${ids[1]!}`,
    );
    expect(clock).toMatchObject({ same: true });
    expect(clock!.id).toMatch(/^Verifikasi paling lambat 3 hari kerja/);
    expect((await verifyChains(svc.db)).problems).toEqual([]);
  });

  it('fails only the bad row of a group-committed statement', async () => {
    const db = t.runtime.services.db;
    const items = Array.from({ length: 8 }, (_, i) =>
      // 2026-02-30 is not a date: PostgreSQL refuses the row (validation would have caught it earlier).
      rowsFor(`99000000${10 + i}`, i === 5 ? { occurredOn: '2026-02-30' } : {}),
    );
    const outcomes = await Promise.allSettled(items.map((s) => insertSubmission(db, s)));
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const written = items.map((s) => s.report.trackingId);
    expect(await count('report_events', written)).toBe(7);
  });

  it('writes nothing for a taken tracking number, so another one is drawn', async () => {
    const db = t.runtime.services.db;
    expect(await insertSubmission(db, rowsFor('9900000099'))).not.toBeNull();
    const again = rowsFor('9900000099');
    expect(await insertSubmission(db, again)).toBeNull();
    const [n] = await query<{ n: number }>(
      db,
      sql`select count(*)::int as n from report_events where report_id = ${again.report.id}`,
    );
    expect(n!.n).toBe(0);
  });

  it('inside a caller transaction, writes with that transaction', async () => {
    const db = t.runtime.services.db;
    const s = rowsFor('9900000098');
    await expect(
      db.transaction(async (tx) => {
        expect(await insertSubmission(tx, s)).not.toBeNull();
        tx.rollback();
      }),
    ).rejects.toThrow();
    const [n] = await query<{ n: number }>(
      db,
      sql`select count(*)::int as n from reports where id = ${s.report.id}`,
    );
    expect(n!.n).toBe(0);
  });
});
