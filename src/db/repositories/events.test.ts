/** The report timeline is append-only and hash-chained: edits and removals are refused or detected. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../client.ts';
import { verifyChains } from './events.ts';
import { DEMO, startTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
const ids: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const coord = await t.login(DEMO.coordinator);
  const cats = await t.api('/api/v1/categories');
  for (let i = 0; i < 3; i++) {
    const r = await t.api('/api/v1/reports', {
      json: {
        classification: 'aspirasi',
        title: `Usulan taman kota ${i}`,
        body: 'Mohon dibangun taman bermain anak di lahan kosong dekat kantor kelurahan.',
        regionCode: '64.72',
        anonymous: true,
      },
    });
    ids.push(r.body.trackingId);
    await t.api(`/api/v1/reports/${r.body.trackingId}/actions/verify`, {
      json: { categoryId: cats.body.items[0].id, agencyId: 'pupr-kaltim' },
      token: coord,
    });
    await t.api(`/api/v1/reports/${r.body.trackingId}/actions/note`, {
      json: { body: `Catatan ${i}` },
      token: coord,
    });
  }
});
afterAll(() => t?.close());

const db = () => t.runtime.services.db;
const eventId = async (trackingId: string, seq: number) =>
  (
    await query<{ id: number }>(
      db(),
      sql`select e.id from report_events e join reports r on r.id = e.report_id where r.tracking_id = ${trackingId} and e.seq = ${seq}`,
    )
  )[0]!.id;

describe('report_events', () => {
  it('verifies intact chains', async () => {
    const r = await verifyChains(db());
    expect(r.problems).toEqual([]);
    expect(r.reports).toBe(3);
    expect(r.events).toBe(9);
  });

  it('refuses UPDATE and DELETE', async () => {
    const id = await eventId(ids[0]!, 1);
    const refused = (e: unknown) => /append-only/.test(String((e as { cause?: Error }).cause?.message ?? e));
    await expect(db().execute(sql`update report_events set body = 'x' where id = ${id}`)).rejects.toSatisfy(
      refused,
    );
    await expect(db().execute(sql`delete from report_events where id = ${id}`)).rejects.toSatisfy(refused);
  });

  it('detects an altered event, a removed event and a removed tail when the guard is bypassed', async () => {
    await db().execute(sql`alter table report_events disable trigger report_events_append_only`);
    try {
      await db().execute(
        sql`update report_events set body = 'diubah' where id = ${await eventId(ids[0]!, 2)}`,
      );
      await db().execute(sql`delete from report_events where id = ${await eventId(ids[1]!, 2)}`);
      await db().execute(sql`delete from report_events where id = ${await eventId(ids[2]!, 3)}`);
    } finally {
      await db().execute(sql`alter table report_events enable trigger report_events_append_only`);
    }
    const r = await verifyChains(db());
    const byId = Object.fromEntries(r.problems.map((p) => [p.trackingId, p]));
    expect(byId[ids[0]!]).toEqual({ trackingId: ids[0], seq: 2, problem: 'altered' });
    expect(byId[ids[1]!]).toEqual({ trackingId: ids[1], seq: 2, problem: 'missing' });
    expect(byId[ids[2]!]).toEqual({ trackingId: ids[2], seq: 3, problem: 'removed_tail' });
  });
});
