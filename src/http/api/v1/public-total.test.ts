/**
 * The public list's total (`GET /api/v1/reports` and the feed without an account; src/queries/reports.ts
 * `publicTotal`): counted without the agency joins when no filter needs them, reused per filter set while no report
 * changed, counted again after any action or new report and after a minute; confidential reports never counted.
 * Real HTTP on a fixed clock.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIdByName,
  DEMO,
  startTestApp,
  submitReport,
  verifyReport,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import { PUBLIC_TOTAL_TTL_MS } from '../../../queries/reports.ts';

const START = new Date('2026-03-10T02:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: START });
});
afterAll(async () => t?.close());

const total = async (query = '') => {
  const r = await t.api(`/api/v1/reports${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.total as number;
};

async function filed(title: string, agency: string, confidential = false): Promise<string> {
  const id = await submitReport(t, title, { confidential, reporter: { name: 'Sari Warga' } });
  await verifyReport(t, await t.login(DEMO.coordinator), id, agency, await categoryIdByName(t));
  return id;
}

describe('the public total', () => {
  it('follows every action at once, reuses an unchanged count, and never counts a confidential report', async () => {
    const before = await total();
    const beforePupr = await total('?agencyId=pupr-kaltim');
    const open = await filed('Drainase tersumbat di pasar', 'pupr-kaltim');
    await filed('Pungli di loket rahasia', 'pupr-kaltim', true);
    await filed('Puskesmas tutup lebih awal', 'dinkes-kaltim');
    // Same clock: the verifications moved the newest event, so the totals are counted again.
    expect(await total()).toBe(before + 2);
    expect(await total('?agencyId=pupr-kaltim')).toBe(beforePupr + 1);
    expect(await total('?q=drainase')).toBe(1);
    // A change made behind the application's back (no event, no updated_at) keeps the count for at most a minute.
    await t.runtime.services.db.execute(
      sql`update reports set confidential = true where tracking_id = ${open}`,
    );
    expect(await total()).toBe(before + 2);
    t.setNow(new Date(START.getTime() + PUBLIC_TOTAL_TTL_MS + 1000));
    expect(await total()).toBe(before + 1);
    // Staff totals are always counted (the national admin sees the confidential ones too).
    const all = await t.api('/api/v1/reports', { token: await t.login(DEMO.national) });
    expect(all.body.total).toBeGreaterThanOrEqual(before + 3);
  });
});
