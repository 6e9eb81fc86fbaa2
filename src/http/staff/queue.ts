/**
 * Back-office queue: GET /kantor?tab=…&page=… with counts on every tab (one query), deadline badges and, on the verify
 * tab, the agency model's top suggestion for each report; on the Ombudsman tab, whether each report was handed over
 * or waits for the reporter's consent (`listQueue`). `?selesai=kembali` (after a return) shows its notice.
 */
import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import {
  defaultSort,
  listQueue,
  QUEUE_SORTS,
  queueCounts,
  tabsFor,
  type QueueSort,
  type QueueTab,
} from '../../queries/queues.ts';
import { calendarStatus } from '../../queries/calendar-status.ts';
import { calendarWarningText } from '../../presenters/calendar-warning.ts';
import { queueSuggestions } from '../../commands/suggest-routing.ts';
import { QueuePage } from '../../views/staff/queue-page.tsx';
import { pageContext, sendPage } from '../web/render.ts';
import { requireStaff } from './forms.ts';

/** Registers the queue page. */
export const staffQueueRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;
  app.get('/kantor', async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    const q = req.query as Record<string, string | undefined>;
    const tabs = tabsFor(req.caller.actor);
    const tab = (tabs as string[]).includes(q.tab ?? '') ? (q.tab as QueueTab) : tabs[0]!;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const sort = (QUEUE_SORTS as readonly string[]).includes(q.urutan ?? '')
      ? (q.urutan as QueueSort)
      : defaultSort(tab);
    const ctx = pageContext(req);
    const calendarKeeper = req.caller.actor.grants.some((g) =>
      ['national_admin', 'coordinator'].includes(g.role),
    );
    const [counts, first, calendar] = await Promise.all([
      queueCounts(svc, req.caller),
      listQueue(svc, req.caller, tab, page, 20, sort),
      calendarKeeper ? calendarStatus(svc) : null,
    ]);
    // A page past the end (an old link, a list that shrank since) shows the last page, not "page 9 of 2" and an
    // empty table under a tab that counts reports.
    const last = Math.max(1, Math.ceil(first.total / 20));
    const rows = page > last ? await listQueue(svc, req.caller, tab, last, 20, sort) : first;
    const calendarWarning = calendarWarningText(calendar?.warning, req.caller.actor.grants, ctx.lang);
    // Reports waiting for verification show where the agency model would send them.
    const suggestions =
      tab === 'verify'
        ? await queueSuggestions(
            svc,
            rows.items.map(({ report }) => report.row),
          )
        : null;
    // After a return (bukan wewenang) the report may be gone from every tab of the caller: say it went back.
    const notice = q.selesai === 'kembali' ? ctx.t('staff.queue.returned_notice') : undefined;
    // Coordinators and the national admin oversee every agency's dispatched reports in their scope.
    const overseer = !req.caller.actor.grants.some((g) => g.role === 'agency_admin' || g.role === 'officer');
    return sendPage(
      reply,
      req,
      h(QueuePage, { ctx, tabs, tab, counts, rows, sort, calendarWarning, suggestions, notice, overseer }),
    );
  });
};
