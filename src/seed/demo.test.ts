/** The synthetic demo: reports in every status, built through the real commands, with intact timelines. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../db/client.ts';
import { verifyChains } from '../db/repositories/events.ts';
import { STATUSES } from '../domain/report/report.ts';
import { seedDemoReports } from './demo.ts';
import { DEMO_USERS } from './demo-data.ts';
import { startTestApp, type TestApp } from '../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await seedDemoReports(t.runtime.services, new Date());
});
afterAll(() => t?.close());

describe('demo seed', () => {
  it('creates a few dozen reports spread over every status', async () => {
    const rows = await query<{ status: string; n: number }>(
      t.runtime.services.db,
      sql`select status, count(*)::int as n from reports group by status`,
    );
    expect(rows.map((r) => r.status).sort()).toEqual([...STATUSES].sort());
    expect(rows.reduce((a, r) => a + r.n, 0)).toBeGreaterThanOrEqual(24);
    expect((await verifyChains(t.runtime.services.db)).problems).toEqual([]);
  });

  it('lets every demo account sign in with the demo password', async () => {
    for (const u of DEMO_USERS) expect(await t.login(u.email)).toMatch(/^[\w-]{20,}$/);
  });

  it('uses only synthetic reporters', async () => {
    const list = await t.api('/api/v1/reports?pageSize=100', {
      token: await t.login('nasional@demo.aduan.id'),
    });
    expect(list.body.total).toBeGreaterThanOrEqual(24);
    const one = await t.api(`/api/v1/reports/${list.body.items[0].trackingId}`, {
      token: await t.login('nasional@demo.aduan.id'),
    });
    expect(one.body.reporter.name).toMatch(/^Pelapor Demo \d+$/);
  });
});
