/**
 * queueCounts reads open and transferred reports only (so the completed and archived ones, most of a long-running
 * instance, are skipped): that must never change a count. A report in every status, each overdue, assigned and offered
 * to the Ombudsman; for the national admin, a coordinator and an agency admin, each tab's count equals a count of its
 * condition over every report, whatever the status. Real database.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApp, submitReport, type TestApp } from '../../test/helpers/app.ts';
import { query } from '../db/client.ts';
import { actorFor, findUserByEmail } from '../db/repositories/users.ts';
import { STATUSES } from '../domain/report/report.ts';
import { queueCounts, QUEUE_TABS, tabCondition, tabsFor } from './queues.ts';
import { visibleTo } from './scope.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: new Date('2026-03-12T02:00:00Z') });
  const db = t.runtime.services.db;
  const national = await findUserByEmail(db, DEMO.national);
  for (const status of STATUSES) {
    const id = await submitReport(t, `Laporan berstatus ${status} untuk hitungan tab`, {
      regionCode: '64.72.02',
      reporter: { name: 'Warga Uji', email: 'warga.uji@contoh.aduan.id' },
    });
    // Every condition a tab reads is true but the status: dispatched to PUPR, addressed to it, overdue, assigned,
    // offered to the Ombudsman.
    await db.execute(sql`update reports set status = ${status}, agency_id = 'pupr-kaltim',
        target_agency_id = 'pupr-kaltim', due_at = '2026-01-01T00:00:00Z', assignee_user_id = ${national!.id}
        where tracking_id = ${id}`);
    await db.execute(sql`insert into sweep_log (key, report_id, action, created_at)
        select 'uji:' || id, id, 'ombudsman_offer', now() from reports where tracking_id = ${id}`);
  }
}, 120_000);
afterAll(() => t?.close());

describe('queueCounts', () => {
  it.each([DEMO.national, DEMO.coordinator, DEMO.puprAdmin])(
    '%s: each tab = its condition over every status',
    async (who) => {
      const svc = t.runtime.services;
      const user = await findUserByEmail(svc.db, who);
      const caller = { actor: await actorFor(svc.db, user!.id) };
      const counts = await queueCounts(svc, caller);
      const tabs = tabsFor(caller.actor);
      expect(tabs.length).toBeGreaterThan(0);
      for (const tab of QUEUE_TABS) {
        const [row] = await query<{ n: number }>(
          svc.db,
          sql`select count(*)::int as n from reports r left join agencies a on a.id = r.agency_id
            left join agencies t on t.id = r.target_agency_id
            where ${tabCondition(tab, caller.actor, svc.now())} and ${visibleTo(caller.actor)}`,
        );
        expect(counts[tab], tab).toBe(tabs.includes(tab) ? row!.n : 0);
      }
      // The fixture reaches some tab from several statuses, so the comparison is not empty.
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
    },
  );
});
