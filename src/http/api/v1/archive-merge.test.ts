/**
 * `archive` with reason `duplicate` over the JSON API merges like the back office's archive form (mergeReports):
 * the duplicate is archived and linked, its supporters move to the kept report, and the kept report gets a `merge`
 * event; the answer is the archived report, as for any archive. Bad input is a field error on `duplicateOf`.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actOk,
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import { query } from '../../../db/client.ts';

let t: TestApp;
let coord: string;
let catRoads: number;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-12-02T02:00:00Z') });
  coord = await t.login(DEMO.coordinator);
  catRoads = await categoryIdByName(t);
});
afterAll(() => t?.close());

/** Files a report as a named citizen. */
const file = (title: string) => submitReport(t, title, { reporter: { name: 'Budi Santoso' } });

const archive = (id: string, json: unknown, token = coord) =>
  t.api(`/api/v1/reports/${id}/actions/archive`, { json, token });

/** Gives `id` supporters directly (supports exist only on public reports; the duplicate still awaits verification). */
async function addSupporters(id: string, keys: string[]) {
  const db = t.runtime.services.db;
  await db.execute(
    sql`insert into supports (report_id, supporter_key)
        select id, k from reports, unnest(${sql.raw(`array[${keys.map((k) => `'${k}'`).join(',')}]`)}) as k
         where tracking_id = ${id}`,
  );
  await db.execute(sql`update reports set support_count = ${keys.length} where tracking_id = ${id}`);
}

describe('archive as duplicate over the API', () => {
  it('merges: supporters move, the kept report gets a merge event, the answer is the archived report', async () => {
    const kept = await file('Drainase tersumbat di Jalan Gatot Subroto');
    await verifyReport(t, coord, kept, 'pupr-kaltim', catRoads);
    const dup = await file('Got mampet di Jalan Gatot Subroto');
    const plain = await file('Iklan pinjaman daring di kolom laporan');
    await addSupporters(dup, ['device:archive-merge-1', 'device:archive-merge-2']);

    const r = await actOk(
      t,
      dup,
      'archive',
      { reason: 'duplicate', duplicateOf: kept, note: 'Sama dengan laporan drainase' },
      { token: coord },
    );
    expect(r.body).toMatchObject({
      trackingId: dup,
      status: 'archived',
      archiveReason: 'duplicate',
      supportCount: 0,
    });
    // The same shape as an ordinary archive.
    const other = await actOk(t, plain, 'archive', { reason: 'spam' }, { token: coord });
    expect(Object.keys(r.body).sort()).toEqual(Object.keys(other.body).sort());

    const keptNow = await t.api(`/api/v1/reports/${kept}`, { token: coord });
    expect(keptNow.body.supportCount).toBe(2);
    const keptEvents = await t.api(`/api/v1/reports/${kept}/events`, { token: coord });
    const merge = (keptEvents.body.items as any[]).find((e) => e.type === 'merge');
    expect(merge).toMatchObject({
      body: 'Sama dengan laporan drainase',
      data: { mergedFrom: dup, supportersMoved: 2 },
    });
    const dupEvents = await t.api(`/api/v1/reports/${dup}/events`, { token: coord });
    expect((dupEvents.body.items as any[]).find((e) => e.type === 'archive')).toMatchObject({
      data: { reason: 'duplicate', duplicateOf: kept },
    });

    const rows = await query<{ tracking_id: string; kind: string; n: number; duplicate_of: string | null }>(
      t.runtime.services.db,
      sql`select r.tracking_id, o.kind,
                 (select count(*)::int from supports s where s.report_id = r.id) as n,
                 (select k.tracking_id from reports k where k.id = r.duplicate_of_id) as duplicate_of
            from outbox o join reports r on r.id = o.report_id
           where r.tracking_id in (${dup}, ${kept}) and o.kind in ('report.archive', 'report.merge')`,
    );
    expect(rows.find((x) => x.tracking_id === dup)).toMatchObject({
      kind: 'report.archive',
      n: 0,
      duplicate_of: kept,
    });
    expect(rows.find((x) => x.tracking_id === kept)).toMatchObject({ kind: 'report.merge', n: 2 });
    // The plain archive merged nothing.
    const plainEvents = await t.api(`/api/v1/reports/${plain}/events`, { token: coord });
    expect((plainEvents.body.items as any[]).map((e) => e.type)).not.toContain('merge');
  });

  it('bad duplicateOf is a field error on duplicateOf in both languages, and nothing changes', async () => {
    const kept = await file('Lampu lalu lintas mati di simpang Air Hitam');
    await verifyReport(t, coord, kept, 'pupr-kaltim', catRoads);
    const dup = await file('Lampu merah tidak menyala di simpang Air Hitam');
    await addSupporters(dup, ['device:archive-merge-3']);
    const closed = await file('Laporan yang sudah diarsipkan sebelumnya');
    await actOk(t, closed, 'archive', { reason: 'spam' }, { token: coord });

    const cases: Array<[unknown, string]> = [
      [{ reason: 'duplicate' }, 'duplicate_of_required'],
      [{ reason: 'duplicate', duplicateOf: dup }, 'self'],
      [{ reason: 'duplicate', duplicateOf: '0000000001' }, 'unknown'],
      [{ reason: 'duplicate', duplicateOf: closed }, 'closed'],
    ];
    for (const [json, what] of cases) {
      const r = await archive(dup, json);
      expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(r.body.error.fields), what).toEqual(['duplicateOf']);
      expect(r.body.error.translations.en.fields.duplicateOf, what).toBeTruthy();
    }
    const malformed = await archive(dup, { reason: 'duplicate', duplicateOf: 'abc' });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.fields.duplicateOf).toBeTruthy();

    const still = await t.api(`/api/v1/reports/${dup}`, { token: coord });
    expect(still.body).toMatchObject({ status: 'submitted', supportCount: 1 });
  });

  it('without the archive right: no merge happens', async () => {
    const kept = await file('Kabel listrik menjuntai di Jalan Cendana');
    await verifyReport(t, coord, kept, 'pupr-kaltim', catRoads);
    const dup = await file('Kabel PLN menggantung rendah di Jalan Cendana');
    await addSupporters(dup, ['device:archive-merge-4']);
    const r = await archive(dup, { reason: 'duplicate', duplicateOf: kept }, await t.login(DEMO.puprOfficer));
    expect([403, 404, 422]).toContain(r.status);
    const keptNow = await t.api(`/api/v1/reports/${kept}`, { token: coord });
    expect(keptNow.body.supportCount).toBe(0);
    const still = await t.api(`/api/v1/reports/${dup}`, { token: coord });
    expect(still.body).toMatchObject({ status: 'submitted', supportCount: 1 });
  });
});
